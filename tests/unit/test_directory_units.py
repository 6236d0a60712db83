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
