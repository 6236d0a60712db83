"""``Row``: one row of a file, read cell by cell; every accessor records a Problem and returns
None (or the default) instead of raising, so one pass reports every bad cell."""

from __future__ import annotations

from datetime import date

from netwerk.i18n import _
from netwerk.interchange.errors import LABELS, Problem
from netwerk.phone import InvalidPhoneNumber, normalize
from netwerk.text import bad_character, describe

YES = {"ja", "yes", "true", "1", "waar", "j"}
NO = {"nee", "no", "false", "0", "onwaar", "n"}


class Row:
    __slots__ = ("data", "file", "line", "problems")

    def __init__(self, file: str, line: int | None, data: dict[str, str],
                 problems: list[Problem]):
        self.file, self.line, self.data, self.problems = file, line, data, problems

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, column, message))

    def text(self, column: str, required: bool = False) -> str:
        value = (self.data.get(column) or "").strip()
        char = bad_character(value)
        if char is not None:
            # Stored, a control character makes the GraphML/GEXF exports invalid XML.
            self.problem(column, _("bevat een ongeldig teken (%(code)s)", code=describe(char)))
            return ""
        if required and not value:
            self.problem(column, _("is leeg, maar verplicht"))
        return value

    def integer(self, column: str, default: int | None = None, minimum: int | None = 0,
                required: bool = False) -> int | None:
        raw = self.text(column, required)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.problem(column, _("'%(raw)s' is geen geheel getal", raw=raw))
            return None
        if minimum is not None and value < minimum:
            self.problem(column, _("%(value)s is kleiner dan %(min)s", value=value, min=minimum))
            return None
        return value

    def boolean(self, column: str, default: bool) -> bool | None:
        raw = self.text(column).lower()
        if not raw:
            return default
        if raw in YES:
            return True
        if raw in NO:
            return False
        self.problem(column, _("'%(raw)s' is geen ja of nee", raw=raw))
        return None

    def day(self, column: str, default: date | None = None,
            required: bool = False) -> date | None:
        raw = self.text(column, required)
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.problem(column, _("'%(raw)s' is geen datum (JJJJ-MM-DD)", raw=raw))
            return None

    def choice(self, column: str, enum_cls, required: bool = True, default=None):
        raw = self.text(column, required=required and default is None).lower()
        if not raw:
            return default
        try:
            return enum_cls(raw)
        except ValueError:
            allowed = ", ".join(m.value for m in enum_cls)
            self.problem(column, _("'%(raw)s' is niet een van: %(allowed)s", raw=raw,
                                   allowed=allowed))
            return None

    def phone(self, column: str, mobile: bool = False) -> str | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            return normalize(raw, field=LABELS.get(column, column), mobile=mobile)
        except InvalidPhoneNumber as exc:
            self.problem(column, exc.reason)
            return None

    def email(self, column: str = "email") -> str | None:
        value = self.text(column)
        if value and "@" not in value:
            self.problem(column, _("'%(raw)s' is geen e-mailadres", raw=value))
        return value or None

    def listed(self, column: str) -> list[str]:
        return [p.strip() for p in self.text(column).split(";") if p.strip()]
