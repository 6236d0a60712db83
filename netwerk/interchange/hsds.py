"""Open Referral HSDS 3.x: export netwerk's organisations and services, and import such a dataset.

Export shape (one JSON document)::

    {"organizations": [organization, …], "services": [service, …]}

Each ``organization`` follows HSDS ``organization.json`` with ``phones`` (the general number as
``voice``, the crisis number as ``voice`` described "crisisnummer"), ``contacts`` (the
organisation's active professionals: name, title = role, e-mail, ``phones`` with the mobile as
type ``cell``) and ``attributes`` (sector). Each ``service`` follows ``service.json`` with
``organization_id``, ``service_areas`` (one per area served), ``attributes`` (every eligibility
rule as ``link_type`` "eligibility", every domain as "domain"), ``minimum_age``/``maximum_age``
from the age rules, and ``capacities`` (``service_capacity.json`` with a ``unit``).
Identifiers are UUIDs derived from netwerk's keys (uuid5), so the same record always gets the
same id. What HSDS cannot say (ties, professionals' wijken and domains, caseloads, cases) is
listed in docs/interchange.md.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netwerk.i18n import _
from netwerk.interchange.tabular import Table, TableError
from netwerk.models import (
    Capacity,
    Organisation,
    Professional,
    RuleKind,
    Sector,
    Service,
)
from netwerk.models.enums import unit_label

NAMESPACE = uuid.UUID("6f1c1d3e-2b7a-5c4e-9a57-6e657477657b")  # fixed: ids stay stable
DEFAULT_SECTOR = Sector.WELZIJN


def hsds_id(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"netwerk:{kind}:{key}"))


def _key(obj) -> str:
    return obj.external_id or f"id-{obj.id}"


def _url(value: str | None) -> str | None:
    if not value:
        return None
    return value if "://" in value else f"https://{value}"


def _phone(owner_field: str, owner_id: str, number: str, kind: str, description: str) -> dict:
    return {"id": hsds_id(f"phone:{owner_field}:{kind}:{description}", owner_id),
            owner_field: owner_id, "number": number, "type": kind, "description": description}


def _organization(org: Organisation, people: list[Professional]) -> dict:
    oid = hsds_id("organization", _key(org))
    phones = []
    if org.phone:
        phones.append(_phone("organization_id", oid, org.phone, "voice", "algemeen nummer"))
    if org.crisis_phone:
        phones.append(_phone("organization_id", oid, org.crisis_phone, "voice", "crisisnummer"))
    contacts = []
    for person in people:
        cid = hsds_id("contact", _key(person))
        contact: dict[str, Any] = {"id": cid, "organization_id": oid, "name": person.name,
                                   "title": person.role or "", "phones": []}
        if person.email:
            contact["email"] = person.email
        if person.mobile:
            contact["phones"].append(_phone("contact_id", cid, person.mobile, "cell", "mobiel"))
        if person.landline:
            contact["phones"].append(_phone("contact_id", cid, person.landline, "voice",
                                            "vast nummer"))
        contacts.append(contact)
    result: dict[str, Any] = {
        "id": oid, "name": org.name, "description": org.description or "",
        "phones": phones, "contacts": contacts,
        "attributes": [{"id": hsds_id("attribute:sector", _key(org)), "link_id": oid,
                        "link_entity": "organization", "link_type": "sector",
                        "value": org.sector.value, "label": "sector"}],
    }
    if org.email:
        result["email"] = org.email
    if _url(org.website):
        result["website"] = _url(org.website)
    return result


def _service(service: Service, oid: str, capacities: list[Capacity]) -> dict:
    sid = hsds_id("service", _key(service))
    attributes = []
    minimum = maximum = None
    for rule in service.rules:
        value = rule.value if rule.value is not None else rule.int_value
        attributes.append({
            "id": hsds_id("attribute:rule", rule.id), "link_id": sid, "link_entity": "service",
            "link_type": "eligibility",
            "value": rule.kind.value + ("" if value is None else f":{value}"),
            "label": rule.text,
        })
        if rule.kind is RuleKind.MIN_AGE:
            minimum = rule.int_value
        if rule.kind is RuleKind.MAX_AGE:
            maximum = rule.int_value
    for domain in service.domains:
        attributes.append({"id": hsds_id(f"attribute:domain:{domain.slug}", _key(service)),
                           "link_id": sid, "link_entity": "service", "link_type": "domain",
                           "value": domain.slug, "label": domain.name})
    result: dict[str, Any] = {
        "id": sid, "organization_id": oid, "name": service.name,
        "description": service.description or "", "status": "active",
        "application_process": service.intake_route or "",
        "eligibility_description": "; ".join(r.text for r in service.rules),
        "service_areas": [{"id": hsds_id(f"service_area:{area.id}", _key(service)),
                           "service_id": sid, "name": area.name,
                           "description": area.kind.value} for area in service.areas],
        "attributes": attributes,
        "capacities": [_capacity(c, sid) for c in capacities],
    }
    if minimum is not None:
        result["minimum_age"] = minimum
    if maximum is not None:
        result["maximum_age"] = maximum
    return result


def _capacity(capacity: Capacity, sid: str) -> dict:
    ctype = capacity.capacity_type
    unit = {"id": hsds_id("unit", ctype.unit.value), "name": unit_label(ctype.unit.value, 1).capitalize(),
            "identifier": ctype.unit.value, "scheme": "netwerk"}
    return {
        "id": hsds_id("service_capacity", capacity.id), "service_id": sid, "unit": unit,
        "unit_id": unit["id"], "available": capacity.available, "maximum": capacity.maximum,
        "description": f"{ctype.name} — {capacity.area.name}",
        "updated": capacity.updated_at.isoformat(),
    }


def export_hsds(session: Session, personal_contacts: bool = False) -> dict:
    """The directory as an HSDS 3 document: organisations, services, areas, capacities and the
    organisations' public numbers. Named professionals with their numbers (HSDS contacts) only
    with ``personal_contacts`` (HSDS files get published as open feeds: docs/security.md,
    finding 19); the file's ``meta`` says which it holds."""
    orgs = session.scalars(
        select(Organisation).order_by(Organisation.name).options(
            selectinload(Organisation.services).selectinload(Service.rules),
            selectinload(Organisation.services).selectinload(Service.domains),
            selectinload(Organisation.services).selectinload(Service.areas),
        )
    ).all()
    people: dict[int, list[Professional]] = {}
    for person in session.scalars(
        select(Professional).where(Professional.active).order_by(Professional.name)
    ) if personal_contacts else ():
        people.setdefault(person.organisation_id, []).append(person)
    capacities: dict[int, list[Capacity]] = {}
    for cap in session.scalars(select(Capacity).options(
            selectinload(Capacity.capacity_type), selectinload(Capacity.area))
            .order_by(Capacity.id)):
        capacities.setdefault(cap.service_id, []).append(cap)
    organizations, services = [], []
    for org in orgs:
        data = _organization(org, people.get(org.id, []))
        organizations.append(data)
        for service in org.services:
            services.append(_service(service, data["id"], capacities.get(service.id, [])))
    meta = {
        "generator": "netwerk",
        "personal_contacts": personal_contacts,
        "description": (
            "Bevat persoonlijke contactgegevens van professionals (namen, mobiele nummers): "
            "niet publiceren." if personal_contacts else
            "Alleen organisaties, diensten, gebieden, capaciteit en openbare nummers; geen "
            "persoonsgegevens."),
    }
    return {"meta": meta, "organizations": organizations, "services": services}


# -- import --------------------------------------------------------------------------------------
def _hsds_services(records: object) -> bool:
    """A list whose first element is an HSDS service (it names its organization)."""
    return (isinstance(records, list) and bool(records) and isinstance(records[0], dict)
            and ("organization_id" in records[0] or "organization" in records[0]))


def is_hsds(payload: object) -> bool:
    """An HSDS document: {"organizations": …, "services": …}, or a list of HSDS services.

    ``services`` is also a netwerk kind: {"organisations": …, "services": […]} with netwerk's
    columns (``organisation_key``) is netwerk's own JSON format, not HSDS.
    """
    if isinstance(payload, dict):
        return "organizations" in payload or _hsds_services(payload.get("services"))
    return _hsds_services(payload)


def _first_phone(phones: list, crisis: bool) -> str:
    for phone in phones or []:
        if not isinstance(phone, dict) or not phone.get("number"):
            continue
        is_crisis = "crisis" in str(phone.get("description", "")).lower()
        if is_crisis == crisis and phone.get("type", "voice") in {"voice", "cell", None}:
            return str(phone["number"])
    return ""


def hsds_tables(payload: Any, name: str) -> dict[str, Table]:
    """Organisations, services and age rules of an HSDS document, as import tables.

    HSDS ids become netwerk keys; an organisation's first voice phone becomes its phone.
    HSDS has no sector: one from an attribute ``link_type: sector`` is used, else welzijn.
    """
    if isinstance(payload, list):
        services = payload
        orgs = [s["organization"] for s in payload
                if isinstance(s, dict) and isinstance(s.get("organization"), dict)]
    else:
        services = payload.get("services") or []
        orgs = payload.get("organizations") or []
    if not isinstance(services, list) or not isinstance(orgs, list):
        raise TableError(_("HSDS: 'organizations' en 'services' moeten lijsten zijn"))
    org_rows, seen = [], set()
    for index, org in enumerate(orgs, start=1):
        if not isinstance(org, dict):
            raise TableError(_("HSDS: organisatie %(n)s is geen object", n=index))
        if org.get("id") in seen:
            continue
        seen.add(org.get("id"))
        sector = next((a.get("value") for a in org.get("attributes") or []
                       if isinstance(a, dict) and a.get("link_type") == "sector"), None)
        if sector not in {s.value for s in Sector}:
            sector = DEFAULT_SECTOR.value
        org_rows.append((index, {
            "key": str(org.get("id") or ""), "name": str(org.get("name") or ""),
            "sector": sector, "description": str(org.get("description") or ""),
            "phone": _first_phone(org.get("phones") or [], crisis=False),
            "crisis_phone": _first_phone(org.get("phones") or [], crisis=True),
            "website": str(org.get("website") or ""), "email": str(org.get("email") or ""),
        }))
    service_rows, rule_rows = [], []
    for index, service in enumerate(services, start=1):
        if not isinstance(service, dict):
            raise TableError(_("HSDS: dienst %(n)s is geen object", n=index))
        org_id = service.get("organization_id") or (service.get("organization") or {}).get("id")
        key = str(service.get("id") or "")
        service_rows.append((index, {
            "key": key, "organisation_key": str(org_id or ""),
            "name": str(service.get("name") or ""),
            "description": str(service.get("description") or ""),
            "intake_route": str(service.get("application_process") or ""),
        }))
        for field, kind in (("minimum_age", "min_age"), ("maximum_age", "max_age")):
            if service.get(field) not in (None, ""):
                value = service[field]
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                rule_rows.append((index, {"service_key": key, "kind": kind,
                                          "value": str(value)}))
    tables = {}
    if org_rows:
        tables["organisations"] = Table(f"{name} (organizations)",
                                        list(org_rows[0][1]), org_rows)
    if service_rows:
        tables["services"] = Table(f"{name} (services)", list(service_rows[0][1]), service_rows)
    if rule_rows:
        tables["eligibility_rules"] = Table(f"{name} (services, leeftijd)",
                                            ["service_key", "kind", "value"], rule_rows)
    return tables
