"""The one translation layer: every user-facing string goes through ``_`` or ``_l``.

Message ids are the Dutch texts (the interface speaks Dutch); no other catalogue ships yet, so
the Dutch text is what every locale shows. Outside a request (CLI, domain code) the Dutch text is
returned as is.

Importing this module loads no Flask: Flask-Babel is imported on the first translation, so the
pure modules (matching, privacy, phone, the enums' labels) can use ``_l`` and stay framework-free.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _(string: str, **variables: Any) -> str:
    """The translation of ``string`` in the current locale, formatted with ``variables``."""
    from flask_babel import gettext

    return gettext(string, **variables)


def _n(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Singular or plural by ``num`` (available as ``%(num)d``), translated."""
    from flask_babel import ngettext

    return ngettext(singular, plural, num, **variables)


class LazyString:
    """A string translated each time it is used (module-level labels, form field labels).

    The same behaviour as Flask-Babel's ``LazyString`` (str operations, ``__html__`` for Jinja
    and JSON), without importing Flask when the label is defined.
    """

    __slots__ = ("_args", "_func", "_kwargs")

    def __init__(self, func: Callable[..., str], *args: Any, **kwargs: Any) -> None:
        self._func = func
        self._args = args
        self._kwargs = kwargs

    def __getattr__(self, attr: str) -> Any:
        if attr == "__setstate__":
            raise AttributeError(attr)
        string = str(self)
        if hasattr(string, attr):
            return getattr(string, attr)
        raise AttributeError(attr)

    def __repr__(self) -> str:
        return f"l'{self}'"

    def __str__(self) -> str:
        return str(self._func(*self._args, **self._kwargs))

    def __html__(self) -> str:
        return str(self)

    def __len__(self) -> int:
        return len(str(self))

    def __getitem__(self, key: Any) -> str:
        return str(self)[key]

    def __iter__(self):
        return iter(str(self))

    def __contains__(self, item: str) -> bool:
        return item in str(self)

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __mul__(self, other: int) -> str:
        return str(self) * other

    def __rmul__(self, other: int) -> str:
        return other * str(self)

    def __mod__(self, other: Any) -> str:
        return str(self) % other

    def __lt__(self, other: Any) -> bool:
        return str(self) < other

    def __le__(self, other: Any) -> bool:
        return str(self) <= other

    def __eq__(self, other: object) -> bool:
        return str(self) == other

    def __ne__(self, other: object) -> bool:
        return str(self) != other

    def __gt__(self, other: Any) -> bool:
        return str(self) > other

    def __ge__(self, other: Any) -> bool:
        return str(self) >= other

    def __hash__(self) -> int:
        return hash(str(self))


def _l(string: str, **variables: Any) -> LazyString:
    """``_`` deferred until the string is used (labels defined at import time)."""
    return LazyString(_, string, **variables)


__all__ = ["LazyString", "_", "_l", "_n"]
