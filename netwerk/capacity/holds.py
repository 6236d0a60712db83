"""Holds: a claim holds a place until the provider answers, or until it expires.

A claim (``operations.claim``) takes the place in its one conditional UPDATE and opens a hold
with ``expires_at = now + hold hours`` (the capacity type's ``hold_hours``, else the
``HOLD_HOURS`` setting). The provider's staff then

* confirm: the place is taken (nothing moves back), or
* decline with a reason: the place is free again;

the claimant may withdraw (free again); and a hold nobody answered expires (free again).

Each of these is ONE conditional UPDATE of the hold, ``… WHERE id = :id AND status = 'open'``
(an expiry also ``AND expires_at <= :now``), checked by its rowcount: only the request or
worker whose UPDATE matched moves the place back, so a hold frees its place exactly once, even
when several workers expire at once or the provider declines while it expires. Giving the
place back is ``operations._shift`` (bounded by the total: when the provider recounted in the
meantime, their count stands).

None of this touches ``updated_at``: only a count by the provider makes a count fresh.
Functions flush; the caller commits. Notifications (netwerk/notify) are written in the same
transaction; their mail goes out after the commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netwerk import audit
from netwerk.db import rowcount, utcnow
from netwerk.i18n import _
from netwerk.models import (
    Area,
    AreaKind,
    Capacity,
    CapacityEvent,
    CapacityEventKind,
    CapacityHold,
    CapacitySubscription,
    CapacityType,
    HoldStatus,
    Professional,
    Role,
    User,
)

DEFAULT_HOLD_HOURS = 4
REASON_MAX = 500
holds_table = CapacityHold.__table__



def _hours(ctype: CapacityType, default: int | None) -> int:
    if ctype.hold_hours:
        return ctype.hold_hours
    if default is None:
        from flask import current_app, has_app_context

        default = current_app.config["HOLD_HOURS"] if has_app_context() else DEFAULT_HOLD_HOURS
    return default


def open_hold(session: Session, claim_event: CapacityEvent,
              default_hours: int | None = None) -> CapacityHold:
    """The hold of a claim just made (its event says what, by whom, for which case)."""
    capacity = session.get_one(Capacity, claim_event.capacity_id)
    hours = _hours(capacity.capacity_type, default_hours)
    hold = CapacityHold(capacity_id=capacity.id, user_id=claim_event.user_id,
                        case_id=claim_event.case_id, amount=-claim_event.delta,
                        note=claim_event.note, status=HoldStatus.OPEN,
                        created_at=claim_event.at,
                        expires_at=claim_event.at + timedelta(hours=hours))
    session.add(hold)
    session.flush()
    _tell_provider(session, capacity, hold)
    return hold


def answerers(session: Session, capacity: Capacity) -> list[int]:
    """Who is told of a new hold: the provider's staff with an account (the SQL twin of
    ``policy.can_answer_hold`` without the beheerders), else the beheerders."""
    from netwerk.auth.policy import hold_answerer_filter

    org_id = capacity.service.organisation_id
    staff = list(session.scalars(
        select(User.id).where(hold_answerer_filter(org_id), User.role != Role.BEHEERDER,
                              User.active.is_(True)).order_by(User.id)))
    if staff:
        return staff
    return list(session.scalars(select(User.id).where(User.role == Role.BEHEERDER,
                                                      User.active.is_(True))))


def _what(capacity: Capacity) -> str:
    return _("%(type)s bij %(service)s (%(org)s, %(area)s)", type=capacity.capacity_type.name,
             service=capacity.service.name, org=capacity.service.organisation.name,
             area=capacity.area.name)


def _tell_provider(session: Session, capacity: Capacity, hold: CapacityHold) -> None:
    from netwerk.notify import notify

    notify(session, [u for u in answerers(session, capacity) if u != hold.user_id], "hold_new",
           f"/plek/{capacity.id}#reservering-{hold.id}",
           _("Nieuwe reservering, wacht op je antwoord: %(what)s", what=_what(capacity)),
           key=f"hold:{hold.id}:new")


def _finish(session: Session, hold_id: int, status: HoldStatus, by_user_id: int | None,
            now: datetime, reason: str = "") -> CapacityHold | None:
    """Move an open hold to ``status`` in ONE conditional UPDATE; None when it was no longer
    open (someone else answered, it expired, or — for an expiry — it is not due yet)."""
    conditions = [holds_table.c.id == hold_id, holds_table.c.status == HoldStatus.OPEN.value]
    if status == HoldStatus.EXPIRED:
        conditions.append(holds_table.c.expires_at <= now)
    result = session.execute(update(holds_table).where(*conditions).values(
        status=status.value, decided_at=now, decided_by_id=by_user_id, reason=reason))
    if rowcount(result) != 1:
        return None
    hold = session.get(CapacityHold, hold_id)
    session.refresh(hold)
    return hold


EVENT_OF = {HoldStatus.CONFIRMED: CapacityEventKind.CONFIRM,
            HoldStatus.DECLINED: CapacityEventKind.DECLINE,
            HoldStatus.EXPIRED: CapacityEventKind.EXPIRE,
            HoldStatus.WITHDRAWN: CapacityEventKind.WITHDRAW}
NOTICE_OF = {HoldStatus.CONFIRMED: "hold_confirmed", HoldStatus.DECLINED: "hold_declined",
             HoldStatus.EXPIRED: "hold_expired"}


def _settle(session: Session, hold: CapacityHold, by_user_id: int | None,
            now: datetime) -> CapacityEvent:
    """The consequence of a hold that just left ``open``: the place back (unless confirmed),
    one event, the audit entry for a case, the claimant and the subscribers told."""
    from netwerk.capacity import operations

    status = HoldStatus(hold.status)
    delta = 0
    if status != HoldStatus.CONFIRMED and operations._shift(
            session, hold.capacity_id, hold.amount, by_user_id, now):
        delta = hold.amount
    counts = operations.current_counts(session, hold.capacity_id)
    operations._expire(session, hold.capacity_id)
    # The reason of a decline stays on the hold (shown as case data); the event has no note.
    event = operations._record(session, hold.capacity_id, EVENT_OF[status], delta, counts,
                               by_user_id, hold.case_id, "", now)
    if hold.case_id is not None:
        audit.record(session, by_user_id, f"capacity_hold_{status.name.lower()}", "case",
                     hold.case_id, capacity_id=hold.capacity_id, hold_id=hold.id)
    capacity = session.get_one(Capacity, hold.capacity_id)
    kind = NOTICE_OF.get(status)
    if kind and hold.user_id and hold.user_id != by_user_id:
        from netwerk.notify import notify

        texts = {
            "hold_confirmed": _("Je reservering is bevestigd: %(what)s", what=_what(capacity)),
            "hold_declined": _("Je reservering is afgewezen: %(what)s", what=_what(capacity)),
            "hold_expired": _("Je reservering is verlopen (niet op tijd bevestigd): %(what)s",
                              what=_what(capacity)),
        }
        notify(session, [hold.user_id], kind, f"/plek/{capacity.id}#reservering-{hold.id}",
               texts[kind], key=f"hold:{hold.id}:{status.value}")
    if delta:
        tell_subscribers(session, capacity.id, event)
    return event


def _check_reason(reason: str | None) -> str:
    from netwerk.capacity.operations import CapacityError, check_note

    reason = (reason or "").strip()
    if not reason:
        raise CapacityError(_("Reden: geef een reden waarom de plek niet kan."), "reason")
    try:
        return check_note(reason)
    except CapacityError as exc:
        raise CapacityError(exc.message.replace(_("Toelichting"), _("Reden")), "reason") from exc


def _gone(message: str):
    from netwerk.capacity.operations import CapacityError

    return CapacityError(message)


def confirm(session: Session, hold_id: int, user_id: int | None,
            now: datetime | None = None) -> CapacityEvent:
    """The provider takes the claimant in: the place stays taken."""
    now = now or utcnow()
    hold = _finish(session, hold_id, HoldStatus.CONFIRMED, user_id, now)
    if hold is None:
        raise _gone(_("Deze reservering staat niet meer open (al beantwoord, ingetrokken of "
                      "verlopen). Er is niets gewijzigd."))
    return _settle(session, hold, user_id, now)


def decline(session: Session, hold_id: int, user_id: int | None, reason: str,
            now: datetime | None = None) -> CapacityEvent:
    """The provider cannot take the claimant: with a reason; the place is free again."""
    reason = _check_reason(reason)
    now = now or utcnow()
    hold = _finish(session, hold_id, HoldStatus.DECLINED, user_id, now, reason)
    if hold is None:
        raise _gone(_("Deze reservering staat niet meer open (al beantwoord, ingetrokken of "
                      "verlopen). Er is niets gewijzigd."))
    return _settle(session, hold, user_id, now)


def withdraw(session: Session, hold_id: int, user_id: int | None,
             now: datetime | None = None) -> CapacityEvent:
    """The claimant no longer needs the place: free again."""
    now = now or utcnow()
    hold = _finish(session, hold_id, HoldStatus.WITHDRAWN, user_id, now)
    if hold is None:
        raise _gone(_("Deze reservering staat niet meer open. Er is niets gewijzigd."))
    return _settle(session, hold, user_id, now)


def expire_due(session: Session, now: datetime | None = None, limit: int = 500) -> int:
    """Expire the open holds whose time is up; returns how many THIS call expired (another
    worker may have expired some of the same holds first: those it skips)."""
    now = now or utcnow()
    due = list(session.scalars(
        select(CapacityHold.id).where(CapacityHold.status == HoldStatus.OPEN,
                                      CapacityHold.expires_at <= now)
        .order_by(CapacityHold.expires_at).limit(limit)))
    expired = 0
    for hold_id in due:
        hold = _finish(session, hold_id, HoldStatus.EXPIRED, None, now)
        if hold is not None:
            _settle(session, hold, None, now)
            expired += 1
    return expired


# -- "laat me weten": subscriptions ---------------------------------------------------------

def gemeenten_of(session: Session, area: Area) -> list[int]:
    """The gemeente(n) a capacity in ``area`` serves: a wijk's gemeente, the gemeente itself,
    every gemeente of a regio."""
    if area.kind == AreaKind.GEMEENTE:
        return [area.id]
    if area.kind == AreaKind.WIJK:
        return [a.id for a in area.ancestors if a.kind == AreaKind.GEMEENTE]
    return list(session.scalars(select(Area.id).where(Area.parent_id == area.id,
                                                      Area.kind == AreaKind.GEMEENTE)))


def tell_subscribers(session: Session, capacity_id: int, event: CapacityEvent) -> None:
    """A place freed up: tell who asked for this type in this gemeente (once per event)."""
    if event.delta <= 0 or event.available_after <= 0:
        return
    capacity = session.get_one(Capacity, capacity_id)
    gemeenten = gemeenten_of(session, capacity.area)
    if not gemeenten:
        return
    user_ids = list(session.scalars(
        select(CapacitySubscription.user_id).join(User, User.id == CapacitySubscription.user_id)
        .where(CapacitySubscription.capacity_type_id == capacity.capacity_type_id,
               CapacitySubscription.area_id.in_(gemeenten), User.active.is_(True))))
    user_ids = [u for u in user_ids if u != event.user_id]
    if not user_ids:
        return
    from netwerk.notify import notify

    notify(session, user_ids, "place_free", f"/plek/{capacity.id}",
           _("Er is een plek vrijgekomen: %(what)s", what=_what(capacity)),
           key=f"free:{event.id}")


def subscribe(session: Session, user_id: int, type_slug: str | None,
              area_id: int | None) -> CapacitySubscription:
    from netwerk.capacity.operations import CapacityError

    ctype = session.scalar(select(CapacityType).where(CapacityType.slug == (type_slug or "")))
    if ctype is None:
        raise CapacityError(_("Soort plek: kies een soort."), "soort")
    area = session.get(Area, area_id) if area_id else None
    if area is None or area.kind != AreaKind.GEMEENTE:
        raise CapacityError(_("Gemeente: kies een gemeente."), "gemeente")
    existing = session.scalar(select(CapacitySubscription).where(
        CapacitySubscription.user_id == user_id,
        CapacitySubscription.capacity_type_id == ctype.id,
        CapacitySubscription.area_id == area.id))
    if existing is not None:
        return existing
    subscription = CapacitySubscription(user_id=user_id, capacity_type_id=ctype.id,
                                        area_id=area.id)
    session.add(subscription)
    session.flush()
    return subscription


def my_subscriptions(session: Session, user_id: int) -> list[CapacitySubscription]:
    return list(session.scalars(select(CapacitySubscription).where(
        CapacitySubscription.user_id == user_id).order_by(CapacitySubscription.id)))


def open_holds(session: Session, capacity_id: int) -> list[CapacityHold]:
    return list(session.scalars(select(CapacityHold).where(
        CapacityHold.capacity_id == capacity_id, CapacityHold.status == HoldStatus.OPEN)
        .order_by(CapacityHold.expires_at, CapacityHold.id)))


def claimant_names(session: Session, holds: list[CapacityHold]) -> dict[int, str]:
    ids = {h.user_id for h in holds if h.user_id}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.email, Professional.name)
                           .outerjoin(Professional, User.professional_id == Professional.id)
                           .where(User.id.in_(ids)))
    return {uid: name or email for uid, email, name in rows}
