"""Reading tables people actually have: CSV from Excel or LibreOffice, and JSON.

CSV arrives as UTF-8 (with or without the BOM Excel writes) or as Windows-1252 (Excel's
"CSV (gescheiden door lijstscheidingsteken)" on a Dutch Windows), separated by commas or by
semicolons (the Dutch list separator). Both are sniffed, never asked. The importer (and so
the demo seed, netwerk/seed.py) reads every file through this module.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from netwerk.errors import UserError
from netwerk.i18n import _

csv.field_size_limit(1_000_000)


class TableError(UserError):
    """The file as a whole cannot be read; ``str()`` says why in Dutch."""


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for UTF-8 (BOM or not) or Windows-1252 bytes.

    Raises TableError for anything else (UTF-16, binary files such as .xlsx).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise TableError(
            _("het bestand is geen tekst in UTF-8 of Windows-1252 (misschien UTF-16 of een "
              "Excel-werkmap?); sla het op als CSV UTF-8")
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise TableError(
            _("het bestand is geen geldige tekst in UTF-8 of Windows-1252")
        ) from None


def sniff_delimiter(text: str) -> str:
    """Comma or semicolon (or tab), judged on the header line."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class Table:
    """A decoded CSV: header plus ``(line, {column: value})`` rows."""

    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str = "utf-8"
    delimiter: str = ","


def read_csv(data: bytes, name: str) -> Table:
    """Parse CSV bytes into a Table; blank rows are skipped, line numbers kept.

    Raises TableError for an unreadable file or a row with more cells than the header.
    """
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise TableError(_("onleesbare kopregel (%(error)s)", error=str(exc))) from None
    if not any(header):
        raise TableError(_("het bestand is leeg of heeft geen kopregel"))
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise TableError(_("kolom '%(column)s' staat twee keer in de kopregel", column=column))
        seen.add(column)
    rows: list[tuple[int, dict[str, str]]] = []
    width = len(header)
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                raise TableError(
                    _("regel %(line)s heeft meer velden (%(n)s) dan de kopregel kolommen "
                      "(%(width)s)", line=reader.line_num, n=len(cells), width=width)
                )
            rows.append((reader.line_num, dict(zip(header, cells, strict=False))))
    except csv.Error as exc:
        raise TableError(
            _("ongeldige CSV op regel %(line)s (%(error)s)", line=reader.line_num, error=str(exc))
        ) from None
    return Table(name, header, rows, encoding, delimiter)


def _cell(value) -> str:
    """A JSON value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    return str(value)


def json_tables(records: object, name: str) -> Table:
    """A JSON list of objects as a Table (row number = position in the list, from 1)."""
    if not isinstance(records, list):
        raise TableError(_("verwacht een lijst van objecten"))
    header: list[str] = []
    rows = []
    for index, item in enumerate(records, start=1):
        if not isinstance(item, dict):
            raise TableError(_("element %(n)s is geen object", n=index))
        for key in item:
            if key not in header:
                header.append(key)
        rows.append((index, {str(k): _cell(v) for k, v in item.items()}))
    return Table(name, header, rows, "utf-8", "json")


# An import is a list of flat objects (a value may be a list): deeper nesting is refused
# before parsing, so that ``json.loads`` never meets a RecursionError (a 500 before).
MAX_JSON_DEPTH = 20
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (strings ignored)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def read_json(data: bytes) -> object:
    """Parse JSON bytes, with a Dutch message naming the line of a syntax error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_("JSON moet UTF-8 zijn")) from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise TableError(_("JSON is te diep genest (meer dan %(n)s niveaus); verwacht een "
                           "lijst van objecten", n=MAX_JSON_DEPTH))
    try:
        return json.loads(text)
    except RecursionError:
        raise TableError(_("JSON is te diep genest; verwacht een lijst van objecten")) from None
    except json.JSONDecodeError as exc:
        raise TableError(
            _("geen geldige JSON op regel %(line)s (%(error)s)", line=exc.lineno, error=exc.msg)
        ) from None


def iter_dicts(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    yield from table.rows
