"""Import a network from CSV/JSON: validate everything, report per row, then write all or nothing.

Usage (a view or the CLI)::

    report = run_import(session, [Source("professionals.csv", data)], dry_run=True)
    if report.ok and not dry_run: session.commit()

Two phases. *Validate* reads every file, checks every cell and every reference (against the
other files of the same import and, in batches, against what the database already holds) and
collects one ``Problem`` per bad cell. *Apply* runs only when there is no problem: it upserts
by external id (``key`` column → ``external_id``, or ``slug`` for domains and capacity types)
with executemany inserts/updates per chunk, so a re-import updates instead of duplicating.
The caller commits; on any problem or database error the session is rolled back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Integer,
    any_,
    bindparam,
    delete,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from netwerk.db import UTCDateTime, utcnow
from netwerk.i18n import _
from netwerk.interchange.kinds import BY_NAME, KINDS, Kind, kind_for_filename
from netwerk.interchange.tabular import Table, TableError, json_tables, read_csv, read_json
from netwerk.models import (
    Area,
    AreaKind,
    Capacity,
    CapacityType,
    CapacityUnit,
    ConstraintTag,
    Domain,
    EligibilityRule,
    Indication,
    Organisation,
    Professional,
    RuleKind,
    Sector,
    Service,
    Tie,
    TieKind,
    TieSource,
    professional_areas,
    professional_domains,
    service_areas,
    service_domains,
)
from netwerk.phone import InvalidPhoneNumber, normalize

CHUNK = 500
LABELS = {"mobile": "mobiel", "landline": "vast nummer", "phone": "telefoon",
          "crisis_phone": "crisisnummer"}
# Entity kinds: model and the column that holds the import key.
ENTITIES: dict[str, tuple[Any, Any]] = {
    "areas": (Area, Area.external_id),
    "domains": (Domain, Domain.slug),
    "organisations": (Organisation, Organisation.external_id),
    "services": (Service, Service.external_id),
    "capacity_types": (CapacityType, CapacityType.slug),
    "professionals": (Professional, Professional.external_id),
}


@dataclass(frozen=True)
class Source:
    """One uploaded or found file."""

    filename: str
    data: bytes


@dataclass
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(_("rij %(n)s", n=self.row))
        if self.column:
            where.append(LABELS.get(self.column, self.column))
        return ", ".join(where) + ": " + self.message


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

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[str]:
        lines = []
        for kind in KINDS:
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


class ImportFailed(Exception):
    """Raised by ``run_import`` callers who want an exception; carries the report."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__("; ".join(str(p) for p in report.problems[:5]))


class Row:
    """One row; every accessor records a Problem and returns None instead of raising."""

    __slots__ = ("data", "file", "line", "problems")

    def __init__(self, file: str, line: int, data: dict[str, str], problems: list[Problem]):
        self.file, self.line, self.data, self.problems = file, line, data, problems

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, column, message))

    def text(self, column: str, required: bool = False) -> str:
        value = (self.data.get(column) or "").strip()
        if required and not value:
            self.problem(column, _("is leeg, maar verplicht"))
        return value

    def integer(self, column: str, default: int | None = None, minimum: int | None = 0):
        raw = self.text(column)
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
        if raw in {"ja", "yes", "true", "1", "waar", "j"}:
            return True
        if raw in {"nee", "no", "false", "0", "onwaar", "n"}:
            return False
        self.problem(column, _("'%(raw)s' is geen ja of nee", raw=raw))
        return None

    def day(self, column: str, default: date | None = None) -> date | None:
        raw = self.text(column)
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

    def listed(self, column: str) -> list[str]:
        return [p.strip() for p in self.text(column).split(";") if p.strip()]


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Importer:
    """Validates a set of tables and writes them; see the module docstring."""

    def __init__(self, session: Session, dry_run: bool,
                 progress: Callable[[int], None] | None = None) -> None:
        self.session = session
        self.report = ImportReport(dry_run=dry_run)
        self.tables: dict[str, Table] = {}
        self.progress = progress or (lambda n: None)
        # key -> id for entity kinds; filled from the database (batched) and after inserts.
        self.ids: dict[str, dict[str, int]] = {k: {} for k in ENTITIES}
        self.absent: dict[str, set[str]] = {k: set() for k in ENTITIES}
        self.file_keys: dict[str, set[str]] = {k: set() for k in ENTITIES}
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.area_kinds: dict[str, AreaKind] = {}

    # -- reading ---------------------------------------------------------------------------
    def add_sources(self, sources: Iterable[Source]) -> None:
        for source in sources:
            self.add_source(source)

    def add_source(self, source: Source) -> None:
        name = source.filename.rsplit("/", 1)[-1]
        lower = name.lower()
        try:
            if lower.endswith(".json"):
                self._add_json(name, read_json(source.data))
            elif lower.endswith((".csv", ".txt")):
                kind = kind_for_filename(name)
                if kind is None:
                    self._unknown_file(name)
                    return
                self._add_table(kind, read_csv(source.data, name))
            else:
                self.report.problems.append(Problem(name, None, None, _(
                    "onbekend bestandstype; gebruik .csv of .json")))
        except TableError as exc:
            self.report.problems.append(Problem(name, None, None, str(exc)))

    def _unknown_file(self, name: str) -> None:
        names = ", ".join(k.name for k in KINDS)
        self.report.problems.append(Problem(name, None, None, _(
            "uit de bestandsnaam blijkt niet welke soort gegevens erin staan; noem het bestand "
            "naar de soort (%(names)s)", names=names)))

    def _add_json(self, name: str, payload: object) -> None:
        from netwerk.interchange.hsds import hsds_tables, is_hsds

        if is_hsds(payload):
            for kind_name, table in hsds_tables(payload, name).items():
                self._add_table(BY_NAME[kind_name], table)
            return
        if isinstance(payload, dict):
            unknown = [k for k in payload if k not in BY_NAME]
            if unknown:
                raise TableError(_("onbekende soort(en) in JSON: %(names)s",
                                   names=", ".join(unknown)))
            for key, records in payload.items():
                self._add_table(BY_NAME[key], json_tables(records, f"{name} ({key})"))
            return
        kind = kind_for_filename(name)
        if kind is None:
            self._unknown_file(name)
            return
        self._add_table(kind, json_tables(payload, name))

    def _add_table(self, kind: Kind, table: Table) -> None:
        if kind.name in self.tables:
            self.report.problems.append(Problem(table.name, None, None, _(
                "er is al een bestand met %(label)s in deze import (%(other)s)",
                label=kind.label, other=self.tables[kind.name].name)))
            return
        missing = [c for c in kind.required if c not in table.header]
        if missing and table.rows:
            self.report.problems.append(Problem(table.name, None, None, _(
                "kolom ontbreekt: %(columns)s (verplicht voor %(label)s)",
                columns=", ".join(missing), label=kind.label)))
            return
        ignored = [c for c in table.header if c and c not in kind.columns]
        if ignored:
            self.report.warnings.append(_("%(file)s: kolom(men) genegeerd: %(columns)s",
                                          file=table.name, columns=", ".join(ignored)))
        self.tables[kind.name] = table

    @property
    def total_rows(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())

    # -- database helpers --------------------------------------------------------------------
    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _in(self, column, values: list):
        """``column IN values``; on PostgreSQL as ``= ANY(array)``: one parameter, not thousands
        (psycopg re-parses statements with many parameters on every call)."""
        if self._postgres:
            return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
        return column.in_(values)

    def _insert(self, table, rows: list[dict], returning: tuple = ()):
        """Insert many rows. PostgreSQL: one ``INSERT … SELECT FROM unnest(arrays)`` per batch;
        elsewhere an executemany (batched into multi-row INSERTs by SQLAlchemy)."""
        if not rows:
            return []
        if not self._postgres:
            statement = insert(table)
            if returning:
                statement = statement.returning(*(table.c[c] for c in returning))
                return self.session.execute(statement, rows).all()
            self.session.execute(statement, rows)
            return []
        return _pg_insert(self.session, table, rows, returning)

    # -- lookups ---------------------------------------------------------------------------
    def _lookup(self, kind: str, keys: Iterable[str]) -> None:
        """Fetch the ids of ``keys`` already in the database, one query per chunk."""
        cache, absent = self.ids[kind], self.absent[kind]
        wanted = sorted({k for k in keys if k and k not in cache and k not in absent})
        if not wanted:
            return
        model, column = ENTITIES[kind]
        extra = (model.kind,) if model is Area else ()
        for chunk in _chunks(wanted):
            found = self.session.execute(
                select(column, model.id, *extra).where(self._in(column, chunk)))
            for row in found:
                cache[row[0]] = row[1]
                if extra:
                    self.area_kinds[row[0]] = AreaKind(row[2])
            absent.update(k for k in chunk if k not in cache)

    def _known(self, row: Row, column: str, kind: str, key: str) -> bool:
        if key in self.file_keys[kind] or key in self.ids[kind]:
            return True
        self._lookup(kind, [key])
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
        self._lookup(kind, keys - self.file_keys[kind])

    # -- validation ------------------------------------------------------------------------
    def validate(self) -> ImportReport:
        # Keys defined by the files, first, so that references between files resolve.
        for kind_name in ENTITIES:
            table = self.tables.get(kind_name)
            if table is None:
                continue
            seen: dict[str, int] = {}
            for line, data in table.rows:
                key = (data.get("key") or "").strip()
                if not key:
                    continue
                if key in seen:
                    self.report.problems.append(Problem(table.name, line, "key", _(
                        "sleutel '%(key)s' komt twee keer voor (ook op rij %(other)s)",
                        key=key, other=seen[key])))
                else:
                    seen[key] = line
            self.file_keys[kind_name] = set(seen)
            self._lookup(kind_name, seen)
        for kind in KINDS:
            table = self.tables.get(kind.name)
            if table is None:
                continue
            self.report.rows[kind.name] = len(table.rows)
            validator = getattr(self, f"_validate_{kind.name}")
            records = []
            problems = self.report.problems
            for line, data in table.rows:
                before = len(problems)
                row = Row(table.name, line, data, problems)
                record = validator(row)
                if record is not None and len(problems) == before:
                    record["_line"] = line
                    records.append(record)
            self.progress(len(table.rows))
            self.records[kind.name] = records
            if kind.name in ENTITIES:
                existing = sum(1 for r in records if r["_key"] in self.ids[kind.name])
                self.report.updated[kind.name] = existing
                self.report.created[kind.name] = len(records) - existing
        return self.report

    def _validate_areas(self, row: Row) -> dict | None:
        key, name = row.text("key", True), row.text("name", True)
        kind = row.choice("kind", AreaKind)
        parent = row.text("parent_key")
        if kind is not None:
            self.area_kinds[key] = kind
        return {"_key": key, "kind": kind, "name": name, "code": row.text("code") or None,
                "_parent": parent}

    def _check_area_parents(self) -> None:
        """A gemeente hangs under a regio and a wijk under a gemeente (after all rows are read)."""
        table = self.tables["areas"]
        expected = {AreaKind.GEMEENTE: AreaKind.REGIO, AreaKind.WIJK: AreaKind.GEMEENTE}
        good = []
        for record in self.records.get("areas", []):
            row = Row(table.name, record["_line"], {}, self.report.problems)
            parent = record["_parent"]
            if parent and not self._known(row, "parent_key", "areas", parent):
                continue
            need = expected.get(record["kind"])
            if need is not None and (not parent or self.area_kinds.get(parent) != need):
                row.problem("parent_key", _("een %(kind)s hoort onder een %(parent)s",
                                            kind=record["kind"].value, parent=need.value))
                continue
            good.append(record)
        self.records["areas"] = good

    def _validate_domains(self, row: Row) -> dict | None:
        return {"_key": row.text("key", True), "name": row.text("name", True)}

    def _validate_organisations(self, row: Row) -> dict | None:
        email = row.text("email")
        if email and "@" not in email:
            row.problem("email", _("'%(raw)s' is geen e-mailadres", raw=email))
        return {
            "_key": row.text("key", True), "name": row.text("name", True),
            "sector": row.choice("sector", Sector), "description": row.text("description"),
            "phone": row.phone("phone"), "crisis_phone": row.phone("crisis_phone"),
            "intake_route": row.text("intake_route"), "website": row.text("website") or None,
            "email": email or None,
        }

    def _refs(self, row: Row, column: str, kind: str) -> list[str]:
        keys = row.listed(column)
        return [k for k in keys if self._known(row, column, kind, k)]

    def _validate_services(self, row: Row) -> dict | None:
        org = row.text("organisation_key", True)
        if org:
            self._known(row, "organisation_key", "organisations", org)
        return {
            "_key": row.text("key", True), "_org": org, "name": row.text("name", True),
            "description": row.text("description"), "intake_route": row.text("intake_route"),
            "_domains": self._refs(row, "domains", "domains"),
            "_areas": self._refs(row, "areas", "areas"),
        }

    def _validate_eligibility_rules(self, row: Row) -> dict | None:
        service = row.text("service_key", True)
        if service:
            self._known(row, "service_key", "services", service)
        kind = row.choice("kind", RuleKind)
        value, int_value = row.text("value") or None, None
        if kind in (RuleKind.MIN_AGE, RuleKind.MAX_AGE):
            int_value, value = row.integer("value"), None
            if int_value is None and not row.text("value"):
                row.problem("value", _("een leeftijd is verplicht bij %(kind)s", kind=kind.value))
        elif kind is RuleKind.REQUIRES_FIXED_ADDRESS:
            value = None
        elif kind is RuleKind.REQUIRES_INDICATION:
            if value not in {i.value for i in Indication}:
                row.problem("value", _("'%(raw)s' is geen indicatie (wmo, wlz, jeugdwet, zvw)",
                                       raw=value or ""))
        elif kind is not None and value not in {t.value for t in ConstraintTag}:
            row.problem("value", _("'%(raw)s' is geen bekende kenmerk-tag", raw=value or ""))
        return {"_service": service, "kind": kind, "value": value, "int_value": int_value,
                "description": row.text("description")}

    def _validate_capacity_types(self, row: Row) -> dict | None:
        hours = row.integer("stale_after_hours", default=24, minimum=1)
        return {"_key": row.text("key", True), "name": row.text("name", True),
                "unit": row.choice("unit", CapacityUnit), "stale_after_hours": hours}

    def _validate_professionals(self, row: Row) -> dict | None:
        org = row.text("organisation_key", True)
        if org:
            self._known(row, "organisation_key", "organisations", org)
        mobile, landline = row.phone("mobile", mobile=True), row.phone("landline")
        if mobile and mobile == landline:
            row.problem("landline", _("is hetzelfde nummer als mobiel"))
        email = row.text("email")
        if email and "@" not in email:
            row.problem("email", _("'%(raw)s' is geen e-mailadres", raw=email))
        caseload, caseload_max = row.integer("caseload", 0), row.integer("caseload_max", 0)
        return {
            "_key": row.text("key", True), "_org": org, "name": row.text("name", True),
            "role": row.text("role"), "mobile": mobile, "landline": landline,
            "email": email or None, "languages": row.listed("languages") or ["nl"],
            "caseload": caseload, "caseload_max": caseload_max,
            "available": row.boolean("available", True),
            "_areas": self._refs(row, "wijken", "areas"),
            "_domains": self._refs(row, "domains", "domains"),
        }

    def _check_unique(self, kind: str, column: str, model_column, label_column: str) -> None:
        """A value that must be unique: twice in the file, or already someone else's."""
        records = self.records.get(kind, [])
        table = self.tables[kind]
        seen: dict[str, dict] = {}
        bad: set[int] = set()
        for record in records:
            value = record.get(column)
            if not value:
                continue
            if value in seen:
                self.report.problems.append(Problem(table.name, record["_line"], label_column, _(
                    "'%(value)s' staat ook op rij %(other)s", value=value,
                    other=seen[value]["_line"])))
                bad.add(id(record))
            else:
                seen[value] = record
        model, key_column = ENTITIES[kind]
        for chunk in _chunks(list(seen)):
            for value, owner in self.session.execute(
                select(model_column, key_column).where(self._in(model_column, chunk))
            ):
                record = seen[value]
                if owner != record["_key"]:
                    self.report.problems.append(Problem(table.name, record["_line"], label_column,
                        _("'%(value)s' is al van een ander record in netwerk (%(owner)s)",
                          value=value, owner=owner or _("zonder sleutel"))))
                    bad.add(id(record))
        if bad:
            self.records[kind] = [r for r in records if id(r) not in bad]

    def _validate_ties(self, row: Row) -> dict | None:
        a, b = row.text("a_key", True), row.text("b_key", True)
        for column, key in (("a_key", a), ("b_key", b)):
            if key:
                self._known(row, column, "professionals", key)
        if a and a == b:
            row.problem("b_key", _("een lijntje verbindt twee verschillende personen"))
        return {"_a": a, "_b": b, "kind": row.choice("kind", TieKind, default=TieKind.KENT),
                "source": row.choice("source", TieSource, default=TieSource.IMPORT),
                "since": row.day("since", date.today()), "note": row.text("note")}

    def _validate_capacities(self, row: Row) -> dict | None:
        refs = (("service_key", "services"), ("area_key", "areas"),
                ("type_key", "capacity_types"))
        keys = {}
        for column, kind in refs:
            keys[column] = row.text(column, True)
            if keys[column]:
                self._known(row, column, kind, keys[column])
        available, maximum = row.integer("available"), row.integer("maximum")
        if available is None and not row.text("available"):
            row.problem("available", _("is leeg, maar verplicht"))
        if maximum is None and not row.text("maximum"):
            row.problem("maximum", _("is leeg, maar verplicht"))
        if available is not None and maximum is not None and available > maximum:
            row.problem("available", _("vrij (%(a)s) is meer dan het totaal (%(m)s)",
                                       a=available, m=maximum))
        return {"_service": keys["service_key"], "_area": keys["area_key"],
                "_type": keys["type_key"], "available": available, "maximum": maximum}

    def check(self) -> ImportReport:
        """Validate, including the checks that need all rows of a kind."""
        for kind_name, table in self.tables.items():
            if kind_name == "services":
                self._prefetch(table, "organisation_key", "organisations")
            if kind_name == "professionals":
                self._prefetch(table, "organisation_key", "organisations")
                self._prefetch(table, "wijken", "areas", listed=True)
                self._prefetch(table, "domains", "domains", listed=True)
            if kind_name == "ties":
                self._prefetch(table, "a_key", "professionals")
                self._prefetch(table, "b_key", "professionals")
        self.validate()
        if "areas" in self.records:
            self._check_area_parents()
        if "organisations" in self.records:
            self._check_unique("organisations", "name", Organisation.name, "name")
        if "professionals" in self.records:
            self._check_unique("professionals", "mobile", Professional.mobile, "mobile")
        if "ties" in self.records:
            seen: dict[tuple[str, str], int] = {}
            for record in self.records["ties"]:
                pair = tuple(sorted((record["_a"], record["_b"])))
                if pair in seen:
                    self.report.problems.append(Problem(self.tables["ties"].name,
                        record["_line"], None, _("dit lijntje staat ook op rij %(other)s",
                                                 other=seen[pair])))
                else:
                    seen[pair] = record["_line"]
        self.report.problems.sort(key=lambda p: (p.file, p.row or 0))
        return self.report

    # -- writing ---------------------------------------------------------------------------
    def apply(self) -> None:
        """Write every validated record (call only when the report is ok)."""
        for kind in ENTITIES:
            self.report.updated.pop(kind, None)
        if "areas" in self.records:
            order = {AreaKind.REGIO: 0, AreaKind.GEMEENTE: 1, AreaKind.WIJK: 2}
            for level in (0, 1, 2):
                batch = [r for r in self.records["areas"] if order[r["kind"]] == level]
                for r in batch:
                    r["parent_id"] = self.ids["areas"].get(r["_parent"]) if r["_parent"] else None
                self._upsert("areas", batch)
        if "domains" in self.records:
            self._upsert("domains", self.records["domains"])
        if "organisations" in self.records:
            self._upsert("organisations", self.records["organisations"])
        if "services" in self.records:
            records = self.records["services"]
            for r in records:
                r["organisation_id"] = self.ids["organisations"][r["_org"]]
            self._upsert("services", records)
            self._links("services", records, service_areas, "service_id",
                        [("_areas", "area_id", "areas")])
            self._links("services", records, service_domains, "service_id",
                        [("_domains", "domain_id", "domains")])
        if "eligibility_rules" in self.records:
            self._apply_rules(self.records["eligibility_rules"])
        if "capacity_types" in self.records:
            self._upsert("capacity_types", self.records["capacity_types"])
        if "professionals" in self.records:
            records = self.records["professionals"]
            for r in records:
                r["organisation_id"] = self.ids["organisations"][r["_org"]]
            self._upsert("professionals", records)
            self._links("professionals", records, professional_areas, "professional_id",
                        [("_areas", "area_id", "areas")])
            self._links("professionals", records, professional_domains, "professional_id",
                        [("_domains", "domain_id", "domains")])
        if "ties" in self.records:
            self._apply_ties(self.records["ties"])
        if "capacities" in self.records:
            self._apply_capacities(self.records["capacities"])
        self.session.flush()
        self.report.applied = True

    @staticmethod
    def _values(record: dict) -> dict:
        return {k: v for k, v in record.items() if not k.startswith("_")}

    def _upsert(self, kind: str, records: list[dict]) -> None:
        """Insert new records; update existing ones only where a value differs."""
        model, key_column = ENTITIES[kind]
        ids = self.ids[kind]
        new = [r for r in records if r["_key"] not in ids]
        old = [r for r in records if r["_key"] in ids]
        keyname = key_column.key
        table = model.__table__
        for chunk in _chunks(new, 5000):
            rows = [{**self._values(r), keyname: r["_key"]} for r in chunk]
            for key, pk in self._insert(table, rows, returning=(keyname, "id")):
                ids[key] = pk
            self.progress(len(chunk))
        changed_count = 0
        for chunk in _chunks(old, 2000):
            rows = {ids[r["_key"]]: self._values(r) for r in chunk}
            columns = sorted({c for values in rows.values() for c in values})
            current = self.session.execute(
                select(model.id, *(getattr(model, c) for c in columns))
                .where(self._in(model.id, list(rows)))
            )
            changed = []
            for row in current:
                values = rows[row.id]
                if any(row._mapping[c] != v for c, v in values.items()):
                    changed.append({**values, "id": row.id})
            if changed:
                self.session.execute(update(model), changed)
            changed_count += len(changed)
            self.progress(len(chunk))
        self.report.updated[kind] = self.report.updated.get(kind, 0) + changed_count
        self.report.unchanged[kind] = self.report.unchanged.get(kind, 0) + len(old) - changed_count

    def _links(self, kind: str, records: list[dict], table, owner_column: str,
               links: list[tuple[str, str, str]]) -> None:
        """Make the association rows of the given owners (areas, domains) match the file."""
        ids = self.ids[kind]
        (field_name, column, target), = links
        targets = self.ids[target]
        for chunk in _chunks(records, 2000):
            wanted = {ids[r["_key"]]: {targets[k] for k in r[field_name]} for r in chunk}
            existing: dict[int, set[int]] = {owner: set() for owner in wanted}
            for owner, target_id in self.session.execute(
                select(table.c[owner_column], table.c[column])
                .where(self._in(table.c[owner_column], list(wanted)))
            ):
                existing[owner].add(target_id)
            stale = [owner for owner, have in existing.items() if have and have != wanted[owner]]
            if stale:
                self.session.execute(delete(table).where(self._in(table.c[owner_column], stale)))
            rows = [{owner_column: owner, column: target_id}
                    for owner, want in wanted.items() if want != existing[owner]
                    for target_id in sorted(want)]
            self._insert(table, rows)

    def _apply_rules(self, records: list[dict]) -> None:
        services = self.ids["services"]
        service_ids = sorted({services[r["_service"]] for r in records})
        existing: dict[tuple, int] = {}
        for chunk in _chunks(service_ids):
            for rule in self.session.execute(
                select(EligibilityRule.id, EligibilityRule.service_id, EligibilityRule.kind,
                       EligibilityRule.value, EligibilityRule.int_value)
                .where(self._in(EligibilityRule.service_id, chunk))
            ):
                existing[(rule.service_id, RuleKind(rule.kind), rule.value, rule.int_value)] = rule.id
        new, old = [], []
        for r in records:
            values = self._values(r) | {"service_id": services[r["_service"]]}
            natural = (values["service_id"], r["kind"], r["value"], r["int_value"])
            if natural in existing:
                old.append({"id": existing[natural], "description": r["description"]})
            else:
                existing[natural] = -1
                new.append(values)
        if new:
            self.session.execute(insert(EligibilityRule).returning(EligibilityRule.id), new)
        if old:
            self.session.execute(update(EligibilityRule), old)
        self.report.created["eligibility_rules"] = len(new)
        self.report.updated["eligibility_rules"] = len(old)
        self.progress(len(records))

    def _apply_ties(self, records: list[dict]) -> None:
        people = self.ids["professionals"]
        pairs = {}
        for r in records:
            a_id, b_id = Tie.ordered(people[r["_a"]], people[r["_b"]])
            pairs[(a_id, b_id)] = self._values(r) | {"a_id": a_id, "b_id": b_id}
        existing: dict[tuple[int, int], int] = {}
        keys = list(pairs)
        for chunk in _chunks(keys):
            for tie_id, a_id, b_id in self.session.execute(
                select(Tie.id, Tie.a_id, Tie.b_id).where(tuple_(Tie.a_id, Tie.b_id).in_(chunk))
            ):
                existing[(a_id, b_id)] = tie_id
        new = [v for k, v in pairs.items() if k not in existing]
        old = [v | {"id": existing[k]} for k, v in pairs.items() if k in existing]
        for chunk in _chunks(new, 2000):
            self.session.execute(insert(Tie).returning(Tie.id), chunk)
        for chunk in _chunks(old, 2000):
            self.session.execute(update(Tie), chunk)
        self.report.created["ties"] = len(new)
        self.report.updated["ties"] = len(old)
        self.progress(len(records))

    def _apply_capacities(self, records: list[dict]) -> None:
        now = utcnow()
        existing: dict[tuple[int, int, int], tuple[int, int]] = {}
        triples = {}
        for r in records:
            triple = (self.ids["services"][r["_service"]], self.ids["areas"][r["_area"]],
                      self.ids["capacity_types"][r["_type"]])
            triples[triple] = r
        for chunk in _chunks(list(triples)):
            for cap_id, s, a, t, version in self.session.execute(
                select(Capacity.id, Capacity.service_id, Capacity.area_id,
                       Capacity.capacity_type_id, Capacity.version)
                .where(tuple_(Capacity.service_id, Capacity.area_id,
                              Capacity.capacity_type_id).in_(chunk))
            ):
                existing[(s, a, t)] = (cap_id, version)
        new, old = [], []
        for (s, a, t), r in triples.items():
            values = {"available": r["available"], "maximum": r["maximum"], "updated_at": now}
            if (s, a, t) in existing:
                cap_id, version = existing[(s, a, t)]
                old.append(values | {"id": cap_id, "version": version + 1})
            else:
                new.append(values | {"service_id": s, "area_id": a, "capacity_type_id": t})
        if new:
            self.session.execute(insert(Capacity).returning(Capacity.id), new)
        if old:
            self.session.execute(update(Capacity), old)
        self.report.created["capacities"] = len(new)
        self.report.updated["capacities"] = len(old)
        self.progress(len(records))


_PG_ARRAY_TYPES = {Boolean: "boolean", Integer: "bigint", Date: "date", JSON: "text"}


def _pg_type(column) -> str:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return "timestamptz"
    for base, name in _PG_ARRAY_TYPES.items():
        if isinstance(kind, base):
            return name
    return "text"


def _pg_default(column, row_count: int) -> list | None:
    default = column.default
    if default is None or column.primary_key:
        return None
    if default.is_callable:
        return [default.arg(None) for _ in range(row_count)]
    if default.is_scalar:
        return [default.arg] * row_count
    return None


def _pg_insert(session: Session, table, rows: list[dict], returning: tuple) -> list:
    """``INSERT INTO t (…) SELECT … FROM unnest(%s::type[], …)``: one array parameter per column,
    Python-side column defaults filled in, JSON columns sent as text and cast."""
    given = list(rows[0])
    arrays: dict[str, list] = {c: [r.get(c) for r in rows] for c in given}
    for column in table.columns:
        if column.name not in arrays:
            values = _pg_default(column, len(rows))
            if values is not None:
                arrays[column.name] = values
    names = list(arrays)
    params, selects = [], []
    for name in names:
        column = table.c[name]
        kind = _pg_type(column)
        values = arrays[name]
        if isinstance(column.type, JSON):
            values = [None if v is None else json.dumps(v) for v in values]
            selects.append(f'u."{name}"::json')
        else:
            selects.append(f'u."{name}"')
        values = [v.value if isinstance(v, Enum) else v for v in values]
        params.append((values, kind))
    quoted = ", ".join(f'"{n}"' for n in names)
    unnest = ", ".join(f"%s::{kind}[]" for _values, kind in params)
    sql = (f'INSERT INTO "{table.name}" ({quoted}) SELECT {", ".join(selects)} '
           f"FROM unnest({unnest}) AS u({quoted})")
    if returning:
        sql += " RETURNING " + ", ".join(f'"{c}"' for c in returning)
    cursor = session.connection().connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, [values for values, _kind in params])
        return cursor.fetchall() if returning else []
    finally:
        cursor.close()


def run_import(session: Session, sources: Iterable[Source], dry_run: bool = False,
               progress: Callable[[int], None] | None = None,
               on_total: Callable[[int], None] | None = None) -> ImportReport:
    """Validate ``sources`` and, unless ``dry_run`` or there is a problem, write them.

    Writes happen in a savepoint: on a database error it is rolled back and reported as a
    problem, so the session holds nothing of this import. The caller commits.
    """
    importer = Importer(session, dry_run, progress)
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


def sources_from_path(path) -> list[Source]:
    """A file, or every .csv/.json file of a folder (named by kind)."""
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir()
                       if p.is_file() and p.suffix.lower() in {".csv", ".json"})
        return [Source(p.name, p.read_bytes()) for p in files if kind_for_filename(p.name)
                or p.suffix.lower() == ".json"]
    return [Source(path.name, path.read_bytes())]
