"""The mail outbox: messages are rows first, sent by a job after the commit.

``queue`` writes a ``MailMessage`` (once per key) and asks for the job ``send_mail``. The job
takes the message with ONE conditional UPDATE — ``wacht`` and due, or ``bezig`` with an
expired lease (a worker killed mid-send) — commits that, talks SMTP, and marks it
``verstuurd`` (emptying the body). A failure puts it back to ``wacht`` with a later
``next_attempt_at`` (1, 2, 4 … minutes, at most an hour) and the error; after
``MAIL_MAX_ATTEMPTS`` it is ``mislukt`` (kept, never deleted; the notification stays in the
inbox). ``sweep`` (run by the tick) re-queues every message overdue by
``MAIL_SWEEP_AFTER_SECONDS`` (not one whose own job is about to send it), so a lost job, a Redis
restart or a dead worker delays a message but never loses it, and a message that was taken
is not taken again before its lease ends: each message is sent once. The one window left is
a worker killed after the SMTP server accepted the message and before ``verstuurd`` was
committed; then it is sent again with the same Message-ID.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netwerk.db import rowcount, utcnow
from netwerk.jobs import enqueue, job, warmer
from netwerk.models import MailMessage
from netwerk.notify import mail

log = logging.getLogger(__name__)
outbox = MailMessage.__table__
WAIT, BUSY, SENT, FAILED = "wacht", "bezig", "verstuurd", "mislukt"


def queue(session: Session, key: str, to: str, subject: str, body: str) -> MailMessage | None:
    """Put a message in the outbox (once per ``key``) and ask for it to be sent."""
    if session.scalar(select(MailMessage.id).where(MailMessage.key == key)) is not None:
        return None
    message = MailMessage(key=key, to_addr=to, subject=subject[:200], body=body, state=WAIT,
                          next_attempt_at=utcnow())
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        return None
    enqueue(session, "send_mail", f"mail-{message.id}", message_id=message.id)
    return message


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def header_id(message: MailMessage) -> str:
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:16]
    return f"<netwerk-{message.id}-{digest}@netwerk>"


def _take(session: Session, message_id_: int) -> bool:
    now = utcnow()
    lease = timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
    result = session.execute(
        update(outbox).where(
            outbox.c.id == message_id_,
            or_((outbox.c.state == WAIT) & (outbox.c.next_attempt_at <= now),
                (outbox.c.state == BUSY) & (outbox.c.lease_until < now)))
        .values(state=BUSY, lease_until=now + lease, attempts=outbox.c.attempts + 1))
    return rowcount(result) == 1


@job("send_mail")
def send_mail(message_id: int) -> str:
    """Send one outbox message if it is due and nobody else holds it; returns its state."""
    from netwerk.db import db

    session = db.session
    config = current_app.config
    if not config.get("MAIL_URL"):
        return "geen mail"
    if not _take(session, message_id):
        session.rollback()
        return "niet aan de beurt"
    session.commit()  # the lease is ours, visible to every other worker
    message = session.get_one(MailMessage, message_id)  # _take found it
    try:
        mail.send(config["MAIL_URL"], mail.build_message(
            config["MAIL_FROM"], message.to_addr, message.subject, message.body,
            header_id(message)), timeout=config["MAIL_TIMEOUT_SECONDS"])
    except Exception as exc:  # SMTP refused, connection refused, timeout, TLS
        attempts = message.attempts
        failed = attempts >= config["MAIL_MAX_ATTEMPTS"]
        session.execute(update(outbox).where(outbox.c.id == message_id,
                                             outbox.c.state == BUSY).values(
            state=FAILED if failed else WAIT, lease_until=None,
            next_attempt_at=utcnow() + backoff(attempts), last_error=str(exc)[:500]))
        session.commit()
        log.warning("mail %s not sent (attempt %s): %s", message_id, attempts, exc)
        if not failed:
            enqueue(session, "send_mail", f"mail-{message_id}-{attempts}",
                    delay=backoff(attempts).total_seconds(), message_id=message_id)
            session.commit()
        return FAILED if failed else WAIT
    session.execute(update(outbox).where(outbox.c.id == message_id).values(
        state=SENT, sent_at=utcnow(), lease_until=None, body="", last_error=""))
    session.commit()
    return SENT


@warmer
def warm(session: Session) -> None:
    """What ``send_mail`` does first in a fresh process, on no message (id 0): its statements
    compiled, and one message built (the e-mail package sets itself up on first use)."""
    _take(session, 0)
    session.get(MailMessage, 0)
    session.execute(update(outbox).where(outbox.c.id == 0).values(
        state=SENT, sent_at=utcnow(), lease_until=None, body="", last_error=""))
    session.rollback()
    mail.build_message("a@b.invalid", "c@d.invalid", "netwerk", "netwerk", "<warm@netwerk>")


def sweep(session: Session, limit: int = 1000) -> int:
    """Ask again for every message left behind: waiting for ``MAIL_SWEEP_AFTER_SECONDS`` past
    its time (its own job, just queued or retrying, is left to send it), or held past its
    lease."""
    now = utcnow()
    overdue = now - timedelta(seconds=current_app.config["MAIL_SWEEP_AFTER_SECONDS"])
    due = list(session.scalars(select(MailMessage.id).where(
        or_((MailMessage.state == WAIT) & (MailMessage.next_attempt_at <= overdue),
            (MailMessage.state == BUSY) & (MailMessage.lease_until < now)))
        .order_by(MailMessage.id).limit(limit)))
    slot = int(now.timestamp()) // 60
    for mid in due:
        enqueue(session, "send_mail", f"mail-{mid}-sweep-{slot}", message_id=mid)
    return len(due)
