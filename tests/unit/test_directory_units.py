"""Pure parts of the directory: normalising names, the typo rule, photos, QR codes."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from netwerk.directory.cards import qr_svg
from netwerk.directory.photos import InvalidPhoto, process_photo
from netwerk.directory.search import _one_typo_away, normalise, words


def test_normalise_folds_accents_and_case():
    assert normalise("Mehmet Öztürk") == "mehmet ozturk"
    assert normalise("Chantál") == "chantal"
    assert words("Zoë van 't Hof-Yılmaz") == ["zoe", "van", "t", "hof", "yilmaz"]


@pytest.mark.parametrize(
    ("query", "name", "ok"),
    [
        (["oztrk"], "Mehmet Öztürk", True),
        (["kuipres"], "Esther Kuipers", True),  # two letters swapped counts as one typo
        (["jansn"], "Piet Jansen", True),
        (["jnsn"], "Piet Jansen", False),  # four letters: no typo allowed
        (["pit"], "Piet Jansen", False),
        (["ozxxrk"], "Mehmet Öztürk", False),
    ],
)
def test_one_typo_rule(query, name, ok):
    assert _one_typo_away(query, name) is ok


def test_photo_is_square_jpeg_without_exif():
    out = io.BytesIO()
    Image.new("RGB", (1200, 300), (1, 2, 3)).save(out, format="PNG")
    result = Image.open(io.BytesIO(process_photo(out.getvalue())))
    assert result.format == "JPEG" and result.size == (320, 320)
    assert not result.getexif()


def test_garbage_is_not_a_photo():
    with pytest.raises(InvalidPhoto, match="Foto"):
        process_photo(b"%PDF-1.4 not an image")


def test_qr_svg_is_self_contained():
    svg = qr_svg("BEGIN:VCARD\r\nFN:Test\r\nEND:VCARD\r\n")
    assert svg.startswith("<svg") and "http://www.w3.org/2000/svg" in svg
    assert "href" not in svg


def _image_bytes(fmt: str, size=(600, 400), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 0).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(fmt):
    result = Image.open(io.BytesIO(process_photo(_image_bytes(fmt))))
    assert result.format == "JPEG" and result.size == (320, 320)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "ICO", "PPM"])
def test_other_image_formats_are_refused_by_content(fmt):
    with pytest.raises(InvalidPhoto, match="JPEG, PNG of WebP"):
        process_photo(_image_bytes(fmt, size=(64, 64)))


def test_huge_dimensions_are_refused_before_decoding():
    """A tiny file that claims 8900×8900 pixels: refused from its header, without the ~400 MB
    a decode would cost."""
    import tracemalloc

    bomb = _image_bytes("PNG", size=(8900, 8900), mode="1")
    assert len(bomb) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(InvalidPhoto, match="te groot"):
            process_photo(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, peak
    with pytest.raises(InvalidPhoto, match="te groot"):
        process_photo(_image_bytes("PNG", size=(4001, 10), mode="1"))
    with pytest.raises(InvalidPhoto, match="te groot"):
        process_photo(_image_bytes("PNG", size=(5000, 5000), mode="1"))
