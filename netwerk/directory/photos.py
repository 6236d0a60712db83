"""Profile photos: a JPEG, PNG or WebP in, a small square JPEG out (Pillow).

The format is judged by the file's content (Pillow's header sniffing), never by its name, and
the size in pixels is read from the header before anything is decoded: a 9.7 KB PNG of
8900×8900 pixels once cost ~400 MB of memory per upload. Refused before decoding: more than
MAX_SIDE pixels on a side, or more than MAX_PIXELS in all (Pillow's own
``Image.MAX_IMAGE_PIXELS`` is set to the same bound as a second guard).
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from netwerk.errors import UserError
from netwerk.i18n import _

SIZE = 320
MAX_SIDE = 4000
MAX_PIXELS = 24_000_000
FORMATS = ("JPEG", "PNG", "WEBP")


class InvalidPhoto(UserError):
    """An upload that is not a usable image; ``str()`` says why in Dutch."""


def _refuse(exc: Exception | None = None):
    raise InvalidPhoto(_("Foto: dit bestand is geen bruikbare afbeelding (JPEG, PNG of WebP)."),
                       "photo") from exc


def process_photo(data: bytes) -> bytes:
    """Return ``data`` as a centred square JPEG of SIZE×SIZE pixels, EXIF (and location) dropped."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        # open() reads only the header; only the formats named are tried.
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise InvalidPhoto(_(
                    "Foto: %(w)s×%(h)s pixels is te groot (hoogstens %(max)s×%(max)s).",
                    w=width, h=height, max=MAX_SIDE), "photo")
            if getattr(image, "n_frames", 1) > 1:
                image.seek(0)
            image.draft("RGB", (SIZE * 2, SIZE * 2))  # JPEG: decode at a reduced scale
            upright = ImageOps.exif_transpose(image).convert("RGB")
            square = ImageOps.fit(upright, (SIZE, SIZE), method=Image.Resampling.LANCZOS)
    except InvalidPhoto:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard, from the header too (more than 2 × MAX_IMAGE_PIXELS).
        raise InvalidPhoto(_("Foto: deze afbeelding is te groot (hoogstens %(max)s×%(max)s "
                             "pixels).", max=MAX_SIDE), "photo") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        _refuse(exc)
    out = io.BytesIO()
    square.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()
