"""Write side of capacities: claim, release and set counts without ever overbooking.

Every change is one conditional UPDATE on the ``capacities`` row, checked by its rowcount:

* claim:   ``SET available = available - :n … WHERE id = :id AND available >= :n``
* release: ``SET available = available + :n … WHERE id = :id AND available + :n <= maximum``
* set:     ``SET available = :a, maximum = :m … WHERE id = :id AND version = :seen``

The database decides, not a value read earlier by Python: when many requests claim the last
place at once, exactly one UPDATE matches a row; the others match none and are told "net
vergeven". The check constraints ``0 <= available <= maximum`` are the second line of defence.
On SQLite the UPDATE is the first statement of its transaction, so it takes the write lock
straight away (waiting up to ``busy_timeout``) instead of upgrading a read lock, which is what
makes SQLite answer 'database is locked'. On PostgreSQL the row lock serialises the UPDATEs and
the WHERE clause is re-checked against the committed row.

Functions flush; the caller (the view) commits once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netwerk import audit
from netwerk.db import rowcount, utcnow
from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.models import Area, Capacity, CapacityEvent, CapacityEventKind, CapacityType, Service
from netwerk.privacy import find_identifiers

MAX_COUNT = 100_000
NOTE_MAX = 500

capacities = Capacity.__table__


class CapacityError(UserError):
    """A change that was refused; ``message`` is Dutch and names the field where there is one."""


class NotFree(CapacityError):
    """The place was taken by someone else first ("net vergeven")."""


class AllFree(CapacityError):
    """Nothing to release: every place is already free."""


class StaleCount(CapacityError):
    """The form showed an older version of the count than the one in the database."""


class InvalidCount(CapacityError):
    """Numbers that cannot be a count (negative, not a number, free above total)."""


@dataclass(frozen=True)
class Counts:
    available: int
    maximum: int
    version: int


def parse_count(raw: str | int | None, label: str, field: str) -> int:
    """A whole number between 0 and MAX_COUNT, or an InvalidCount naming the field."""
    text = str(raw if raw is not None else "").strip()
    if text == "":
        raise InvalidCount(_("%(label)s: vul een aantal in.", label=label), field)
    if text.isascii() and text.lstrip("-").isdigit() and text.startswith("-"):
        raise InvalidCount(
            _("%(label)s: een aantal kan niet negatief zijn (%(value)s).", label=label,
              value=text),
            field,
        )
    if not (text.isascii() and text.isdigit()):  # "²".isdigit() is true, int("²") fails
        raise InvalidCount(
            _("%(label)s: vul een heel getal in, zoals 3 (niet '%(value)s').", label=label,
              value=text),
            field,
        )
    value = int(text)
    if value > MAX_COUNT:
        raise InvalidCount(
            _("%(label)s: %(value)s is te groot (hoogstens %(max)s).", label=label, value=value,
              max=MAX_COUNT),
            field,
        )
    return value


def check_note(note: str | None) -> str:
    """A note is short and never identifies a client (it may be linked to a case)."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise CapacityError(
            _("Toelichting: hoogstens %(max)s tekens (nu %(n)s).", max=NOTE_MAX, n=len(note)),
            "note",
        )
    found = find_identifiers(note)
    if found:
        raise CapacityError(
            _("Toelichting: zet hier geen gegevens van een cliënt in; gevonden: %(what)s.",
              what=", ".join(i.describe() for i in found)),
            "note",
        )
    return note


def current_counts(session: Session, capacity_id: int) -> Counts:
    row = session.execute(
        select(capacities.c.available, capacities.c.maximum, capacities.c.version).where(
            capacities.c.id == capacity_id
        )
    ).one()
    return Counts(*row)


def _record(
    session: Session,
    capacity_id: int,
    kind: CapacityEventKind,
    delta: int,
    counts: Counts,
    user_id: int | None,
    case_id: int | None,
    note: str,
    now: datetime,
) -> CapacityEvent:
    event = CapacityEvent(
        capacity_id=capacity_id, kind=kind, delta=delta, available_after=counts.available,
        maximum_after=counts.maximum, at=now, user_id=user_id, case_id=case_id, note=note,
    )
    session.add(event)
    session.flush()
    return event


def _check_amount(amount: int) -> None:
    if amount < 1:
        raise InvalidCount(_("Aantal: minstens 1."), "amount")


def _shift(session: Session, capacity_id: int, delta: int, user_id: int | None,
           now: datetime) -> bool:
    """Move ``available`` by ``delta`` in ONE conditional UPDATE that only matches while the
    result stays within 0..maximum; False when another request got there first."""
    result = session.execute(
        update(capacities)
        .where(capacities.c.id == capacity_id,
               capacities.c.available + delta >= 0,
               capacities.c.available + delta <= capacities.c.maximum)
        # Not updated_at / updated_by_id: only a count by the provider makes a count fresh
        # ("bijgewerkt"); a claim or a release is no count.
        .values(
            available=capacities.c.available + delta,
            version=capacities.c.version + 1,
        )
    )
    return rowcount(result) == 1


MOVES = {CapacityEventKind.CLAIM: (-1, "capacity_claim"),
         CapacityEventKind.RELEASE: (1, "capacity_release")}


def _move(session: Session, kind: CapacityEventKind, capacity_id: int, amount: int,
          user_id: int | None, case_id: int | None, note: str, now: datetime | None,
          refuse: Callable[[Counts], NoReturn]) -> CapacityEvent:
    """Take (claim) or give back (release) ``amount`` in one conditional UPDATE, or call
    ``refuse`` with the counts as they are; then the event and, for a case, its audit entry."""
    note = check_note(note)
    _check_amount(amount)
    sign, action = MOVES[kind]
    delta = sign * amount
    now = now or utcnow()
    if not _shift(session, capacity_id, delta, user_id, now):
        refuse(current_counts(session, capacity_id))
    counts = current_counts(session, capacity_id)
    _expire(session, capacity_id)
    if case_id is not None:
        audit.record(session, user_id, action, "case", case_id, capacity_id=capacity_id)
    return _record(session, capacity_id, kind, delta, counts, user_id, case_id, note, now)


def claim(session: Session, capacity_id: int, user_id: int | None, case_id: int | None = None,
          note: str = "", now: datetime | None = None, amount: int = 1,
          hold_hours: int | None = None) -> CapacityEvent:
    """Take ``amount`` places (hours), or raise NotFree when not that many are left. The
    claim is a hold (netwerk/capacity/holds.py) the provider confirms or declines, and that
    frees the place when it expires (after the type's ``hold_hours``, else ``hold_hours``)."""
    def refuse(counts: Counts) -> NoReturn:
        if counts.available > 0:
            raise NotFree(
                _("Net vergeven: er is nog maar %(left)s vrij, je vroeg %(n)s. Er is niets "
                  "geclaimd.", left=counts.available, n=amount), "amount")
        raise NotFree(
            _("Net vergeven: iemand anders heeft de laatste plek net geclaimd. Er is nu geen "
              "plek vrij; bel om te horen wanneer er weer iets vrijkomt.")
        )

    from netwerk.capacity import holds

    event = _move(session, CapacityEventKind.CLAIM, capacity_id, amount, user_id, case_id,
                  note, now, refuse)
    holds.open_hold(session, event, hold_hours)
    return event


def release(session: Session, capacity_id: int, user_id: int | None, case_id: int | None = None,
            note: str = "", now: datetime | None = None, amount: int = 1) -> CapacityEvent:
    event = _release(session, capacity_id, user_id, case_id, note, now, amount)
    from netwerk.capacity import holds

    holds.tell_subscribers(session, capacity_id, event)
    return event


def _release(session: Session, capacity_id: int, user_id: int | None, case_id: int | None,
             note: str, now: datetime | None, amount: int) -> CapacityEvent:
    """Give ``amount`` places back, or raise AllFree when that would exceed the total."""
    def refuse(counts: Counts) -> NoReturn:
        if counts.available >= counts.maximum:
            raise AllFree(_("Vrijgeven kan niet: alle plekken zijn al vrij."))
        raise AllFree(
            _("Vrijgeven kan niet: dan zou er meer vrij zijn dan het totaal (%(a)s van %(m)s "
              "vrij).", a=counts.available, m=counts.maximum), "amount")

    return _move(session, CapacityEventKind.RELEASE, capacity_id, amount, user_id, case_id,
                 note, now, refuse)


def set_counts(
    session: Session,
    capacity_id: int,
    user_id: int | None,
    available: int,
    maximum: int,
    seen_version: int,
    note: str = "",
    now: datetime | None = None,
) -> CapacityEvent:
    """Set free and total as counted by the organisation (also "still correct": no change).

    ``seen_version`` is the version the form showed; if someone changed the count since,
    StaleCount is raised and nothing changes.
    """
    note = check_note(note)
    if available < 0 or maximum < 0:
        raise InvalidCount(_("Een aantal kan niet negatief zijn."), "available")
    if available > maximum:
        raise InvalidCount(
            _("Vrij (%(a)s) kan niet meer zijn dan het totaal (%(m)s).", a=available, m=maximum),
            "available",
        )
    now = now or utcnow()
    before = current_counts(session, capacity_id)
    stale_message = _(
        "Iemand anders heeft deze telling intussen gewijzigd (nu %(a)s van %(m)s vrij). "
        "Er is niets opgeslagen; kijk de nieuwe stand na en sla opnieuw op.",
        a=before.available, m=before.maximum,
    )
    if before.version != seen_version:
        raise StaleCount(stale_message)
    try:
        result = session.execute(
            update(capacities)
            .where(capacities.c.id == capacity_id, capacities.c.version == seen_version)
            .values(
                available=available,
                maximum=maximum,
                version=capacities.c.version + 1,
                updated_at=now,
                updated_by_id=user_id,
            )
        )
    except IntegrityError as exc:  # the check constraints; the caller rolls back
        raise InvalidCount(_("Vrij moet tussen 0 en het totaal liggen.")) from exc
    if rowcount(result) != 1:
        raise StaleCount(stale_message)
    counts = current_counts(session, capacity_id)
    _expire(session, capacity_id)
    event = _record(session, capacity_id, CapacityEventKind.SET, available - before.available,
                    counts, user_id, None, note, now)
    if available > before.available:
        from netwerk.capacity import holds

        holds.tell_subscribers(session, capacity_id, event)
    return event


def _expire(session: Session, capacity_id: int) -> None:
    """Forget a loaded Capacity so that it is read again after our UPDATE."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Capacity) and obj.id == capacity_id:
            session.expire(obj)


def create_capacity(
    session: Session,
    service_id: int | None,
    area_id: int | None,
    type_slug: str,
    available: int,
    maximum: int,
    user_id: int | None,
    now: datetime | None = None,
) -> Capacity:
    """A new count for a service in an area, of a type; recorded as a first 'bijgewerkt' event."""
    service = session.get(Service, service_id) if service_id else None
    if service is None:
        raise CapacityError(_("Aanbod: kies een aanbod van je organisatie."), "service_id")
    area = session.get(Area, area_id) if area_id else None
    if area is None:
        raise CapacityError(_("Gebied: kies een wijk, gemeente of regio."), "area_id")
    ctype = session.scalar(select(CapacityType).where(CapacityType.slug == (type_slug or "")))
    if ctype is None:
        raise CapacityError(
            _("Soort plek: onbekende soort '%(slug)s'.", slug=type_slug or ""), "type_slug")
    if available > maximum:
        raise InvalidCount(
            _("Vrij (%(a)s) kan niet meer zijn dan het totaal (%(m)s).", a=available, m=maximum),
            "available",
        )
    exists = session.scalar(select(Capacity.id).where(
        Capacity.service_id == service.id, Capacity.area_id == area.id,
        Capacity.capacity_type_id == ctype.id))
    if exists is not None:
        raise CapacityError(
            _("Er is al een telling voor %(type)s van %(service)s in %(area)s; werk die bij.",
              type=ctype.name, service=service.name, area=area.name), "type_slug")
    now = now or utcnow()
    capacity = Capacity(service_id=service.id, area_id=area.id, capacity_type_id=ctype.id,
                        available=available, maximum=maximum, version=1, updated_at=now,
                        updated_by_id=user_id)
    session.add(capacity)
    try:
        session.flush()
    except IntegrityError as exc:  # the same count added at the same moment by someone else
        raise CapacityError(
            _("Er is net een telling voor deze soort en dit gebied toegevoegd; werk die bij."),
            "type_slug") from exc
    _record(session, capacity.id, CapacityEventKind.SET, available,
            Counts(available, maximum, 1), user_id, None, "", now)
    return capacity


def record_history_view(session: Session, viewer, capacity_id: int, case_ids: list[int]) -> None:
    """A count's history named these cases to ``viewer``: that is a case access, audited."""
    if case_ids:
        audit.record(session, viewer, "capacity_history_view", "case", None,
                     capacity_id=capacity_id, case_ids=sorted(case_ids))
