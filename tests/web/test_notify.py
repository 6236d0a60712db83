"""Notifications: inbox, preferences, e-mail through a real SMTP server, retries, digest and
the timed reminders (netwerk/notify). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from netwerk.db import utcnow
from netwerk.models import MailMessage, Notification, PlanAction
from netwerk.notify import notify, set_preferences
from netwerk.notify.timed import tick


def _messages(session):
    session.expire_all()
    return list(session.scalars(select(MailMessage).order_by(MailMessage.id)))


def test_notify_mails_the_kind_and_the_link_only(app, session, users, smtp):
    user = users["medewerker"]
    notify(session, [user.id], "report", "/personen/1", "Nummer van Jan klopt niet",
           key="report:1")
    session.commit()
    [got] = smtp.wait_for(1)
    assert got.rcpt == [user.email]
    assert got.subject == "netwerk: Iemand meldt dat gegevens niet kloppen"
    assert "http://netwerk.test/personen/1" in got.body
    assert "Jan" not in got.body + got.subject  # the inbox text stays in the app
    assert got.message["From"] == app.config["MAIL_FROM"]
    [message] = _messages(session)
    assert message.state == "verstuurd" and message.body == ""
    # The same key again: no second notification, no second mail.
    notify(session, [user.id], "report", "/personen/1", key="report:1")
    session.commit()
    assert len(session.scalars(select(Notification)).all()) == 1
    assert len(smtp.messages) == 1


def test_an_smtp_failure_is_retried_and_the_message_kept(app, session, users, smtp):
    user = users["coordinator"]
    smtp.refuse = 1  # the first attempt gets a 451
    notify(session, [user.id], "action_new", "/casussen/1", key="a:1")
    session.commit()
    [message] = _messages(session)
    assert message.state == "wacht" and message.attempts == 1 and "451" in message.last_error
    assert smtp.messages == []
    # Not due yet: the tick leaves it.
    tick(session)
    assert _messages(session)[0].attempts == 1
    # Just due: its own (delayed) job is about to send it, the tick leaves it alone ...
    session.execute(update(MailMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    tick(session)
    assert _messages(session)[0].attempts == 1 and smtp.messages == []
    # ... overdue by NETWERK_MAIL_SWEEP_AFTER_SECONDS (its job was lost): the tick sends it.
    overdue = app.config["MAIL_SWEEP_AFTER_SECONDS"] + 1
    session.execute(update(MailMessage).values(
        next_attempt_at=utcnow() - timedelta(seconds=overdue)))
    session.commit()
    tick(session)
    [got] = smtp.wait_for(1)
    assert got.rcpt == [user.email]
    assert _messages(session)[0].state == "verstuurd"
    tick(session)  # nothing sent twice
    assert len(smtp.messages) == 1


def test_a_server_that_is_down_loses_nothing(app, session, users):
    from tests.mail_server import MailServer
    from tests.oidc_provider import free_port

    port = free_port()
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{port}"  # nobody listens there yet
    notify(session, [users["medewerker"].id], "hold_new", "/plek/1", key="h:1")
    session.commit()
    assert _messages(session)[0].state == "wacht"
    server = MailServer()
    server.port = port
    from aiosmtpd.controller import Controller

    server.controller = Controller(server, hostname="127.0.0.1", port=port)
    server.controller.start()
    try:
        session.execute(update(MailMessage).values(next_attempt_at=utcnow() - timedelta(
            seconds=app.config["MAIL_SWEEP_AFTER_SECONDS"] + 1)))
        session.commit()
        tick(session)
        assert len(server.wait_for(1)) == 1
    finally:
        server.stop()
    assert _messages(session)[0].attempts == 2


def test_preferences_app_only_and_daily_digest(app, session, users, smtp):
    quiet, digest = users["medewerker"], users["facilitator"]
    set_preferences(session, quiet.id, {"place_free": "app"})
    set_preferences(session, digest.id, {"place_free": "digest"})
    session.commit()
    for i in range(3):
        notify(session, [quiet.id, digest.id], "place_free", "/plek/1", key=f"free:{i}")
    session.commit()
    assert smtp.messages == []  # neither wants it right away
    assert len(session.scalars(select(Notification)).all()) == 6  # all in the inbox
    morning = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)  # 08:30 in Amsterdam
    tick(session, morning)
    [got] = smtp.wait_for(1)
    assert got.rcpt == [digest.email]
    assert "3 × Er is een plek vrijgekomen" in got.body and "/meldingen" in got.body
    tick(session, morning + timedelta(hours=1))  # once a day
    assert len(smtp.messages) == 1


def test_without_mail_the_inbox_alone(app, session, users):
    assert not app.config["MAIL_URL"]
    notify(session, [users["medewerker"].id], "hold_new", "/plek/1")
    session.commit()
    assert _messages(session) == []
    assert len(session.scalars(select(Notification)).all()) == 1


def test_the_inbox_and_its_count(app, session, users, auth, client):
    me, other = users["medewerker"], users["coordinator"]
    mine = notify(session, [me.id], "hold_new", "/plek/7", "Nieuwe reservering: Noodplek")[0]
    theirs = notify(session, [other.id], "action_new", "/casussen/1", "Casus X: actie")[0]
    session.commit()
    auth.login(me)
    page = client.get("/meldingen").text
    assert "Nieuwe reservering: Noodplek" in page and "Casus X" not in page
    assert 'class="unread-count"' in page
    r = client.post(f"/meldingen/{mine.id}/open")
    assert r.status_code == 303 and r.headers["Location"].endswith("/plek/7")
    assert 'class="unread-count"' not in client.get("/meldingen").text
    # Someone else's message: as if it did not exist; it stays unread.
    assert client.post(f"/meldingen/{theirs.id}/open").status_code == 404
    session.expire_all()
    assert session.get(Notification, theirs.id).read_at is None


def test_preferences_page(app, session, users, auth, client):
    me = users["medewerker"]
    auth.login(me)
    assert client.get("/meldingen/instellingen").status_code == 200
    from netwerk.notify import KINDS

    data = dict.fromkeys(KINDS, "app")
    data["hold_new"] = "onzin"
    r = client.post("/meldingen/instellingen", data=data)
    assert r.status_code == 400 and "kies hoe je dit wilt horen" in r.text
    data["hold_new"] = "digest"
    assert client.post("/meldingen/instellingen", data=data).status_code == 303
    from netwerk.notify import preferences

    assert preferences(session, me.id)["hold_new"] == "digest"
    assert preferences(session, me.id)["report"] == "app"


def test_action_owner_told_on_a_new_action_and_the_day_before(app, session, seeded, smtp):
    from netwerk.matching.operations import add_action
    from netwerk.models import Case, CaseInvolvement, Professional, Role
    from tests.conftest import PASSWORD  # noqa: F401

    case = session.scalar(select(Case).where(Case.reference == "NWG-2026-0001"))
    involvement = session.scalar(select(CaseInvolvement).where(CaseInvolvement.case_id == case.id))
    owner = session.get(Professional, involvement.professional_id)
    from netwerk.models import User

    user = session.scalar(select(User).where(User.professional_id == owner.id))
    if user is None:
        user = User(email="eigenaar@netwerk.example", role=Role.MEDEWERKER,
                    professional_id=owner.id)
        user.set_password("x" * 12)
        session.add(user)
        session.commit()
    today = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    action = add_action(session, case, owner.id, "Huisbezoek plannen", date(2026, 12, 4))
    session.commit()
    assert [n.kind for n in session.scalars(select(Notification).where(
        Notification.user_id == user.id))] == ["action_new"]
    tick(session, today)
    tick(session, today + timedelta(hours=2))
    kinds = [n.kind for n in session.scalars(select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id))]
    assert kinds == ["action_new", "action_due"]
    assert session.get(PlanAction, action.id).due == date(2026, 12, 4)
    bodies = " ".join(m.body + m.subject for m in smtp.wait_for(2))
    assert "Huisbezoek" not in bodies and case.reference not in bodies


@pytest.mark.parametrize("url,expected", [
    ("smtp://relay.example:2525", ("relay.example", 2525, None, None, False, False)),
    ("smtp://me%40x.nl:p%3Ass@mail.example:587?starttls=1",
     ("mail.example", 587, "me@x.nl", "p:ss", True, False)),
    ("smtps://u:p@mail.example", ("mail.example", 465, "u", "p", False, True)),
])
def test_mail_url(url, expected):
    from netwerk.notify.mail import parse_mail_url

    s = parse_mail_url(url)
    assert (s.host, s.port, s.user, s.password, s.starttls, s.tls) == expected


def test_a_bad_mail_url_says_how():
    from netwerk.notify.mail import MailConfigError, parse_mail_url

    with pytest.raises(MailConfigError, match="smtp://"):
        parse_mail_url("http://mail.example")


def test_the_inbox_shows_payloads_as_data(app, session, users, auth, client):
    """Inbox lines carry names of types, services and organisations: every XSS payload is
    shown as text (the XSS suite's parser, tests/web/test_xss.py)."""
    from tests.web.test_xss import Scan, _norm
    from tests.xss_payloads import PAYLOADS

    me = users["medewerker"]
    for i, payload in enumerate(PAYLOADS):
        notify(session, [me.id], "place_free", "/plek/1", f"Vrij: {payload}", key=f"xss:{i}")
    session.commit()
    auth.login(me)
    response = client.get("/meldingen")
    assert response.status_code == 200
    scan = Scan()
    scan.feed(response.get_data(as_text=True))
    scan.close()
    assert not scan.problems, scan.problems[:10]
    visible = _norm(" ".join(scan.shown))
    missing = [p for p in PAYLOADS if _norm(f"Vrij: {p}"[:300]) not in visible]
    assert not missing, missing[:5]
