"""The one CSV writer of the app: every cell safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK("http://…")``, ``=cmd|' /C calc'!A0``):
an organisation named so would run in the coordinator's spreadsheet. Such a cell gets a leading
apostrophe (OWASP's advice), which the spreadsheet shows as text. Every CSV the app writes goes
through :func:`safe_cell` — use :func:`writer` or :func:`rows_to_csv`, never ``csv.writer`` on
its own.
"""

from __future__ import annotations

import csv as _csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when, as text, it starts like a formula. Numbers (ints,
    floats) are written as they are: ``-3`` is a number, not a formula."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        text = str(value)
        if text.startswith(FORMULA_START):
            return "'" + text
        return text
    return value


class SafeWriter:
    """``csv.writer`` whose every cell passes :func:`safe_cell`."""

    def __init__(self, out, **kwargs) -> None:
        self._writer = _csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out, **kwargs) -> SafeWriter:
    """A CSV writer on ``out`` (same keyword arguments as ``csv.writer``)."""
    return SafeWriter(out, **kwargs)


def rows_to_csv(rows: Iterable[Iterable[Any]], **kwargs) -> str:
    """``rows`` as CSV text, every cell neutralised."""
    out = io.StringIO()
    writer(out, **kwargs).writerows(rows)
    return out.getvalue()
