"""Loading the demo network (``seed_data/``) into the database.

One CSV file per kind of record (columns in seed_data/README.md). Every row is matched by its
key (stored as ``external_id``), so loading twice changes nothing. A broken file stops the load
with the file, the line and the reason, and the caller rolls back: all or nothing.
Live counts (capacities) and verification dates are set when a record is created and then
left alone, so re-seeding a running demo does not undo what its users did.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netwerk.db import utcnow
from netwerk.models import (
    Area,
    AreaKind,
    Attendance,
    Capacity,
    CapacityType,
    CapacityUnit,
    Case,
    CaseInvolvement,
    CaseNeed,
    CaseStatus,
    ConstraintTag,
    Domain,
    EligibilityRule,
    Invitation,
    InvolvementRole,
    NeedWeight,
    Organisation,
    Professional,
    Role,
    RuleKind,
    Sector,
    Service,
    Tie,
    TieKind,
    TieSource,
    Urgency,
    User,
    WorkSession,
)
from netwerk.phone import InvalidPhoneNumber

FILES = (
    "areas.csv",
    "domains.csv",
    "organisations.csv",
    "services.csv",
    "eligibility_rules.csv",
    "capacity_types.csv",
    "capacities.csv",
    "professionals.csv",
    "work_sessions.csv",
    "attendance.csv",
    "invitations.csv",
    "ties.csv",
    "cases.csv",
    "case_needs.csv",
    "case_involvements.csv",
)


class SeedError(Exception):
    """A problem in a seed file: ``str()`` gives 'file, regel N: reason'."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{self.path}, regel {line}" if line else self.path
        super().__init__(f"{where}: {reason}")


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


class _Row:
    """One CSV row with helpers that raise SeedError naming the file and line."""

    def __init__(self, path: Path, line: int, data: dict[str, str]) -> None:
        self.path, self.line, self.data = path, line, data

    def fail(self, reason: str) -> SeedError:
        return SeedError(self.path, self.line, reason)

    def text(self, column: str, required: bool = True) -> str:
        value = (self.data.get(column) or "").strip()
        if required and not value:
            raise self.fail(f"kolom '{column}' is leeg")
        return value

    def optional(self, column: str) -> str | None:
        return self.text(column, required=False) or None

    def integer(self, column: str, required: bool = True) -> int | None:
        raw = self.text(column, required)
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError:
            raise self.fail(f"kolom '{column}': '{raw}' is geen geheel getal") from None

    def boolean(self, column: str, default: bool) -> bool:
        raw = self.text(column, required=False).lower()
        if not raw:
            return default
        if raw in {"ja", "yes", "true", "1"}:
            return True
        if raw in {"nee", "no", "false", "0"}:
            return False
        raise self.fail(f"kolom '{column}': '{raw}' is geen ja of nee")

    def day(self, column: str, required: bool = True) -> date | None:
        raw = self.text(column, required)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise self.fail(f"kolom '{column}': '{raw}' is geen datum (JJJJ-MM-DD)") from None

    def listed(self, column: str) -> list[str]:
        return [part.strip() for part in self.text(column, False).split(";") if part.strip()]

    def choice(self, column: str, enum_cls, required: bool = True):
        raw = self.text(column, required)
        if not raw:
            return None
        try:
            return enum_cls(raw)
        except ValueError:
            allowed = ", ".join(m.value for m in enum_cls)
            raise self.fail(f"kolom '{column}': '{raw}' is niet een van: {allowed}") from None


def _rows(path: Path, required_columns: tuple[str, ...]) -> Iterator[_Row]:
    """Rows of one seed file, read like an import file (UTF-8 or Windows-1252, , or ;)."""
    from netwerk.interchange.tabular import decode, sniff_delimiter

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SeedError(path, None, "bestand ontbreekt") from None
    try:
        text, _encoding = decode(raw)
    except ValueError as exc:
        raise SeedError(path, None, str(exc)) from None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise SeedError(path, 1, f"onleesbare kopregel ({exc})") from None
    missing = [c for c in required_columns if c not in header]
    if missing:
        raise SeedError(path, 1, "kolom ontbreekt: " + ", ".join(missing))
    try:
        for data in reader:
            if None in data:
                raise SeedError(path, reader.line_num, "meer velden dan kolommen")
            if not any((v or "").strip() for v in data.values()):
                continue
            yield _Row(path, reader.line_num, data)
    except csv.Error as exc:
        raise SeedError(path, reader.line_num, f"ongeldige CSV ({exc})") from None


class _Loader:
    def __init__(self, session: Session, directory: Path) -> None:
        self.session = session
        self.directory = directory
        self.report = SeedReport()
        self.areas: dict[str, Area] = {}
        self.domains: dict[str, Domain] = {}
        self.organisations: dict[str, Organisation] = {}
        self.services: dict[str, Service] = {}
        self.capacity_types: dict[str, CapacityType] = {}
        self.professionals: dict[str, Professional] = {}
        self.sessions: dict[str, WorkSession] = {}
        self.cases: dict[str, Case] = {}

    # -- helpers ---------------------------------------------------------------------------
    def rows(self, name: str, *columns: str) -> Iterator[_Row]:
        return _rows(self.directory / name, columns)

    def ref(self, row: _Row, column: str, table: dict[str, Any], required: bool = True):
        key = row.text(column, required)
        if not key:
            return None
        try:
            return table[key]
        except KeyError:
            raise row.fail(f"kolom '{column}': onbekende sleutel '{key}'") from None

    def refs(self, row: _Row, column: str, table: dict[str, Any]) -> list:
        result = []
        for key in row.listed(column):
            if key not in table:
                raise row.fail(f"kolom '{column}': onbekende sleutel '{key}'")
            result.append(table[key])
        return result

    def upsert(self, model, label: str, lookup: dict[str, Any], **values):
        obj = self.session.scalar(select(model).filter_by(**lookup))
        created = obj is None
        if created:
            obj = model(**lookup)
            self.session.add(obj)
        for attr, value in values.items():
            if getattr(obj, attr) != value:
                setattr(obj, attr, value)
        self.report.count(label, created)
        return obj, created

    def flush(self, row: _Row) -> None:
        try:
            with self.session.begin_nested():
                self.session.flush()
        except IntegrityError as exc:
            raise row.fail(f"in strijd met een regel van de database ({exc.orig})") from None

    # -- files -------------------------------------------------------------------------------
    def load(self) -> SeedReport:
        self.load_areas()
        self.load_domains()
        self.load_organisations()
        self.load_services()
        self.load_rules()
        self.load_capacity_types()
        self.load_professionals()
        self.load_capacities()
        self.load_work_sessions()
        self.load_attendance()
        self.load_invitations()
        self.load_ties()
        self.load_cases()
        self.load_case_needs()
        self.load_case_involvements()
        self.session.flush()
        return self.report

    def load_areas(self) -> None:
        for row in self.rows("areas.csv", "key", "kind", "name", "parent_key"):
            key = row.text("key")
            if key in self.areas:
                raise row.fail(f"sleutel '{key}' komt twee keer voor")
            parent = self.ref(row, "parent_key", self.areas, required=False)
            kind = row.choice("kind", AreaKind)
            expected_parent = {AreaKind.GEMEENTE: AreaKind.REGIO, AreaKind.WIJK: AreaKind.GEMEENTE}
            if kind in expected_parent and (parent is None or parent.kind != expected_parent[kind]):
                raise row.fail(f"een {kind.value} hoort onder een {expected_parent[kind].value}")
            area, _ = self.upsert(
                Area, "gebieden", {"external_id": key},
                kind=kind, name=row.text("name"), parent=parent, code=row.optional("code"),
            )
            self.areas[key] = area
            self.flush(row)

    def load_domains(self) -> None:
        for row in self.rows("domains.csv", "key", "name"):
            domain, _ = self.upsert(Domain, "domeinen", {"slug": row.text("key")},
                                    name=row.text("name"))
            self.domains[domain.slug] = domain
            self.flush(row)

    def load_organisations(self) -> None:
        columns = ("key", "name", "sector", "description", "phone", "crisis_phone",
                   "intake_route", "website", "email")
        for row in self.rows("organisations.csv", *columns):
            try:
                org, _ = self.upsert(
                    Organisation, "organisaties", {"external_id": row.text("key")},
                    name=row.text("name"), sector=row.choice("sector", Sector),
                    description=row.text("description", False),
                    phone=row.optional("phone"), crisis_phone=row.optional("crisis_phone"),
                    intake_route=row.text("intake_route", False),
                    website=row.optional("website"), email=row.optional("email"),
                )
            except InvalidPhoneNumber as exc:
                raise row.fail(f"{exc.field}: {exc.reason}") from None
            self.organisations[row.text("key")] = org
            self.flush(row)

    def load_services(self) -> None:
        columns = ("key", "organisation_key", "name", "description", "domains", "areas")
        for row in self.rows("services.csv", *columns):
            service, _ = self.upsert(
                Service, "aanbod", {"external_id": row.text("key")},
                organisation=self.ref(row, "organisation_key", self.organisations),
                name=row.text("name"), description=row.text("description", False),
                intake_route=row.text("intake_route", False),
                domains=self.refs(row, "domains", self.domains),
                areas=self.refs(row, "areas", self.areas),
            )
            self.services[row.text("key")] = service
            self.flush(row)

    def load_rules(self) -> None:
        for row in self.rows("eligibility_rules.csv", "service_key", "kind", "value"):
            service = self.ref(row, "service_key", self.services)
            kind = row.choice("kind", RuleKind)
            value, int_value = row.optional("value"), None
            if kind in (RuleKind.MIN_AGE, RuleKind.MAX_AGE):
                int_value, value = row.integer("value"), None
            elif kind is RuleKind.REQUIRES_FIXED_ADDRESS:
                value = None
            elif kind is RuleKind.REQUIRES_INDICATION:
                if value not in {"wmo", "wlz", "jeugdwet", "zvw"}:
                    raise row.fail(f"kolom 'value': '{value}' is geen indicatie (wmo, wlz, jeugdwet, zvw)")
            elif value not in {t.value for t in ConstraintTag}:
                raise row.fail(f"kolom 'value': '{value}' is geen bekende kenmerk-tag")
            lookup = {"service_id": service.id, "kind": kind, "value": value,
                      "int_value": int_value}
            self.upsert(EligibilityRule, "toegangsregels", lookup,
                        description=row.text("description", False))
            self.flush(row)

    def load_capacity_types(self) -> None:
        for row in self.rows("capacity_types.csv", "key", "name", "unit", "stale_after_hours"):
            ctype, _ = self.upsert(
                CapacityType, "capaciteitssoorten", {"slug": row.text("key")},
                name=row.text("name"), unit=row.choice("unit", CapacityUnit),
                stale_after_hours=row.integer("stale_after_hours"),
            )
            self.capacity_types[ctype.slug] = ctype
            self.flush(row)

    def load_capacities(self) -> None:
        columns = ("service_key", "area_key", "type_key", "available", "maximum")
        for row in self.rows("capacities.csv", *columns):
            service = self.ref(row, "service_key", self.services)
            area = self.ref(row, "area_key", self.areas)
            ctype = self.ref(row, "type_key", self.capacity_types)
            available, maximum = row.integer("available"), row.integer("maximum")
            if not 0 <= available <= maximum:
                raise row.fail(f"vrij ({available}) moet tussen 0 en het totaal ({maximum}) liggen")
            lookup = {"service_id": service.id, "area_id": area.id, "capacity_type_id": ctype.id}
            existing = self.session.scalar(select(Capacity).filter_by(**lookup))
            if existing is None:
                hours = row.integer("updated_hours_ago", False) or 0
                self.session.add(Capacity(**lookup, available=available, maximum=maximum,
                                          updated_at=utcnow() - timedelta(hours=hours)))
            self.report.count("capaciteiten", existing is None)
            self.flush(row)

    def load_professionals(self) -> None:
        columns = ("key", "name", "role", "organisation_key", "mobile", "wijken", "domains")
        for row in self.rows("professionals.csv", *columns):
            key = row.text("key")
            try:
                prof, created = self.upsert(
                    Professional, "professionals", {"external_id": key},
                    name=row.text("name"), role=row.text("role", False),
                    organisation=self.ref(row, "organisation_key", self.organisations),
                    mobile=row.optional("mobile"), landline=row.optional("landline"),
                    email=row.optional("email"),
                    areas=self.refs(row, "wijken", self.areas),
                    domains=self.refs(row, "domains", self.domains),
                    languages=row.listed("languages") or ["nl"],
                    caseload=row.integer("caseload", False) or 0,
                    caseload_max=row.integer("caseload_max", False) or 0,
                    available=row.boolean("available", True),
                )
            except InvalidPhoneNumber as exc:
                raise row.fail(f"{exc.field}: {exc.reason}") from None
            if created:
                days = row.integer("verified_days_ago", False) or 0
                prof.verified_at = utcnow() - timedelta(days=days)
            self.professionals[key] = prof
            self.flush(row)

    def load_work_sessions(self) -> None:
        for row in self.rows("work_sessions.csv", "key", "title", "date", "area_key"):
            ws, _ = self.upsert(
                WorkSession, "werksessies", {"external_id": row.text("key")},
                title=row.text("title"), date=row.day("date"),
                area=self.ref(row, "area_key", self.areas), notes=row.text("notes", False),
            )
            self.sessions[row.text("key")] = ws
            self.flush(row)

    def load_attendance(self) -> None:
        for row in self.rows("attendance.csv", "session_key", "professional_key", "invited_by_key"):
            ws = self.ref(row, "session_key", self.sessions)
            prof = self.ref(row, "professional_key", self.professionals)
            inviter = self.ref(row, "invited_by_key", self.professionals, required=False)
            self.upsert(
                Attendance, "aanwezigheid",
                {"work_session_id": ws.id, "professional_id": prof.id},
                invited_by_id=inviter.id if inviter else None,
            )
            self.flush(row)

    def load_invitations(self) -> None:
        columns = ("session_key", "inviter_key", "organisation_key", "professional_key")
        for row in self.rows("invitations.csv", *columns):
            ws = self.ref(row, "session_key", self.sessions)
            inviter = self.ref(row, "inviter_key", self.professionals)
            org = self.ref(row, "organisation_key", self.organisations)
            invited = self.ref(row, "professional_key", self.professionals, required=False)
            self.upsert(
                Invitation, "uitnodigingen",
                {"work_session_id": ws.id, "inviter_id": inviter.id, "organisation_id": org.id},
                professional_id=invited.id if invited else None, note=row.text("note", False),
            )
            self.flush(row)

    def load_ties(self) -> None:
        for row in self.rows("ties.csv", "a_key", "b_key", "kind", "source", "since"):
            a = self.ref(row, "a_key", self.professionals)
            b = self.ref(row, "b_key", self.professionals)
            if a is b:
                raise row.fail("een lijntje verbindt twee verschillende personen")
            a_id, b_id = Tie.ordered(a.id, b.id)
            source = row.choice("source", TieSource)
            ws = self.ref(row, "session_key", self.sessions, required=False)
            self.upsert(
                Tie, "lijntjes", {"a_id": a_id, "b_id": b_id},
                kind=row.choice("kind", TieKind), source=source,
                since=row.day("since"), work_session_id=ws.id if ws else None,
            )
            self.flush(row)

    def load_cases(self) -> None:
        columns = ("key", "reference", "area_key", "urgency", "status", "situation")
        for row in self.rows("cases.csv", *columns):
            constraints = row.listed("constraints")
            unknown = [t for t in constraints if t not in {c.value for c in ConstraintTag}]
            if unknown:
                raise row.fail("kolom 'constraints': onbekende tag " + ", ".join(unknown))
            from netwerk.privacy import find_identifiers

            found = find_identifiers(row.text("situation", False))
            if found:
                raise row.fail("kolom 'situation' bevat " + "; ".join(f.describe() for f in found))
            preferred = self.ref(row, "preferred_key", self.professionals, required=False)
            coordinator = self.ref(row, "coordinator_key", self.professionals, required=False)
            case, _ = self.upsert(
                Case, "casussen", {"reference": row.text("reference")},
                area=self.ref(row, "area_key", self.areas),
                urgency=row.choice("urgency", Urgency), status=row.choice("status", CaseStatus),
                situation=row.text("situation", False), client_age=row.integer("client_age", False),
                language=row.optional("language"), constraints=constraints,
                preferred_professional_id=preferred.id if preferred else None,
                coordinator_id=coordinator.id if coordinator else None,
            )
            self.cases[row.text("key")] = case
            self.flush(row)

    def load_case_needs(self) -> None:
        for row in self.rows("case_needs.csv", "case_key", "domain_key", "weight"):
            case = self.ref(row, "case_key", self.cases)
            domain = self.ref(row, "domain_key", self.domains)
            self.upsert(CaseNeed, "hulpvragen", {"case_id": case.id, "domain_id": domain.id},
                        weight=row.choice("weight", NeedWeight))
            self.flush(row)

    def load_case_involvements(self) -> None:
        for row in self.rows("case_involvements.csv", "case_key", "professional_key", "role"):
            case = self.ref(row, "case_key", self.cases)
            prof = self.ref(row, "professional_key", self.professionals)
            self.upsert(
                CaseInvolvement, "betrokkenen",
                {"case_id": case.id, "professional_id": prof.id},
                role=row.choice("role", InvolvementRole),
            )
            self.flush(row)


def load_seed(session: Session, directory: Path) -> SeedReport:
    """Load (or refresh) the seed in ``directory`` into ``session``; the caller commits."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SeedError(directory, None, "map met seed-bestanden bestaat niet")
    return _Loader(session, directory).load()


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    password: str


def ensure_demo_users(session: Session, directory: Path) -> list[DemoLogin]:
    """Create the demo accounts of ``demo_users.csv`` (one per role) if they are missing."""
    logins: list[DemoLogin] = []
    for row in _rows(Path(directory) / "demo_users.csv", ("email", "role", "password")):
        role = row.choice("role", Role)
        email = row.text("email").lower()
        key = row.optional("professional_key")
        prof = None
        if key:
            prof = session.scalar(select(Professional).where(Professional.external_id == key))
            if prof is None:
                raise row.fail(f"kolom 'professional_key': onbekende sleutel '{key}'")
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, role=role, professional=prof)
            user.set_password(row.text("password"))
            session.add(user)
        logins.append(DemoLogin(role, email, row.text("password")))
    session.flush()
    return logins
