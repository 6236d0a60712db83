"""Import a network from CSV/JSON: validate everything, report per row, then write all or nothing.

Usage (a view, the CLI, the seed)::

    report = run_import(session, [Source("professionals.csv", data)], dry_run=True)
    if report.ok and not dry_run: session.commit()

Two phases. *Validate* reads every file, checks every cell and every reference (against the
other files of the same import and, in batches, against what the database already holds) and
collects one ``Problem`` per bad cell (netwerk.interchange.validate, .checks). *Apply* runs only
when there is no problem: it upserts by external id (``key`` column → ``external_id``, or
``slug`` for domains and capacity types) with executemany inserts/updates per chunk, so a
re-import updates instead of duplicating (netwerk.interchange.writer). An ``Extension`` adds
kinds (the seed's work sessions and cases, netwerk.seed). The caller commits; on any problem or
database error nothing of the import stays in the session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from netwerk.i18n import _
from netwerk.interchange import checks, writer
from netwerk.interchange.errors import ImportFailed, Problem
from netwerk.interchange.kinds import KINDS, Kind, kind_for_filename
from netwerk.interchange.reading import Source, read_sources, sources_from_path
from netwerk.interchange.report import ImportReport
from netwerk.interchange.rows import Row
from netwerk.interchange.sql import chunks, in_
from netwerk.interchange.tabular import Table
from netwerk.interchange.validate import VALIDATORS, Validator
from netwerk.interchange.writer import Writer
from netwerk.models import Area, AreaKind, CapacityType, Domain, Organisation, Professional, Service

__all__ = ["Extension", "ImportFailed", "ImportReport", "Importer", "Problem", "Row", "Source",
           "run_import", "sources_from_path"]

# Entity kinds: model and the column that holds the import key.
ENTITIES: dict[str, tuple[Any, Any]] = {
    "areas": (Area, Area.external_id),
    "domains": (Domain, Domain.slug),
    "organisations": (Organisation, Organisation.external_id),
    "services": (Service, Service.external_id),
    "capacity_types": (CapacityType, CapacityType.slug),
    "professionals": (Professional, Professional.external_id),
}


@dataclass
class Extension:
    """Kinds beyond the public import: a kind of the same name replaces the public one (e.g.
    with more optional columns); ``order`` is the order of writing every kind."""

    kinds: tuple[Kind, ...]
    order: tuple[str, ...]
    entities: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    key_columns: dict[str, str] = field(default_factory=dict)
    validators: dict[str, Validator] = field(default_factory=dict)
    writers: dict[str, Writer] = field(default_factory=dict)
    keep_live: bool = False


class Importer:
    """Validates a set of tables and writes them; see the module docstring."""

    def __init__(self, session: Session, dry_run: bool,
                 progress: Callable[[int], None] | None = None,
                 extension: Extension | None = None, user: Any = None,
                 history: bool = True) -> None:
        ext = extension or Extension((), writer.ORDER)
        # Changed fields of existing people and organisations go into the change history
        # (netwerk/history.py) by ``user`` (None: the system), and close their open reports;
        # a caller that records its own history (a beheer edit) passes history=False.
        self.user, self.history = user, history
        replaced = {k.name: k for k in ext.kinds}
        self.kinds = tuple(replaced.pop(k.name, k) for k in KINDS) + tuple(replaced.values())
        self.by_name = {n: k for k in self.kinds for n in (k.name, *k.aliases)}
        self.entities = ENTITIES | ext.entities
        self.key_columns = ext.key_columns
        self.validators = VALIDATORS | ext.validators
        self.writers = writer.WRITERS | ext.writers
        self.order, self.keep_live = ext.order, ext.keep_live
        self.session = session
        self.report = ImportReport(dry_run=dry_run, kinds=self.kinds)
        self.tables: dict[str, Table] = {}
        self.progress = progress or (lambda n: None)
        # key -> id for entity kinds; filled from the database (batched) and after inserts.
        self.ids: dict[str, dict[str, int]] = {k: {} for k in self.entities}
        self.absent: dict[str, set[str]] = {k: set() for k in self.entities}
        self.file_keys: dict[str, set[str]] = {k: set() for k in self.entities}
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.area_kinds: dict[str, AreaKind] = {}

    def kind_for(self, filename: str) -> Kind | None:
        return kind_for_filename(filename, self.by_name)

    def add_sources(self, sources: Iterable[Source]) -> None:
        read_sources(self, sources)

    @property
    def total_rows(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())

    def has_column(self, kind: str, column: str) -> bool:
        """Whether ``column`` belongs to ``kind`` in this import (seed-only columns do not)."""
        return column in self.by_name[kind].columns

    # -- lookups ---------------------------------------------------------------------------
    def lookup(self, kind: str, keys: Iterable[str]) -> None:
        """Fetch the ids of ``keys`` already in the database, one query per chunk."""
        cache, absent = self.ids[kind], self.absent[kind]
        wanted = sorted({k for k in keys if k and k not in cache and k not in absent})
        if not wanted:
            return
        model, column = self.entities[kind]
        extra = (model.kind,) if model is Area else ()
        for chunk in chunks(wanted):
            found = self.session.execute(
                select(column, model.id, *extra).where(in_(self.session, column, chunk)))
            for row in found:
                cache[row[0]] = row[1]
                if extra:
                    self.area_kinds[row[0]] = AreaKind(row[2])
            absent.update(k for k in chunk if k not in cache)

    def known(self, row: Row, column: str, kind: str, key: str) -> bool:
        if key in self.file_keys[kind] or key in self.ids[kind]:
            return True
        self.lookup(kind, [key])
        if key in self.ids[kind]:
            return True
        row.problem(column, _("onbekende sleutel '%(key)s' (niet in dit bestand en niet in "
                              "netwerk)", key=key))
        return False

    def _prefetch(self, table: Table, column: str, kind: str, listed: bool = False) -> None:
        keys: set[str] = set()
        for _line, data in table.rows:
            raw = (data.get(column) or "").strip()
            if listed:
                keys.update(p.strip() for p in raw.split(";") if p.strip())
            elif raw:
                keys.add(raw)
        self.lookup(kind, keys - self.file_keys[kind])

    # -- validation ------------------------------------------------------------------------
    def _collect_keys(self) -> None:
        """Keys defined by the files, first, so that references between files resolve."""
        for kind_name in self.entities:
            table = self.tables.get(kind_name)
            if table is None:
                continue
            column = self.key_columns.get(kind_name, "key")
            seen: dict[str, int] = {}
            for line, data in table.rows:
                key = (data.get(column) or "").strip()
                if not key:
                    continue
                if key in seen:
                    self.report.problems.append(Problem(table.name, line, column, _(
                        "sleutel '%(key)s' komt twee keer voor (ook op rij %(other)s)",
                        key=key, other=seen[key])))
                else:
                    seen[key] = line
            self.file_keys[kind_name] = set(seen)
            self.lookup(kind_name, seen)

    def validate(self) -> ImportReport:
        self._collect_keys()
        for kind in self.kinds:
            table = self.tables.get(kind.name)
            if table is None:
                continue
            self.report.rows[kind.name] = len(table.rows)
            validator = self.validators[kind.name]
            records = []
            problems = self.report.problems
            for line, data in table.rows:
                before = len(problems)
                record = validator(Row(table.name, line, data, problems), self)
                if record is not None and len(problems) == before:
                    record["_line"] = line
                    records.append(record)
            self.progress(len(table.rows))
            self.records[kind.name] = records
            if kind.name in self.entities:
                existing = sum(1 for r in records if r["_key"] in self.ids[kind.name])
                self.report.updated[kind.name] = existing
                self.report.created[kind.name] = len(records) - existing
        return self.report

    def check(self) -> ImportReport:
        """Validate, including the checks that need all rows of a kind."""
        for kind_name, table in self.tables.items():
            if kind_name in ("services", "professionals"):
                self._prefetch(table, "organisation_key", "organisations")
            if kind_name == "professionals":
                self._prefetch(table, "wijken", "areas", listed=True)
                self._prefetch(table, "domains", "domains", listed=True)
            if kind_name == "ties":
                self._prefetch(table, "a_key", "professionals")
                self._prefetch(table, "b_key", "professionals")
        self.validate()
        checks.run_all(self)
        self.report.problems.sort(key=lambda p: (p.file, p.row or 0))
        return self.report

    # -- writing ---------------------------------------------------------------------------
    def apply(self) -> None:
        """Write every validated record (call only when the report is ok)."""
        for kind in self.entities:
            self.report.updated.pop(kind, None)
        for kind in self.order:
            if kind in self.records:
                self.writers[kind](self, self.records[kind])
        self.session.flush()
        self.report.applied = True


def run_import(session: Session, sources: Iterable[Source], dry_run: bool = False,
               progress: Callable[[int], None] | None = None,
               on_total: Callable[[int], None] | None = None,
               extension: Extension | None = None, user: Any = None,
               history: bool = True) -> ImportReport:
    """Validate ``sources`` and, unless ``dry_run`` or there is a problem, write them.

    Writes happen in a savepoint: on a database error it is rolled back and reported as a
    problem, so the session holds nothing of this import. The caller commits. Changes to
    existing people and organisations are recorded in the change history by ``user``.
    """
    importer = Importer(session, dry_run, progress, extension, user=user, history=history)
    importer.add_sources(sources)
    if not importer.tables and not importer.report.problems:
        importer.report.problems.append(Problem("", None, None, _("geen bestanden om te importeren")))
    if on_total is not None:
        on_total(importer.total_rows * (1 if dry_run else 2))
    if importer.report.problems:
        return importer.report
    report = importer.check()
    if dry_run or not report.ok:
        return report
    _begin_for_sqlite(session)
    try:
        with session.begin_nested():
            importer.apply()
    except IntegrityError as exc:
        report.applied = False
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        report.problems.append(Problem("", None, None, _(
            "de database weigerde de gegevens (%(reason)s); er is niets veranderd",
            reason=reason)))
    except SQLAlchemyError as exc:
        report.applied = False
        report.problems.append(Problem("", None, None, _(
            "de import is mislukt (%(reason)s); er is niets veranderd",
            reason=type(exc).__name__)))
    return report



def _begin_for_sqlite(session: Session) -> None:
    """The standard library's sqlite3 begins a transaction only before an INSERT, UPDATE or
    DELETE; a SAVEPOINT issued first starts one of its own, and its RELEASE commits. Then the
    caller could no longer roll the import back (the import job does, when it fails after
    writing). Begin the transaction first, so the savepoint is nested in it."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN")
