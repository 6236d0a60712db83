"""Characters no text field of the app may hold.

Control characters (C0 other than tab, newline and carriage return; DEL; C1), lone surrogates
and the non-characters U+FFFE/U+FFFF cannot be written in XML 1.0: one of them in a name made a
wijk's GraphML/GEXF unreadable for Gephi. PostgreSQL cannot store NUL at all. A single-line
field refuses tab and line breaks too. Used by the form kit (netwerk/web/forms.py, every string
field) and by the importer (netwerk/interchange/rows.py, every cell). No Flask.
"""

from __future__ import annotations

import re

_MULTILINE_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SINGLE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def bad_character(value: str | None, *, multiline: bool = True) -> str | None:
    """The first character of ``value`` a text field may not hold, or None."""
    if not value:
        return None
    found = (_MULTILINE_BAD if multiline else _SINGLE_LINE_BAD).search(value)
    return found.group() if found else None


def describe(char: str) -> str:
    """``U+000B``: how to name a refused character (it cannot be shown)."""
    return f"U+{ord(char):04X}"
