"""Beheer edits of organisations, people, services, capacity types and areas.

Every edit is one import of one record: the same validation (netwerk.interchange.validate,
reached through ``run_import``) and the same writer as a CSV import, so a form can never write
what an import would refuse. Each changed field becomes a row of the change history
(netwerk.history), and a change is undone by a new change back to its old value.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk.errors import UserError
from netwerk.history import record_change, record_diff
from netwerk.i18n import _
from netwerk.interchange.importer import run_import
from netwerk.interchange.kinds import BY_NAME
from netwerk.interchange.reading import Source
from netwerk.models import (
    Area,
    CapacityType,
    Change,
    EligibilityRule,
    Organisation,
    Professional,
    Service,
)
from netwerk.phone import display


class EditRejected(UserError):
    """The record was refused; ``problems`` maps a column (or None) to its messages."""

    def __init__(self, problems: dict[str | None, list[str]]) -> None:
        first = next(iter(problems.values()))[0] if problems else _("niet opgeslagen")
        super().__init__(first, next(iter(problems), None))
        self.problems = problems


def _phone(value: str | None) -> str:
    return display(value) if value else ""


def _keys(items) -> str:
    return ";".join(sorted(str(getattr(i, "external_id", None) or getattr(i, "slug", ""))
                           for i in items))


@dataclass(frozen=True)
class EditKind:
    """One kind beheer edits: its import kind, model, key column and how a row reads back."""

    name: str            # import kind
    model: Any
    key_attr: str        # external_id or slug
    snapshot: Callable[[Any], dict[str, str]]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c in BY_NAME[self.name].columns if c != "key")


def _org(o: Organisation) -> dict[str, str]:
    return {"name": o.name, "sector": o.sector.value, "description": o.description or "",
            "phone": _phone(o.phone), "crisis_phone": _phone(o.crisis_phone),
            "intake_route": o.intake_route or "", "website": o.website or "",
            "email": o.email or ""}


def _person(p: Professional) -> dict[str, str]:
    return {"name": p.name, "organisation_key": p.organisation.external_id or "",
            "role": p.role or "", "mobile": _phone(p.mobile), "landline": _phone(p.landline),
            "email": p.email or "", "wijken": _keys(p.areas), "domains": _keys(p.domains),
            "languages": ";".join(p.languages or []), "caseload": str(p.caseload or 0),
            "caseload_max": str(p.caseload_max or 0),
            "available": "ja" if p.available else "nee"}


def _service(s: Service) -> dict[str, str]:
    return {"organisation_key": s.organisation.external_id or "", "name": s.name,
            "description": s.description or "", "domains": _keys(s.domains),
            "areas": _keys(s.areas), "intake_route": s.intake_route or ""}


def _ctype(c: CapacityType) -> dict[str, str]:
    return {"name": c.name, "unit": c.unit.value, "stale_after_hours": str(c.stale_after_hours)}


def _area(a: Area) -> dict[str, str]:
    return {"kind": a.kind.value, "name": a.name, "code": a.code or "",
            "parent_key": (a.parent.external_id or "") if a.parent is not None else ""}


KINDS: dict[str, EditKind] = {
    "organisations": EditKind("organisations", Organisation, "external_id", _org),
    "professionals": EditKind("professionals", Professional, "external_id", _person),
    "services": EditKind("services", Service, "external_id", _service),
    "capacity_types": EditKind("capacity_types", CapacityType, "slug", _ctype),
    "areas": EditKind("areas", Area, "external_id", _area),
}
BY_MODEL = {k.model.__tablename__: k for k in KINDS.values()}


def new_key(kind_name: str, record: dict[str, str]) -> str:
    """A key for a record made in beheer: the name as a slug plus a few random characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", (record.get("name") or kind_name).lower()).strip("-")
    return f"{slug[:40] or 'nieuw'}-{secrets.token_hex(3)}"


def ensure_key(session: Session, kind: EditKind, obj: Any) -> str:
    """The object's import key; one made by hand (no key yet) gets one now."""
    key = getattr(obj, kind.key_attr)
    if not key:
        key = f"beheer-{kind.name}-{obj.id}"
        setattr(obj, kind.key_attr, key)
        session.flush()
    return key


def _import(session: Session, data: dict[str, list[dict[str, str]]]) -> None:
    """Write ``data`` (one list per kind, as in an import file) through the import's validation;
    raises ``EditRejected`` with its problems per column (nothing written)."""
    # The edit records its own history (save, undo); the import must not record it twice.
    report = run_import(session, [Source("beheer.json", json.dumps(data).encode())],
                        history=False)
    if not report.ok or not report.applied:
        problems: dict[str | None, list[str]] = {}
        for p in report.problems:
            problems.setdefault(p.column, []).append(p.message)
        raise EditRejected(problems)


def _import_one(session: Session, kind: EditKind, key: str, record: dict[str, str]) -> None:
    _import(session, {kind.name: [{"key": key, **record}]})


def save(session: Session, user: Any, kind_name: str, obj: Any | None,
         record: dict[str, str]) -> tuple[Any, list[Change]]:
    """Create (``obj`` None) or change one record through the import; returns the object and
    the changes recorded. Raises ``EditRejected`` with the import's problems (nothing written).
    """
    kind = KINDS[kind_name]
    given = {c: (record[c] or "").strip() for c in kind.columns if c in record}
    if obj is None:
        before: dict[str, str] = {}
        record = {c: given.get(c, "") for c in kind.columns}
        key = new_key(kind.name, record)
    else:
        before = kind.snapshot(obj)
        # Columns the form does not send keep their value.
        record = {c: given.get(c, before.get(c, "")) for c in kind.columns}
        key = ensure_key(session, kind, obj)
    _import_one(session, kind, key, record)
    session.expire_all()
    obj = session.scalar(select(kind.model).where(getattr(kind.model, kind.key_attr) == key))
    assert obj is not None  # the import just wrote it
    after = kind.snapshot(obj)
    if not before:
        changes = [c for c in [record_change(session, user, obj, "aangemaakt", None, obj.name)]
                   if c]
        changes += record_diff(session, user, obj, {}, {k: v for k, v in after.items() if v})
    else:
        changes = record_diff(session, user, obj, before, after)
        if changes and kind.name in ("professionals", "organisations"):
            _close_reports(session, user, kind.name, obj)
    session.flush()
    return obj, changes


def _close_reports(session: Session, user: Any, kind_name: str, obj: Any) -> None:
    """An edit of a reported person or organisation closes its open reports ("aangepast")."""
    from netwerk.directory.operations import resolve_open_reports

    target = {"professional": obj} if kind_name == "professionals" else {"organisation": obj}
    resolve_open_reports(session, user, **target)


def set_active(session: Session, user: Any, obj: Any, active: bool) -> Change | None:
    """(De)activate a person (never deleted: the audit log and cases refer to them)."""
    change = record_change(session, user, obj, "active", obj.active, active)
    obj.active = active
    if change is not None:
        _close_reports(session, user, "professionals", obj)
    session.flush()
    return change


def undo(session: Session, user: Any, change: Change) -> list[Change]:
    """Undo ``change`` by a new change of the same field back to its old value."""
    kind = BY_MODEL.get(change.object_type)
    target = session.get(kind.model, change.object_id) if kind else None
    if kind is None or target is None:
        raise UserError(_("Deze wijziging kan niet ongedaan worden gemaakt."))
    if change.field == "active":
        flipped = record_change(session, user, target, "active", target.active,
                                change.old == "ja", undoes=change)
        target.active = change.old == "ja"
        session.flush()
        return [flipped] if flipped else []
    if change.field == "regel" and kind.name == "services":
        return _undo_rule(session, user, target, change)
    if change.field not in kind.columns:
        raise UserError(_("Deze wijziging kan niet ongedaan worden gemaakt."))
    before = kind.snapshot(target)
    record = dict(before)
    record[change.field] = change.old or ""
    key = ensure_key(session, kind, target)
    _import_one(session, kind, key, record)
    session.expire_all()
    target = session.get(kind.model, change.object_id)
    made = record_diff(session, user, target, before, kind.snapshot(target), undoes=change)
    session.flush()
    return made


def add_rule(session: Session, user: Any, service: Service, rule: dict[str, str]) -> Change:
    """Add an eligibility rule to a service through the import's rule validation."""
    key = ensure_key(session, KINDS["services"], service)
    data = {"eligibility_rules": [{"service_key": key, "kind": rule.get("kind", ""),
                                   "value": rule.get("value", ""),
                                   "description": rule.get("description", "")}]}
    _import(session, data)
    session.expire_all()
    fresh = session.get(Service, service.id)
    text = rule_text(rule)
    change = record_change(session, user, fresh, "regel", None, text)
    session.flush()
    assert change is not None  # from nothing to a rule is always a change
    return change


def rule_text(rule: dict[str, Any] | EligibilityRule) -> str:
    if isinstance(rule, EligibilityRule):
        value = rule.int_value if rule.int_value is not None else (rule.value or "")
        return f"{rule.kind.value}:{value}".rstrip(":")
    return f"{rule.get('kind', '')}:{rule.get('value', '')}".rstrip(":")


def remove_rule(session: Session, user: Any, rule: EligibilityRule) -> Change:
    service = rule.service
    change = record_change(session, user, service, "regel", rule_text(rule), None)
    session.delete(rule)
    session.flush()
    assert change is not None  # from a rule to nothing is always a change
    return change


def _undo_rule(session: Session, user: Any, service: Service, change: Change) -> list[Change]:
    """An added rule is removed again; a removed rule is added again (both as new changes)."""
    if change.new and not change.old:
        for rule in service.rules:
            if rule_text(rule) == change.new:
                made = remove_rule(session, user, rule)
                made.undoes_id = change.id
                return [made]
        raise UserError(_("Deze regel bestaat niet meer."))
    kind, _sep, value = (change.old or "").partition(":")
    made = add_rule(session, user, service, {"kind": kind, "value": value})
    made.undoes_id = change.id
    session.flush()
    return [made]
