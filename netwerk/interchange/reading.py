"""Reading the sources of an import into one ``Table`` per kind (CSV, JSON, HSDS JSON)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from netwerk.i18n import _
from netwerk.interchange.errors import Problem
from netwerk.interchange.hsds import hsds_tables, is_hsds
from netwerk.interchange.kinds import Kind, kind_for_filename
from netwerk.interchange.tabular import Table, TableError, json_tables, read_csv, read_json

if TYPE_CHECKING:
    from netwerk.interchange.importer import Importer


@dataclass(frozen=True)
class Source:
    """One uploaded or found file."""

    filename: str
    data: bytes


def read_sources(imp: Importer, sources: Iterable[Source]) -> None:
    for source in sources:
        read_source(imp, source)


def read_source(imp: Importer, source: Source) -> None:
    name = source.filename.rsplit("/", 1)[-1]
    lower = name.lower()
    try:
        if lower.endswith(".json"):
            _add_json(imp, name, read_json(source.data))
        elif lower.endswith((".csv", ".txt")):
            kind = imp.kind_for(name)
            if kind is None:
                _unknown_file(imp, name)
                return
            add_table(imp, kind, read_csv(source.data, name))
        else:
            imp.report.problems.append(Problem(name, None, None, _(
                "onbekend bestandstype; gebruik .csv of .json")))
    except TableError as exc:
        imp.report.problems.append(Problem(name, None, None, str(exc)))


def _unknown_file(imp: Importer, name: str) -> None:
    names = ", ".join(k.name for k in imp.kinds)
    imp.report.problems.append(Problem(name, None, None, _(
        "uit de bestandsnaam blijkt niet welke soort gegevens erin staan; noem het bestand "
        "naar de soort (%(names)s)", names=names)))


def _add_json(imp: Importer, name: str, payload: object) -> None:
    if is_hsds(payload):
        for kind_name, table in hsds_tables(payload, name).items():
            add_table(imp, imp.by_name[kind_name], table)
        return
    if isinstance(payload, dict):
        unknown = [k for k in payload if k not in imp.by_name]
        if unknown:
            raise TableError(_("onbekende soort(en) in JSON: %(names)s",
                               names=", ".join(unknown)))
        for key, records in payload.items():
            add_table(imp, imp.by_name[key], json_tables(records, f"{name} ({key})"))
        return
    kind = imp.kind_for(name)
    if kind is None:
        _unknown_file(imp, name)
        return
    add_table(imp, kind, json_tables(payload, name))


def add_table(imp: Importer, kind: Kind, table: Table) -> None:
    if kind.name in imp.tables:
        imp.report.problems.append(Problem(table.name, None, None, _(
            "er is al een bestand met %(label)s in deze import (%(other)s)",
            label=kind.label, other=imp.tables[kind.name].name)))
        return
    missing = [c for c in kind.required if c not in table.header]
    if missing and table.rows:
        imp.report.problems.append(Problem(table.name, None, None, _(
            "kolom ontbreekt: %(columns)s (verplicht voor %(label)s)",
            columns=", ".join(missing), label=kind.label)))
        return
    ignored = [c for c in table.header if c and c not in kind.columns]
    if ignored:
        imp.report.warnings.append(_("%(file)s: kolom(men) genegeerd: %(columns)s",
                                     file=table.name, columns=", ".join(ignored)))
    imp.tables[kind.name] = table


def sources_from_path(path) -> list[Source]:
    """A file, or every .csv/.json file of a folder (named by kind)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir()
                       if p.is_file() and p.suffix.lower() in {".csv", ".json"})
        return [Source(p.name, p.read_bytes()) for p in files if kind_for_filename(p.name)
                or p.suffix.lower() == ".json"]
    return [Source(path.name, path.read_bytes())]
