"""Checks that need every row of a kind: area parents, unique values, duplicate ties."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from netwerk.i18n import _
from netwerk.interchange.errors import Problem
from netwerk.interchange.rows import Row
from netwerk.interchange.sql import chunks, in_
from netwerk.models import AreaKind, Organisation, Professional

if TYPE_CHECKING:
    from netwerk.interchange.importer import Importer

PARENT_KIND = {AreaKind.GEMEENTE: AreaKind.REGIO, AreaKind.WIJK: AreaKind.GEMEENTE}


def area_parents(imp: Importer) -> None:
    """A gemeente hangs under a regio and a wijk under a gemeente (after all rows are read)."""
    table = imp.tables["areas"]
    good = []
    for record in imp.records.get("areas", []):
        row = Row(table.name, record["_line"], {}, imp.report.problems)
        parent = record["_parent"]
        if parent and not imp.known(row, "parent_key", "areas", parent):
            continue
        need = PARENT_KIND.get(record["kind"])
        if need is not None and (not parent or imp.area_kinds.get(parent) != need):
            row.problem("parent_key", _("een %(kind)s hoort onder een %(parent)s",
                                        kind=record["kind"].value, parent=need.value))
            continue
        good.append(record)
    imp.records["areas"] = good


def unique(imp: Importer, kind: str, column: str, model_column) -> None:
    """A value that must be unique: twice in the file, or already someone else's."""
    records = imp.records.get(kind, [])
    table = imp.tables[kind]
    seen: dict[str, dict] = {}
    bad: set[int] = set()
    for record in records:
        value = record.get(column)
        if not value:
            continue
        if value in seen:
            imp.report.problems.append(Problem(table.name, record["_line"], column, _(
                "'%(value)s' staat ook op rij %(other)s", value=value,
                other=seen[value]["_line"])))
            bad.add(id(record))
        else:
            seen[value] = record
    _model, key_column = imp.entities[kind]
    for chunk in chunks(list(seen)):
        for value, owner in imp.session.execute(
            select(model_column, key_column).where(in_(imp.session, model_column, chunk))
        ):
            record = seen[value]
            if owner != record["_key"]:
                imp.report.problems.append(Problem(table.name, record["_line"], column, _(
                    "'%(value)s' is al van een ander record in netwerk (%(owner)s)",
                    value=value, owner=owner or _("zonder sleutel"))))
                bad.add(id(record))
    if bad:
        imp.records[kind] = [r for r in records if id(r) not in bad]


def tie_pairs(imp: Importer) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for record in imp.records["ties"]:
        pair = tuple(sorted((record["_a"], record["_b"])))
        if pair in seen:
            imp.report.problems.append(Problem(imp.tables["ties"].name, record["_line"], None,
                                               _("dit lijntje staat ook op rij %(other)s",
                                                 other=seen[pair])))
        else:
            seen[pair] = record["_line"]


def run_all(imp: Importer) -> None:
    if "areas" in imp.records:
        area_parents(imp)
    if "organisations" in imp.records:
        unique(imp, "organisations", "name", Organisation.name)
    if "professionals" in imp.records:
        unique(imp, "professionals", "mobile", Professional.mobile)
    if "ties" in imp.records:
        tie_pairs(imp)
