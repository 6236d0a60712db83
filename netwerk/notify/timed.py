"""The timed jobs, all run by one ``tick`` (every ``JOB_TICK_SECONDS``; the worker's
scheduler or the app's own, docs/loops.md):

* every tick: expire the holds that are due, re-queue the mail that is overdue, mark an
  import whose process died as failed (netwerk/interchange/jobs.py);
* once a day, from ``DIGEST_HOUR`` (Europe/Amsterdam): reminders the day before an action is
  due, the daily digests;
* once a month (with the first daily run of the month): owners of records not verified for
  ``STALE_AFTER_DAYS``.

"Once" is a row: the daily and monthly runs each claim a ``JobRun`` with a unique key
(``daily-2026-12-03``) before they start, so two workers on the same tick do them once; and
each message they make has its own key, so a run redone after a crash sends nothing twice.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netwerk.db import utcnow
from netwerk.i18n import _
from netwerk.jobs import job
from netwerk.models import (
    Case,
    CaseStatus,
    JobRun,
    Notification,
    PlanAction,
    Professional,
    User,
)
from netwerk.notify import KINDS, absolute, mail_enabled, notify, outbox

LOCAL = ZoneInfo("Europe/Amsterdam")


def _claim_run(session: Session, key: str, kind: str) -> bool:
    """True for the one caller that gets to do the run ``key``."""
    if session.scalar(select(JobRun.id).where(JobRun.key == key)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(JobRun(key=key, kind=kind, state="klaar", finished_at=utcnow()))
    except IntegrityError:
        return False
    return True


def due_reminders(session: Session, today) -> int:
    """The owner of each open action due tomorrow, told once."""
    tomorrow = today + timedelta(days=1)
    rows = session.execute(
        select(PlanAction.id, PlanAction.case_id, PlanAction.due, Case.reference, User.id)
        .join(Case, Case.id == PlanAction.case_id)
        .join(User, User.professional_id == PlanAction.professional_id)
        .where(PlanAction.done.is_(False), PlanAction.due == tomorrow,
               Case.status != CaseStatus.GESLOTEN, User.active.is_(True))).all()
    for action_id, case_id, _due, reference, user_id in rows:
        notify(session, [user_id], "action_due", f"/casussen/{case_id}#actie-{action_id}",
               _("Casus %(ref)s: een actie voor je moet morgen klaar zijn", ref=reference),
               key=f"action-due:{action_id}:{tomorrow.isoformat()}", case_id=case_id)
    return len(rows)


def digests(session: Session, today) -> int:
    """One e-mail per user with what waited for the digest: kinds and counts, and the link."""
    if not mail_enabled():
        return 0
    waiting = session.execute(select(Notification.id, Notification.user_id, Notification.kind)
                              .where(Notification.digest_state == "wacht")).all()
    per_user: dict[int, Counter] = {}
    ids: dict[int, list[int]] = {}
    for nid, user_id, kind in waiting:
        per_user.setdefault(user_id, Counter())[kind] += 1
        ids.setdefault(user_id, []).append(nid)
    sent = 0
    for user_id, counts in per_user.items():
        user = session.get(User, user_id)
        if user is not None and user.email:
            lines = [f"- {n} × {KINDS[kind].subject}" for kind, n in sorted(counts.items())]
            body = (_("Dit wacht op je in netwerk:") + "\n\n" + "\n".join(lines) + "\n\n"
                    + _("Bekijk het in netwerk") + f": {absolute('/meldingen')}\n")
            outbox.queue(session, f"digest:{user_id}:{today.isoformat()}", user.email,
                         "netwerk: " + _("je dagelijkse overzicht"), body)
            sent += 1
        for nid in ids[user_id]:
            session.get_one(Notification, nid).digest_state = "verstuurd"
    session.flush()
    return sent


def stale_records(session: Session, month: str, now: datetime) -> int:
    """Each account whose own record was not verified for ``STALE_AFTER_DAYS``, once a month."""
    cutoff = now - timedelta(days=current_app.config["STALE_AFTER_DAYS"])
    rows = session.execute(
        select(User.id, Professional.id).join(Professional, User.professional_id == Professional.id)
        .where(Professional.verified_at < cutoff, Professional.active.is_(True),
               User.active.is_(True))).all()
    for user_id, professional_id in rows:
        notify(session, [user_id], "records_stale", f"/personen/{professional_id}",
               _("Je gegevens zijn lang niet nagekeken: kloppen ze nog?"),
               key=f"stale:{professional_id}:{month}")
    return len(rows)


def tick(session: Session, now: datetime | None = None) -> dict:
    """One round of the timed work; commits after each step. Returns what it did."""
    from netwerk.capacity.holds import expire_due
    from netwerk.interchange.jobs import reap as reap_imports

    now = now or utcnow()
    done: dict = {"expired": 0}
    while True:  # one hold per transaction: a crash loses nothing, redone by the next tick
        n = expire_due(session, now, limit=1)
        session.commit()
        if not n:
            break
        done["expired"] += n
    done["mail"] = outbox.sweep(session)
    session.commit()
    done["imports"] = reap_imports(session, now)
    session.commit()
    local = now.astimezone(LOCAL)
    if local.hour >= current_app.config["DIGEST_HOUR"] and _claim_run(
            session, f"daily-{local.date().isoformat()}", "daily"):
        done["reminders"] = due_reminders(session, local.date())
        done["digests"] = digests(session, local.date())
        month = local.strftime("%Y-%m")
        if _claim_run(session, f"monthly-{month}", "monthly"):
            done["stale"] = stale_records(session, month, now)
        session.commit()
    return done


@job("tick")
def tick_job(now: str | None = None) -> dict:
    from netwerk.db import db

    return tick(db.session, datetime.fromisoformat(now) if now else None)
