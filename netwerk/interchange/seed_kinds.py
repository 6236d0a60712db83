"""Kinds only the demo seed loads (work sessions, attendance, invitations, cases, case needs and
involvements), as an importer ``Extension``: the same Row, report, problems and writer as the
public import, plus the seed's extra columns (verification and capacity ages)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import and_, select, update

from netwerk.i18n import _
from netwerk.interchange.importer import Extension
from netwerk.interchange.kinds import BY_NAME, Kind
from netwerk.interchange.rows import Row
from netwerk.interchange.sql import chunks, in_, insert_many
from netwerk.interchange.validate import Refs, ref, refs_of
from netwerk.interchange.writer import ORDER, upsert
from netwerk.models import (
    Attendance,
    BasisKind,
    Case,
    CaseBasis,
    CaseInvolvement,
    CaseNeed,
    CaseStatus,
    ConstraintTag,
    Invitation,
    InvolvementRole,
    LegalGround,
    NeedWeight,
    Urgency,
    WorkSession,
    case_opposing,
)

if TYPE_CHECKING:
    from netwerk.interchange.importer import Importer

KINDS: tuple[Kind, ...] = (
    replace(BY_NAME["professionals"],
            optional=BY_NAME["professionals"].optional + ("verified_days_ago",)),
    replace(BY_NAME["ties"], optional=BY_NAME["ties"].optional + ("session_key",)),
    replace(BY_NAME["capacities"], optional=("updated_hours_ago",)),
    Kind("work_sessions", "werksessies", ("key", "title", "date", "area_key"), ("notes",)),
    Kind("attendance", "aanwezigheid", ("session_key", "professional_key"),
         ("invited_by_key",)),
    Kind("invitations", "uitnodigingen", ("session_key", "inviter_key", "organisation_key"),
         ("professional_key", "note")),
    Kind("cases", "casussen", ("key", "reference", "area_key", "urgency", "status"),
         ("situation", "client_age", "language", "constraints", "preferred_key",
          "coordinator_key", "opposing_keys")),
    Kind("case_needs", "hulpvragen", ("case_key", "domain_key", "weight")),
    Kind("case_involvements", "betrokkenen", ("case_key", "professional_key", "role"),
         ("consent_given_on", "consent_scope", "legal_ground")),
)
# Written in this order: ties name the work session they were made in.
SEED_ORDER = ORDER[:7] + ("capacities", "work_sessions", "attendance", "invitations", "ties",
                          "cases", "case_needs", "case_involvements")


def validate_work_sessions(row: Row, refs: Refs) -> dict:
    return {"_key": row.text("key", True), "title": row.text("title", True),
            "date": row.day("date", required=True),
            "_area": ref(row, refs, "area_key", "areas"), "notes": row.text("notes")}


def validate_attendance(row: Row, refs: Refs) -> dict:
    return {"_session": ref(row, refs, "session_key", "work_sessions"),
            "_professional": ref(row, refs, "professional_key", "professionals"),
            "_invited_by": ref(row, refs, "invited_by_key", "professionals", required=False)}


def validate_invitations(row: Row, refs: Refs) -> dict:
    return {"_session": ref(row, refs, "session_key", "work_sessions"),
            "_inviter": ref(row, refs, "inviter_key", "professionals"),
            "_org": ref(row, refs, "organisation_key", "organisations"),
            "_professional": ref(row, refs, "professional_key", "professionals", required=False),
            "note": row.text("note")}


class CaseKinds:
    """Cases are stored by reference; the seed's other files name them by ``key``."""

    def __init__(self) -> None:
        self.references: dict[str, str] = {}

    def case(self, row: Row, refs: Refs) -> str:
        key = row.text("case_key", True)
        if key and key not in self.references:
            row.problem("case_key", _("onbekende sleutel '%(key)s' (niet in dit bestand en niet "
                                      "in netwerk)", key=key))
        return self.references.get(key, "")

    def validate_cases(self, row: Row, refs: Refs) -> dict:
        from netwerk.privacy import find_identifiers

        reference = row.text("reference", True)
        self.references[row.text("key", True)] = reference
        constraints = row.listed("constraints")
        unknown = [t for t in constraints if t not in {c.value for c in ConstraintTag}]
        if unknown:
            row.problem("constraints", _("onbekende tag %(tags)s", tags=", ".join(unknown)))
        situation = row.text("situation")
        found = find_identifiers(situation)
        if found:
            row.problem("situation", _("bevat %(found)s",
                                       found="; ".join(f.describe() for f in found)))
        return {"_key": reference, "_area": ref(row, refs, "area_key", "areas"),
                "urgency": row.choice("urgency", Urgency),
                "status": row.choice("status", CaseStatus), "situation": situation,
                "client_age": row.integer("client_age"),
                "language": row.text("language") or None, "constraints": constraints,
                "_preferred": ref(row, refs, "preferred_key", "professionals", required=False),
                "_coordinator": ref(row, refs, "coordinator_key", "professionals",
                                    required=False),
                "_opposing": refs_of(row, refs, "opposing_keys", "organisations")}

    def validate_case_needs(self, row: Row, refs: Refs) -> dict:
        return {"_case": self.case(row, refs),
                "_domain": ref(row, refs, "domain_key", "domains"),
                "weight": row.choice("weight", NeedWeight)}

    def validate_case_involvements(self, row: Row, refs: Refs) -> dict:
        """The basis for sharing: a consent (given on, for what) or a legal ground."""
        given, scope = row.day("consent_given_on"), row.text("consent_scope")
        ground = row.choice("legal_ground", LegalGround, required=False)
        if given is None and ground is None:
            row.problem("consent_given_on", _("geen grondslag: vul consent_given_on en "
                                              "consent_scope in, of legal_ground"))
        elif given is not None and not scope:
            row.problem("consent_scope", _("waarvoor gaf de cliënt toestemming?"))
        return {"_case": self.case(row, refs),
                "_professional": ref(row, refs, "professional_key", "professionals"),
                "role": row.choice("role", InvolvementRole),
                "_basis": (BasisKind.TOESTEMMING, given, scope, None) if given else
                          (BasisKind.WETTELIJKE_GROND, None, "", ground)}


def _id(imp: Importer, kind: str, key: str) -> int | None:
    return imp.ids[kind][key] if key else None


def write_natural(imp: Importer, kind: str, model, natural: tuple[str, ...],
                  rows: list[dict]) -> None:
    """Upsert rows identified by ``natural`` columns: insert what is new, update what differs."""
    table, session = model.__table__, imp.session
    owner = table.c[natural[0]]
    existing: dict[tuple, dict] = {}
    for chunk in chunks(sorted({r[natural[0]] for r in rows})):
        for found in session.execute(select(table).where(in_(session, owner, chunk))):
            current = dict(found._mapping)
            existing[tuple(current[c] for c in natural)] = current
    new: list[dict] = []
    changed = 0
    for r in rows:
        found_row = existing.get(tuple(r[c] for c in natural))
        if found_row is None:
            new.append(r)
        elif any(found_row[c] != v for c, v in r.items()):
            where = and_(*(table.c[c] == r[c] for c in natural))
            session.execute(update(table).where(where).values(
                {c: v for c, v in r.items() if c not in natural}))
            changed += 1
    insert_many(session, table, new)
    imp.report.created[kind] = len(new)
    imp.report.updated[kind] = changed
    imp.report.unchanged[kind] = len(rows) - len(new) - changed
    imp.progress(len(rows))


def write_work_sessions(imp: Importer, records: list[dict]) -> None:
    for r in records:
        r["area_id"] = imp.ids["areas"][r["_area"]]
    upsert(imp, "work_sessions", records)


def write_attendance(imp: Importer, records: list[dict]) -> None:
    write_natural(imp, "attendance", Attendance, ("work_session_id", "professional_id"), [
        {"work_session_id": _id(imp, "work_sessions", r["_session"]),
         "professional_id": _id(imp, "professionals", r["_professional"]),
         "invited_by_id": _id(imp, "professionals", r["_invited_by"])} for r in records])


def write_invitations(imp: Importer, records: list[dict]) -> None:
    write_natural(imp, "invitations", Invitation,
                  ("work_session_id", "inviter_id", "organisation_id"), [
        {"work_session_id": _id(imp, "work_sessions", r["_session"]),
         "inviter_id": _id(imp, "professionals", r["_inviter"]),
         "organisation_id": _id(imp, "organisations", r["_org"]),
         "professional_id": _id(imp, "professionals", r["_professional"]),
         "note": r["note"]} for r in records])


class CaseOpposing:
    """``write_natural`` takes a mapped class; the association table has none."""

    __table__ = case_opposing


def write_cases(imp: Importer, records: list[dict]) -> None:
    for r in records:
        r["area_id"] = imp.ids["areas"][r["_area"]]
        r["preferred_professional_id"] = _id(imp, "professionals", r["_preferred"])
        r["coordinator_id"] = _id(imp, "professionals", r["_coordinator"])
    upsert(imp, "cases", records)
    # The organisations with an opposing interest in each case (matching's hard rule).
    write_natural(imp, "case_opposing", CaseOpposing, ("case_id", "organisation_id"), [
        {"case_id": imp.ids["cases"][r["_key"]],
         "organisation_id": imp.ids["organisations"][org]}
        for r in records for org in r["_opposing"]])


def write_case_needs(imp: Importer, records: list[dict]) -> None:
    write_natural(imp, "case_needs", CaseNeed, ("case_id", "domain_id"), [
        {"case_id": imp.ids["cases"][r["_case"]], "domain_id": imp.ids["domains"][r["_domain"]],
         "weight": r["weight"]} for r in records])


def _case_bases(imp: Importer, records: list[dict]) -> dict[tuple, int]:
    """One ``CaseBasis`` per case and distinct basis of its rows, reused on a second load."""
    session = imp.session
    wanted = {(imp.ids["cases"][r["_case"]], *r["_basis"]) for r in records}
    found: dict[tuple, int] = {}
    case_ids = sorted({w[0] for w in wanted})
    for chunk in chunks(case_ids):
        for b in session.scalars(select(CaseBasis).where(in_(session, CaseBasis.case_id, chunk))
                                 .order_by(CaseBasis.id)):
            key = (b.case_id, b.kind, b.consent_given_on, b.consent_scope, b.legal_ground)
            if b.withdrawn_at is None:
                found.setdefault(key, b.id)
    for key in sorted(wanted - found.keys(), key=str):
        case_id, kind, given, scope, ground = key
        basis = CaseBasis(case_id=case_id, kind=kind, consent_given_on=given,
                          consent_scope=scope, legal_ground=ground)
        session.add(basis)
        session.flush()
        found[key] = basis.id
    return found


def write_case_involvements(imp: Importer, records: list[dict]) -> None:
    bases = _case_bases(imp, records)
    write_natural(imp, "case_involvements", CaseInvolvement, ("case_id", "professional_id"), [
        {"case_id": imp.ids["cases"][r["_case"]],
         "professional_id": imp.ids["professionals"][r["_professional"]],
         "role": r["role"],
         "basis_id": bases[(imp.ids["cases"][r["_case"]], *r["_basis"])]} for r in records])


def seed_extension() -> Extension:
    """A fresh extension per load (it remembers the case keys of that load)."""
    cases = CaseKinds()
    return Extension(
        kinds=KINDS, order=SEED_ORDER, keep_live=True,
        entities={"work_sessions": (WorkSession, WorkSession.external_id),
                  "cases": (Case, Case.reference)},
        key_columns={"cases": "reference"},
        validators={"work_sessions": validate_work_sessions,
                    "attendance": validate_attendance, "invitations": validate_invitations,
                    "cases": cases.validate_cases, "case_needs": cases.validate_case_needs,
                    "case_involvements": cases.validate_case_involvements},
        writers={"work_sessions": write_work_sessions, "attendance": write_attendance,
                 "invitations": write_invitations, "cases": write_cases,
                 "case_needs": write_case_needs, "case_involvements": write_case_involvements},
    )
