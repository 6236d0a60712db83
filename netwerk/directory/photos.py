"""Profile photos: any common image in, a small square JPEG out (Pillow)."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from netwerk.errors import UserError
from netwerk.i18n import _

SIZE = 320
MAX_PIXELS = 40_000_000


class InvalidPhoto(UserError):
    """An upload that is not a usable image; ``str()`` says why in Dutch."""


def process_photo(data: bytes) -> bytes:
    """Return ``data`` as a centred square JPEG of SIZE×SIZE pixels, EXIF (and location) dropped."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image = ImageOps.fit(image, (SIZE, SIZE), method=Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise InvalidPhoto(_("Foto: dit bestand is geen bruikbare afbeelding (JPEG of PNG).")) from exc
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()
