"""The change history: who changed which field of which object, from what to what.

``record_change(session, user, obj, field, old, new)`` adds one row to ``changes`` (the caller
flushes and commits with its own change). Every beheer edit records one row per changed field,
and is undone by a *new* change back to the old value (``undo``), so the history only grows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk.i18n import _l
from netwerk.models import Change

# What each recorded field is called on a page (beheer's forms use the same labels).
FIELD_LABELS = {
    "name": _l("Naam"), "sector": _l("Sector"), "description": _l("Beschrijving"),
    "phone": _l("Telefoon"), "crisis_phone": _l("Crisisnummer"),
    "intake_route": _l("Aanmelden (intakeroute)"), "website": _l("Website"),
    "email": _l("E-mailadres"), "organisation_key": _l("Organisatie"),
    "role": _l("Functie"), "mobile": _l("Mobiel"), "landline": _l("Vast nummer"),
    "wijken": _l("Wijken"), "domains": _l("Domeinen"), "languages": _l("Talen (nl;en;…)"),
    "caseload": _l("Caseload"), "caseload_max": _l("Maximale caseload"),
    "available": _l("Beschikbaar"), "areas": _l("Werkgebied"), "unit": _l("Eenheid"),
    "stale_after_hours": _l("Verouderd na (uren)"), "kind": _l("Soort"),
    "code": _l("Code (CBS)"), "parent_key": _l("Valt onder"), "active": _l("Actief"),
    "aangemaakt": _l("Aangemaakt"), "regel": _l("Toegangsregel"),
    "e-maildomein": _l("E-maildomein"), "value": _l("Waarde"), "foto": _l("Foto"),
}


def object_type_of(obj: Any) -> str:
    """``organisations``, ``professionals`` …: the table name, or a given string."""
    return obj if isinstance(obj, str) else obj.__tablename__


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list | tuple | set):
        return ";".join(str(v) for v in value)
    return str(getattr(value, "value", value))


def record_change(session: Session, user: Any, obj: Any, field: str, old: Any, new: Any,
                  *, object_id: int | None = None, undoes: Change | None = None) -> Change | None:
    """Record that ``field`` of ``obj`` went from ``old`` to ``new`` (as text); nothing when
    they are equal. ``obj`` is a model instance (its table and id), or a type string with
    ``object_id``. ``user`` is the acting account (or None for the system)."""
    old_text, new_text = as_text(old), as_text(new)
    if old_text == new_text:
        return None
    change = Change(
        user_id=getattr(user, "id", user if isinstance(user, int) else None),
        object_type=object_type_of(obj),
        object_id=object_id if object_id is not None else obj.id,
        field=field, old=old_text, new=new_text,
        undoes_id=undoes.id if undoes is not None else None,
    )
    session.add(change)
    return change


def changes_of(session: Session, object_type: str, object_id: int, limit: int = 100) -> list[Change]:
    """The newest changes of one object first."""
    return list(session.scalars(
        select(Change).where(Change.object_type == object_type, Change.object_id == object_id)
        .order_by(Change.id.desc()).limit(limit)))


def record_diff(session: Session, user: Any, obj: Any, before: dict[str, Any],
                after: dict[str, Any], object_id: int | None = None,
                undoes: Change | None = None) -> list[Change]:
    """One change per field whose text differs between two snapshots."""
    made = []
    for field in sorted(set(before) | set(after)):
        change = record_change(session, user, obj, field, before.get(field), after.get(field),
                               object_id=object_id, undoes=undoes)
        if change is not None:
            made.append(change)
    return made
