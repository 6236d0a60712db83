"""Models as the plain dicts the API returns (no Flask; the shapes are in openapi.py)."""

from __future__ import annotations

from datetime import timedelta

from netwerk.db import utcnow
from netwerk.models import Area, Capacity, Organisation, Professional


def _ts(value) -> str | None:
    return value.isoformat() if value else None


def area(a: Area) -> dict:
    return {"id": a.id, "external_id": a.external_id, "kind": a.kind.value, "name": a.name,
            "code": a.code, "parent_id": a.parent_id}


def person(p: Professional) -> dict:
    return {
        "id": p.id, "external_id": p.external_id, "name": p.name, "role": p.role,
        "organisation": {"id": p.organisation.id, "name": p.organisation.name},
        "mobile": p.mobile, "landline": p.landline, "email": p.email,
        "areas": [{"id": a.id, "name": a.name} for a in p.areas],
        "domains": [d.slug for d in p.domains], "languages": list(p.languages or []),
        "available": p.available, "verified_at": _ts(p.verified_at),
    }


def organisation(o: Organisation, with_services: bool = True) -> dict:
    result: dict[str, object] = {
        "id": o.id, "external_id": o.external_id, "name": o.name, "sector": o.sector.value,
        "description": o.description, "phone": o.phone, "crisis_phone": o.crisis_phone,
        "intake_route": o.intake_route, "website": o.website, "email": o.email,
    }
    if with_services:
        result["services"] = [
            {"id": s.id, "external_id": s.external_id, "name": s.name,
             "description": s.description, "intake_route": s.intake_route,
             "domains": [d.slug for d in s.domains],
             "areas": [{"id": a.id, "name": a.name} for a in s.areas],
             "eligibility": [{"kind": r.kind.value, "value": r.value, "int_value": r.int_value,
                              "text": r.text} for r in s.rules]}
            for s in o.services
        ]
    return result


def capacity(c: Capacity) -> dict:
    stale_after = timedelta(hours=c.capacity_type.stale_after_hours)
    return {
        "id": c.id,
        "service": {"id": c.service.id, "name": c.service.name,
                    "organisation_id": c.service.organisation_id},
        "area": {"id": c.area.id, "name": c.area.name},
        "type": {"key": c.capacity_type.slug, "name": c.capacity_type.name,
                 "unit": c.capacity_type.unit.value},
        "available": c.available, "maximum": c.maximum, "updated_at": _ts(c.updated_at),
        "stale": utcnow() - c.updated_at > stale_after,
    }
