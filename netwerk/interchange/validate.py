"""Per-kind validation of one row: ``validate_<kind>(row, refs) -> record``.

A record is a dict of column values ready to write, with ``_``-prefixed fields for what the
writer resolves (``_key``, references such as ``_org``). ``refs`` answers whether a referenced
key exists (``refs.known(row, column, kind, key)``); the importer is one, backed by the files
of the import and the database. ``validate_record`` checks one record on its own (for forms
that apply the same rules as the import) and returns its problems.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from netwerk.i18n import _
from netwerk.interchange.errors import Problem
from netwerk.interchange.rows import Row
from netwerk.models import (
    AreaKind,
    CapacityUnit,
    ConstraintTag,
    Indication,
    RuleKind,
    Sector,
    TieKind,
    TieSource,
)


class Refs(Protocol):
    area_kinds: dict[str, AreaKind]

    def known(self, row: Row, column: str, kind: str, key: str) -> bool: ...

    def has_column(self, kind: str, column: str) -> bool: ...


def refs_of(row: Row, refs: Refs, column: str, kind: str) -> list[str]:
    return [k for k in row.listed(column) if refs.known(row, column, kind, k)]


def ref(row: Row, refs: Refs, column: str, kind: str, required: bool = True) -> str:
    key = row.text(column, required)
    if key:
        refs.known(row, column, kind, key)
    return key


def validate_areas(row: Row, refs: Refs) -> dict:
    key, name = row.text("key", True), row.text("name", True)
    kind = row.choice("kind", AreaKind)
    if kind is not None:
        refs.area_kinds[key] = kind
    return {"_key": key, "kind": kind, "name": name, "code": row.text("code") or None,
            "_parent": row.text("parent_key")}


def validate_domains(row: Row, refs: Refs) -> dict:
    return {"_key": row.text("key", True), "name": row.text("name", True)}


def validate_organisations(row: Row, refs: Refs) -> dict:
    email = row.email()
    return {
        "_key": row.text("key", True), "name": row.text("name", True),
        "sector": row.choice("sector", Sector), "description": row.text("description"),
        "phone": row.phone("phone"), "crisis_phone": row.phone("crisis_phone"),
        "intake_route": row.text("intake_route"), "website": row.text("website") or None,
        "email": email,
    }


def validate_services(row: Row, refs: Refs) -> dict:
    org = ref(row, refs, "organisation_key", "organisations")
    return {
        "_key": row.text("key", True), "_org": org, "name": row.text("name", True),
        "description": row.text("description"), "intake_route": row.text("intake_route"),
        "_domains": refs_of(row, refs, "domains", "domains"),
        "_areas": refs_of(row, refs, "areas", "areas"),
    }


def validate_eligibility_rules(row: Row, refs: Refs) -> dict:
    service = ref(row, refs, "service_key", "services")
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


def validate_capacity_types(row: Row, refs: Refs) -> dict:
    hours = row.integer("stale_after_hours", default=24, minimum=1)
    return {"_key": row.text("key", True), "name": row.text("name", True),
            "unit": row.choice("unit", CapacityUnit), "stale_after_hours": hours}


def validate_professionals(row: Row, refs: Refs) -> dict:
    org = ref(row, refs, "organisation_key", "organisations")
    mobile, landline = row.phone("mobile", mobile=True), row.phone("landline")
    if mobile and mobile == landline:
        row.problem("landline", _("is hetzelfde nummer als mobiel"))
    email = row.email()
    caseload, caseload_max = row.integer("caseload", 0), row.integer("caseload_max", 0)
    record: dict[str, Any] = {
        "_key": row.text("key", True), "_org": org, "name": row.text("name", True),
        "role": row.text("role"), "mobile": mobile, "landline": landline,
        "email": email, "languages": row.listed("languages") or ["nl"],
        "caseload": caseload, "caseload_max": caseload_max,
        "available": row.boolean("available", True),
        "_areas": refs_of(row, refs, "wijken", "areas"),
        "_domains": refs_of(row, refs, "domains", "domains"),
    }
    if refs.has_column("professionals", "verified_days_ago"):
        record["_verified_days_ago"] = row.integer("verified_days_ago", 0)
    return record


def validate_ties(row: Row, refs: Refs) -> dict:
    a = ref(row, refs, "a_key", "professionals")
    b = ref(row, refs, "b_key", "professionals")
    if a and a == b:
        row.problem("b_key", _("een lijntje verbindt twee verschillende personen"))
    record = {"_a": a, "_b": b, "kind": row.choice("kind", TieKind, default=TieKind.KENT),
              "source": row.choice("source", TieSource, default=TieSource.IMPORT),
              "since": row.day("since", date.today()), "note": row.text("note")}
    if refs.has_column("ties", "session_key"):
        record["_session"] = ref(row, refs, "session_key", "work_sessions", required=False)
    return record


def validate_capacities(row: Row, refs: Refs) -> dict:
    service = ref(row, refs, "service_key", "services")
    area = ref(row, refs, "area_key", "areas")
    ctype = ref(row, refs, "type_key", "capacity_types")
    available, maximum = row.integer("available"), row.integer("maximum")
    for column, value in (("available", available), ("maximum", maximum)):
        if value is None and not row.text(column):
            row.problem(column, _("is leeg, maar verplicht"))
    if available is not None and maximum is not None and available > maximum:
        row.problem("available", _("vrij (%(a)s) is meer dan het totaal (%(m)s)",
                                   a=available, m=maximum))
    record = {"_service": service, "_area": area, "_type": ctype, "available": available,
              "maximum": maximum}
    if refs.has_column("capacities", "updated_hours_ago"):
        record["_hours_ago"] = row.integer("updated_hours_ago", 0)
    return record


Validator = Callable[[Row, Refs], dict]
VALIDATORS: dict[str, Validator] = {
    "areas": validate_areas, "domains": validate_domains,
    "organisations": validate_organisations, "services": validate_services,
    "eligibility_rules": validate_eligibility_rules, "capacity_types": validate_capacity_types,
    "professionals": validate_professionals, "ties": validate_ties,
    "capacities": validate_capacities,
}


def validate_record(kind: str, record: dict[str, str], refs: Refs) -> list[Problem]:
    """The problems of one record of ``kind`` (column -> text), as the import would find them.

    ``refs`` resolves references, e.g. ``Importer(session, dry_run=True)`` for the database.
    """
    problems: list[Problem] = []
    VALIDATORS[kind](Row(kind, None, record, problems), refs)
    return problems


def validate_professional(record: dict[str, str], refs: Refs) -> list[Problem]:
    return validate_record("professionals", record, refs)


def validate_organisation(record: dict[str, str], refs: Refs) -> list[Problem]:
    return validate_record("organisations", record, refs)
