"""Directory writes: a professional's own details, "klopt nog", favourites, and the audit of
a profile listing cases. They flush, never commit; the view commits once per request. Plain
functions over a Session, no Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netwerk import audit
from netwerk.db import rowcount, utcnow
from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.models import (
    Area,
    Case,
    Domain,
    Favourite,
    Professional,
)
from netwerk.phone import InvalidPhoneNumber, normalize


def confirm(professional: Professional, now: datetime | None = None) -> None:
    """"Klopt nog": the details were checked and are still right."""
    professional.verified_at = now or utcnow()


@dataclass
class ProfessionalUpdate:
    name: str
    role: str
    mobile: str | None
    landline: str | None
    email: str | None
    languages: list[str]
    area_ids: list[int]
    domain_ids: list[int]
    photo: bytes | None = None
    remove_photo: bool = False
    seen_version: int | None = None  # the version the form showed; None: unknown, refused


class StaleEdit(UserError):
    """Someone saved this record after the form was opened: nothing is written, the form shows
    the current values."""

    def __init__(self) -> None:
        super().__init__(_("Niet opgeslagen: iemand anders heeft deze gegevens intussen "
                           "gewijzigd. Hieronder staan de huidige gegevens; breng je wijziging "
                           "opnieuw aan."), None)


class UpdateError(UserError):
    """Refused input: ``errors`` maps a form field to a Dutch message naming it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()), next(iter(errors), None))


def _claim_version(session: Session, professional: Professional, seen: int | None) -> None:
    """Raise the record's version from ``seen`` in ONE conditional UPDATE checked by rowcount
    (as capacity counts do): of two saves made from the same form version exactly one gets
    through, on SQLite and PostgreSQL; the other raises StaleEdit."""
    if seen is None:
        raise StaleEdit()
    result = session.execute(
        update(Professional)
        .where(Professional.id == professional.id, Professional.version == seen)
        .values(version=Professional.version + 1)
        .execution_options(synchronize_session=False))
    if rowcount(result) != 1:
        raise StaleEdit()
    session.expire(professional, ["version"])


def update_professional(
    session: Session, professional: Professional, data: ProfessionalUpdate,
    now: datetime | None = None,
) -> None:
    """Apply ``data`` to ``professional`` and mark it verified; all or nothing.

    Everything is checked before anything is assigned, so a refused number leaves the record
    untouched (raises UpdateError naming the fields).
    """
    errors: dict[str, str] = {}
    numbers: dict[str, str | None] = {}
    for key, label, mobile in (
        ("mobile", _("Mobiel nummer"), True),
        ("landline", _("Vast nummer"), False),
    ):
        try:
            numbers[key] = normalize(getattr(data, key), field=label, mobile=mobile)
        except InvalidPhoneNumber as exc:
            errors[key] = _("%(label)s: %(reason)s", label=label, reason=exc.reason)
    if not data.name.strip():
        errors["name"] = _("Naam: vul een naam in.")
    if numbers.get("mobile") and numbers.get("mobile") == numbers.get("landline"):
        errors["landline"] = _("Vast nummer: is hetzelfde als het mobiele nummer.")
    if numbers.get("mobile"):
        taken = session.scalar(
            select(Professional.name).where(
                Professional.mobile == numbers["mobile"], Professional.id != professional.id
            )
        )
        if taken:
            errors["mobile"] = _("Mobiel nummer: dit nummer staat al bij %(name)s.", name=taken)
    areas = list(session.scalars(select(Area).where(Area.id.in_(data.area_ids)))) if data.area_ids else []
    domains = (
        list(session.scalars(select(Domain).where(Domain.id.in_(data.domain_ids))))
        if data.domain_ids else []
    )
    if errors:
        raise UpdateError(errors)
    _claim_version(session, professional, data.seen_version)
    professional.name = data.name.strip()
    professional.role = data.role.strip()
    professional.mobile = numbers["mobile"]
    professional.landline = numbers["landline"]
    professional.email = (data.email or "").strip() or None
    professional.languages = data.languages or ["nl"]
    professional.areas = areas
    professional.domains = domains
    now = now or utcnow()
    if data.photo is not None:
        professional.photo = data.photo
        professional.photo_updated_at = now
    elif data.remove_photo:
        professional.photo = None
        professional.photo_updated_at = None  # None means "no photo": pages show initials
    professional.verified_at = now


def record_case_listing(session: Session, viewer, professional_id: int, cases: list[Case]) -> None:
    """A profile listed these cases to ``viewer``: each listing is a case access, audited."""
    for case in cases:
        audit.record(session, viewer, "view_case_listing", "case", case.id,
                     via="directory.person", professional_id=professional_id)


def set_favourite(session: Session, user, professional: Professional, on: bool) -> bool:
    """Mark or unmark ``professional`` as one of ``user``'s favourites; returns the new state.

    Idempotent: marking twice keeps one row (two tabs, a double tap), unmarking what is not
    marked changes nothing.
    """
    existing = session.scalar(
        select(Favourite).where(Favourite.user_id == user.id,
                                Favourite.professional_id == professional.id)
    )
    if on and existing is None:
        try:
            with session.begin_nested():
                session.add(Favourite(user_id=user.id, professional_id=professional.id))
        except IntegrityError:
            pass  # the other tap won: the favourite is there
    elif not on and existing is not None:
        session.delete(existing)
    session.flush()
    return on
