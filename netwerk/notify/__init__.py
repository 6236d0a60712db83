"""Notifications: the in-app inbox and e-mail, per user and kind (docs/loops.md).

``notify(session, user_ids, kind, link, text, key=…)`` is what other parts call: it writes
one ``Notification`` per user (once per ``key``: a job run twice notifies once) and, as each
user chose for that kind, queues an e-mail in the outbox right away, marks it for the daily
digest, or leaves it to the inbox. It flushes; the caller commits, and the mail goes out
after the commit (netwerk/notify/outbox.py).

E-MAIL NEVER CARRIES CASE CONTENT: an e-mail's subject and body come from ``KINDS`` alone
(that there is something, of which kind) plus the link; ``text`` — which may name a case
reference — is shown in the app only, to its addressee.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netwerk.i18n import _l
from netwerk.models import Notification, NotificationPreference, User

CHANNELS = ("app", "email", "digest")
CHANNEL_LABELS = {"app": _l("Alleen in de app"), "email": _l("In de app en meteen per e-mail"),
                  "digest": _l("In de app en één e-mail per dag")}


@dataclass(frozen=True)
class Kind:
    """A kind of notification: its name, and the e-mail's subject and sentence, which name the
    kind only, never case content."""

    label: object  # what the preferences page and the inbox call it
    sentence: object  # the e-mail's one sentence
    subject: object = None  # the e-mail's subject; the label when not given
    default: str = "email"

    def __post_init__(self) -> None:
        if self.subject is None:
            object.__setattr__(self, "subject", self.label)


KINDS: dict[str, Kind] = {
    "hold_new": Kind(
        _l("Nieuwe reservering op een plek van je organisatie"),
        subject=_l("Er wacht een reservering op je antwoord"),
        sentence=_l("Er is een plek van je organisatie gereserveerd. Bevestig of wijs af.")),
    "hold_confirmed": Kind(
        _l("Je reservering is bevestigd"),
        sentence=_l("De aanbieder heeft je reservering bevestigd.")),
    "hold_declined": Kind(
        _l("Je reservering is afgewezen"),
        sentence=_l("De aanbieder heeft je reservering afgewezen. De reden staat in netwerk.")),
    "hold_expired": Kind(
        _l("Je reservering is verlopen"),
        sentence=_l("Je reservering is niet op tijd bevestigd en is verlopen; de plek is weer "
                    "vrij.")),
    "lead_decided": Kind(
        _l("Besluit over de frontsoldaat van een casus waarin je zit"),
        subject=_l("Er is een besluit over een casus waarbij je betrokken bent"),
        sentence=_l("Er is een frontsoldaat gekozen in een casus waarbij je betrokken bent.")),
    "action_new": Kind(
        _l("Nieuwe actie voor je in een casus"),
        subject=_l("Er is een nieuwe actie voor je"),
        sentence=_l("Er is een actie aan je toegewezen in een casus.")),
    "action_due": Kind(
        _l("Een actie voor je moet morgen klaar zijn"),
        subject=_l("Een actie voor je staat voor morgen"),
        sentence=_l("Een actie die aan je is toegewezen moet morgen klaar zijn.")),
    "place_free": Kind(
        _l("Er komt een plek vrij waarvoor je 'laat me weten' koos"),
        subject=_l("Er is een plek vrijgekomen"),
        sentence=_l("Er is een plek vrijgekomen van een soort en in een gemeente waarvoor je "
                    "'laat me weten' koos.")),
    "report": Kind(
        _l("Melding dat gegevens niet kloppen"),
        subject=_l("Iemand meldt dat gegevens niet kloppen"),
        sentence=_l("Iemand meldt dat een nummer of rol in netwerk niet klopt. Kijk het na.")),
    "records_stale": Kind(
        _l("Maandelijks: gegevens die lang niet zijn nagekeken"),
        subject=_l("Kijk je gegevens in netwerk na"),
        sentence=_l("Je gegevens in netwerk zijn al een half jaar niet nagekeken. Kloppen ze "
                    "nog?")),
}


def preferences(session: Session, user_id: int) -> dict[str, str]:
    """The channel per kind for ``user_id`` (the kind's default where none was chosen)."""
    chosen = dict(session.execute(
        select(NotificationPreference.kind, NotificationPreference.channel)
        .where(NotificationPreference.user_id == user_id)).all())
    return {kind: chosen.get(kind, spec.default) for kind, spec in KINDS.items()}


def set_preferences(session: Session, user_id: int, wanted: dict[str, str]) -> None:
    """Store the chosen channels; an unknown kind or channel is left out."""
    existing = {p.kind: p for p in session.scalars(select(NotificationPreference).where(
        NotificationPreference.user_id == user_id))}
    for kind, channel in wanted.items():
        if kind not in KINDS or channel not in CHANNELS:
            continue
        if kind in existing:
            existing[kind].channel = channel
        else:
            session.add(NotificationPreference(user_id=user_id, kind=kind, channel=channel))
    session.flush()


def mail_enabled() -> bool:
    from flask import current_app, has_app_context

    return has_app_context() and bool(current_app.config.get("MAIL_URL"))


def absolute(link: str) -> str:
    """``link`` (a path of this site) as the address an e-mail carries."""
    from flask import current_app, has_request_context, request

    base = current_app.config.get("BASE_URL")
    if not base and has_request_context():
        base = request.host_url.rstrip("/")
    return (base or "http://127.0.0.1:5000") + link


def email_for(kind: str, link: str) -> tuple[str, str]:
    """Subject and body of the e-mail for one notification: the kind and the link only."""
    spec = KINDS[kind]
    subject = f"netwerk: {spec.subject}"
    body = (f"{spec.sentence}\n\n{_l('Bekijk het in netwerk')}: {absolute(link)}\n\n"
            f"{_l('Je krijgt dit bericht omdat je dit zo hebt ingesteld')}: "
            f"{absolute('/meldingen/instellingen')}\n")
    return subject, body


def notify(session: Session, user_ids, kind: str, link: str, text: str | None = None, *,
           key: str | None = None, case_id: int | None = None) -> list[Notification]:
    """Tell ``user_ids`` about something at ``link`` (a path of this site).

    ``text`` is the inbox line (in the app only; the kind's label when not given). With
    ``key``, each user is told once for that key. ``case_id`` ties the message to a case, so
    it goes when the case is purged. Returns the notifications made now."""
    from netwerk.notify import outbox

    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not link.startswith("/") or link.startswith("//"):
        raise ValueError("link must be a path of this site")
    text = str(text or KINDS[kind].label)[:300]
    made = []
    for user_id in dict.fromkeys(u for u in user_ids if u):
        user = session.get(User, user_id)
        if user is None or not user.active:
            continue
        user_key = f"{key}:u{user_id}" if key else None
        if user_key and session.scalar(
                select(Notification.id).where(Notification.key == user_key)) is not None:
            continue
        channel = preferences(session, user_id)[kind]
        notification = Notification(user_id=user_id, kind=kind, text=text, link=link[:300],
                                    key=user_key, case_id=case_id)
        try:
            with session.begin_nested():
                session.add(notification)
        except IntegrityError:  # the same key written by another worker at the same moment
            continue
        if channel == "digest" and mail_enabled():
            notification.digest_state = "wacht"
        elif channel == "email" and mail_enabled() and user.email:
            subject, body = email_for(kind, link)
            outbox.queue(session, f"n{notification.id}", user.email, subject, body)
        made.append(notification)
    session.flush()
    return made


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0
