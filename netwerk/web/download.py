"""One way to name a download: RFC 6266 ``Content-Disposition``.

A file name built from data (an area called ``’t Goy``, ``IJsselstein`` written with ``Ĳ``, an
organisation with a ``"`` in its name) must neither break the header (Werkzeug refuses a header
value that is not latin-1, and a ``"`` or a line break would end the quoted string) nor lose the
name: the header carries an ASCII fallback ``filename="…"`` (accents stripped, anything else
replaced by ``_``) and the exact name as ``filename*=UTF-8''…`` (percent-encoded), which every
current browser prefers.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()+,-]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def ascii_fallback(name: str) -> str:
    """``name`` in printable ASCII without quotes, backslashes or path separators."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("’", "'").replace("ʼ", "'")
    safe = _UNSAFE_ASCII.sub("_", folded).strip(" .")
    return safe or "download"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The ``Content-Disposition`` value for ``filename`` (RFC 6266 with RFC 5987 ``filename*``)."""
    clean = _CONTROL.sub("", filename).replace("/", "_").replace("\\", "_").strip() or "download"
    kind = "inline" if inline else "attachment"
    fallback = ascii_fallback(clean)
    value = f'{kind}; filename="{fallback}"'
    if fallback != clean:
        value += f"; filename*=UTF-8''{quote(clean, safe='')}"
    return value


def download(body: str | bytes, filename: str, mimetype: str, **headers: str) -> Response:
    """A response offering ``body`` as the file ``filename`` (every download of the app)."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    for key, value in headers.items():
        response.headers[key.replace("_", "-")] = value
    return response
