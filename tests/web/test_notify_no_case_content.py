"""E-mail never carries case content: every kind of message is made on the demo network (and
on case texts written here), every e-mail the real SMTP server received is checked against
every case text: situations, plan actions, reasons, claim notes, decline reasons and the case
references (a reference is fine in the app, never in e-mail)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from netwerk.capacity import holds
from netwerk.capacity import operations as capacity_ops
from netwerk.db import utcnow
from netwerk.directory.operations import file_report
from netwerk.matching import operations as case_ops
from netwerk.matching.queries import analyse_case
from netwerk.models import (
    Capacity,
    CapacityEvent,
    CapacityHold,
    CapacitySubscription,
    Case,
    Notification,
    PlanAction,
    Professional,
    Role,
    User,
)
from netwerk.notify import KINDS
from netwerk.notify.timed import tick

CHEAP = generate_password_hash("x" * 12, method="pbkdf2:sha256:1000")


def _accounts(session) -> None:
    """An account for every professional of the demo network (so everyone can be told)."""
    have = set(session.scalars(select(User.professional_id)))
    for prof in session.scalars(select(Professional)):
        if prof.id not in have:
            session.add(User(email=f"p{prof.id}@demo.example", role=Role.MEDEWERKER,
                             professional_id=prof.id, password_hash=CHEAP))
    session.commit()


def _case_texts(session) -> set[str]:
    texts: set[str] = set()
    for case in session.scalars(select(Case)):
        texts |= {case.reference, case.situation or "", case.lead_reason or ""}
    texts |= set(session.scalars(select(PlanAction.what)))
    texts |= set(session.scalars(select(CapacityHold.note).where(CapacityHold.case_id.is_not(None))))
    texts |= set(session.scalars(select(CapacityHold.reason).where(
        CapacityHold.case_id.is_not(None))))
    texts |= set(session.scalars(select(CapacityEvent.note).where(
        CapacityEvent.case_id.is_not(None))))
    pieces = set()
    for text in texts:
        text = (text or "").strip()
        if len(text) >= 4:
            pieces.add(text)
            # every sentence and every run of three words, so a quoted part is caught too
            pieces |= {s.strip() for s in re.split(r"[.;:!?\n]", text) if len(s.strip()) >= 12}
            words = text.split()
            pieces |= {" ".join(words[i:i + 3]) for i in range(len(words) - 2)
                       if len(" ".join(words[i:i + 3])) >= 12}
    return pieces


def test_no_email_carries_case_content(app, session, seeded, smtp):
    _accounts(session)
    case = session.scalar(select(Case).where(Case.reference == "NWG-2026-0001"))
    coordinator = session.scalar(select(User).where(User.professional_id == case.coordinator_id))
    # Lead decision: the lead and the back pocket are told.
    analysis = analyse_case(session, case)
    lead = analysis.suggestion.suggested.candidate.id
    # Everyone brought in rests on the client's consent (docs/security.md, finding 20).
    consent = case_ops.BasisInput(kind="toestemming", given_on=date.today(),
                                  scope="hulp bij wonen en geldzaken")
    case_ops.decide_lead(session, case, coordinator, lead, "Kent het gezin al jaren goed",
                         analysis=analysis, basis=consent)
    session.commit()
    # A new action for an involved person, due tomorrow (Amsterdam).
    today = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    owner = next(i.professional_id for i in case.involvements
                 if i.professional_id not in (lead, case.coordinator_id))
    case_ops.add_action(session, case, owner, "Schuldhulp bellen over de huurachterstand",
                        (today + timedelta(days=1)).date(), coordinator)
    session.commit()
    # Holds for the case: new, confirmed, declined with a reason, expired; a place frees up
    # for a subscriber.
    capacity = session.scalar(select(Capacity).where(Capacity.available >= 1)
                              .order_by(Capacity.available.desc()))
    capacity.available = capacity.maximum = max(capacity.maximum, 4)
    staff = session.scalar(select(User).join(Professional, User.professional_id == Professional.id)
                           .where(Professional.organisation_id
                                  == capacity.service.organisation_id))
    gemeente = holds.gemeenten_of(session, capacity.area)[0]
    session.add(CapacitySubscription(user_id=staff.id, capacity_type_id=capacity.capacity_type_id,
                                     area_id=gemeente))
    session.commit()
    made = []
    for note in ("Na de ontruiming vannacht opvang nodig", "Moeder met twee kinderen",
                 "Tot de schuldhulp rond is", "Alleen voor het weekend"):
        capacity_ops.claim(session, capacity.id, coordinator.id, case.id, note)
        session.commit()
        made.append(session.scalars(select(CapacityHold).order_by(CapacityHold.id.desc())).first())
    holds.confirm(session, made[0].id, staff.id)
    holds.decline(session, made[1].id, staff.id, "Geen rolstoeltoegankelijke kamer vrij")
    holds.withdraw(session, made[2].id, coordinator.id)
    session.commit()
    holds.expire_due(session, utcnow() + timedelta(days=1))
    session.commit()
    # A "klopt niet" report (the directory calls notify) and the monthly stale records.
    # Its free text ("anders") carries case content here: it must stay out of the mail.
    file_report(session, coordinator, reason="anders", note="Kent het gezin al jaren goed",
                professional=session.get(Professional, staff.professional_id))
    session.execute(update(Professional).values(verified_at=utcnow() - timedelta(days=400)))
    session.commit()
    tick(session, today)

    kinds = set(session.scalars(select(Notification.kind)))
    assert kinds == set(KINDS), set(KINDS) - kinds
    # Everything that went by mail arrived at the real server.
    from netwerk.models import MailMessage

    expected = len(session.scalars(select(MailMessage)).all())
    received = smtp.wait_for(expected)
    assert len(received) == expected > len(KINDS)
    assert all(m.state == "verstuurd" for m in session.scalars(select(MailMessage)))

    pieces = _case_texts(session)
    assert "Geen rolstoeltoegankelijke kamer vrij" in pieces and "NWG-2026-0001" in pieces
    leaks = [(mail.subject, piece) for mail in received for piece in pieces
             if piece.lower() in (mail.subject + "\n" + mail.body).lower()]
    assert not leaks, leaks[:5]
    # ... while the app's inbox does name the case for those in it.
    assert any("NWG-2026-0001" in n.text for n in session.scalars(
        select(Notification).where(Notification.kind == "lead_decided")))
