"""Query arguments: one rule for digits and bounds.

A number is ASCII digits only (``"²".isdigit()`` is true in Python and ``int("²")`` fails), at
most ten of them, and within bounds: ids run from 1 to 2**31-1, the largest value of the
INTEGER columns on PostgreSQL (a larger one made the database raise, a 500). A malformed value
answers 400 with a Dutch sentence naming the parameter (JSON under /api/, the error page
elsewhere); a well-formed id that names nothing is the caller's 404 (``get_or_404``).
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from flask import request
from werkzeug.exceptions import BadRequest

from netwerk.errors import UserError
from netwerk.i18n import _

MAX_ID = 2**31 - 1

E = TypeVar("E", bound=Enum)


class BadArgument(BadRequest):
    """400 for a malformed query argument; ``description`` is the Dutch sentence to show,
    ``argument`` the parameter's name."""

    def __init__(self, message: str, name: str | None = None) -> None:
        super().__init__(message)
        self.argument = name


def parse_int(raw: object, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """``raw`` as an int when it is ASCII digits within ``minimum..maximum``, else None."""
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def parse_id(raw: object) -> int | None:
    """An id typed or posted (1..2**31-1), else None."""
    return parse_int(raw)


def _refuse(name: str, raw: str, minimum: int, maximum: int) -> BadArgument:
    text = raw.strip()
    if text.isascii() and text.lstrip("-").isdigit():
        if int(text) < minimum:
            return BadArgument(_("'%(name)s' moet minstens %(min)s zijn.", name=name,
                                 min=minimum), name)
        return BadArgument(_("'%(name)s' is te groot.", name=name), name)
    return BadArgument(_("'%(name)s' moet een geheel getal zijn.", name=name), name)


def arg_int(name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_ID,
            required: bool = False) -> int | None:
    """The query argument ``name`` as an int; absent or empty gives ``default`` (or 400 when
    ``required``); malformed or out of bounds raises BadArgument (400)."""
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        if required:
            raise BadArgument(_("'%(name)s' ontbreekt.", name=name), name)
        return default
    value = parse_int(raw, minimum=minimum, maximum=maximum)
    if value is None:
        raise _refuse(name, raw, minimum, maximum)
    return value


def arg_id(name: str, required: bool = False) -> int | None:
    """The query argument ``name`` as an id (1..2**31-1), None when absent."""
    return arg_int(name, required=required)


def arg_page(name: str = "page") -> int:
    """A page number: 1 when absent."""
    value = arg_int(name, 1)
    return value if value is not None else 1


def arg_enum(name: str, enum: type[E], default: E | None = None) -> E | None:
    """The query argument ``name`` as a member of ``enum`` (by value); 400 for another word."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    try:
        return enum(raw)
    except ValueError:
        raise BadArgument(_("'%(name)s': onbekende waarde '%(value)s'.", name=name,
                            value=raw), name) from None


def user_error(exc: UserError) -> BadArgument:
    """A UserError raised while reading arguments, as the 400 to answer."""
    return BadArgument(exc.message, exc.field)
