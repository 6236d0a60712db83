"""The one error vocabulary of every loader: a ``Problem`` per bad cell, ``ImportFailed`` to stop.

The import (web, ``netwerk import``) reports problems in its report; the seed and the demo
users raise ``ImportFailed`` with the same problems, ``str()`` giving 'file, regel N: reason'.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from netwerk.i18n import _

if TYPE_CHECKING:
    from netwerk.interchange.report import ImportReport

# Column names shown in Dutch in messages.
LABELS = {"mobile": "mobiel", "landline": "vast nummer", "phone": "telefoon",
          "crisis_phone": "crisisnummer"}


@dataclass
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    @property
    def reason(self) -> str:
        """The message, preceded by the (Dutch) column name when there is one."""
        if self.column:
            return f"{LABELS.get(self.column, self.column)}: {self.message}"
        return self.message

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(_("rij %(n)s", n=self.row))
        if self.column:
            where.append(LABELS.get(self.column, self.column))
        return ", ".join(where) + ": " + self.message


class ImportFailed(Exception):
    """A load that was refused; carries the report. ``path``, ``line`` and ``reason`` name the
    first problem, ``str()`` says 'file, regel N: reason' (and how many more problems there are).
    """

    def __init__(self, report: ImportReport, directory: Path | str | None = None) -> None:
        self.report = report
        first = report.problems[0] if report.problems else Problem("", None, None, "")
        self.path = str(Path(directory) / first.file) if directory and first.file else first.file
        self.line = first.row
        self.reason = first.reason
        where = _("%(file)s, regel %(n)s", file=self.path, n=self.line) if self.line \
            else self.path
        text = f"{where}: {self.reason}" if where else self.reason
        more = len(report.problems) - 1
        if more > 0:
            text += " " + _("(en nog %(n)s probleem/problemen)", n=more)
        super().__init__(text)
