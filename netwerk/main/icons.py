"""Draw the app icons of the installable app once, with Pillow, into netwerk/static/icons.

Run ``python -m netwerk.main.icons`` after changing the design; the PNG files are committed
(the app never draws them at run time). The drawing is the favicon's: three white nodes joined
by a triangle on the netwerk green. The maskable icon keeps everything inside the central 80 %
circle (the safe zone a phone's mask never cuts).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (11, 93, 87, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def draw(size: int, *, maskable: bool) -> Image.Image:
    """The icon at ``size`` pixels; ``maskable`` fills the square and shrinks the drawing."""
    scale = 4  # draw large, then downsample: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=GREEN)
        unit = big * 0.8 / 32  # the 32-unit favicon drawing inside the safe zone
        offset = big * 0.1
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 / 32, fill=GREEN)
        unit = big / 32
        offset = 0.0

    def at(x: float, y: float) -> tuple[float, float]:
        return offset + x * unit, offset + y * unit

    nodes = [(10, 11), (22, 11), (16, 23)]
    pen.line([at(*nodes[0]), at(*nodes[1]), at(*nodes[2]), at(*nodes[0])], fill=WHITE,
             width=max(1, round(2 * unit)), joint="curve")
    for x, y in nodes:
        cx, cy = at(x, y)
        r = 4 * unit
        pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    draw(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
