"""What a load found and did: problems, warnings and counts per kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from netwerk.i18n import _
from netwerk.interchange.errors import Problem
from netwerk.interchange.kinds import Kind


@dataclass
class ImportReport:
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    applied: bool = False
    kinds: tuple[Kind, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    def created_by_label(self) -> dict[str, int]:
        """Records created per kind, by Dutch label, kinds with none left out."""
        return {kind.label: self.created[kind.name] for kind in self.kinds
                if self.created.get(kind.name)}

    def summary(self) -> list[str]:
        lines = []
        for kind in self.kinds:
            if kind.name not in self.rows:
                continue
            rows, new = self.rows[kind.name], self.created.get(kind.name)
            if new is None:
                lines.append(_("%(label)s: %(rows)s rijen", label=kind.label, rows=rows))
            elif not self.applied:
                lines.append(_("%(label)s: %(rows)s rijen, %(new)s nieuw, %(old)s bestaand "
                               "(worden bijgewerkt waar iets verschilt)", label=kind.label,
                               rows=rows, new=new, old=self.updated.get(kind.name, 0)))
            else:
                lines.append(_("%(label)s: %(rows)s rijen, %(new)s nieuw, %(upd)s bijgewerkt, "
                               "%(same)s ongewijzigd", label=kind.label, rows=rows, new=new,
                               upd=self.updated.get(kind.name, 0),
                               same=self.unchanged.get(kind.name, 0)))
        return lines
