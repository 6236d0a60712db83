""""Klopt niet" reaches the owners: a report filed on the web tells the person themself and the
organisatiebeheerders (inbox, and e-mail through a real SMTP server), never the reporter or
an outsider; the e-mail carries only that there is a report and the link, never the free
text of "anders" (which may hold case content despite the warning)."""

from __future__ import annotations

from sqlalchemy import select

from netwerk.models import MailMessage, Notification, Role


def _world(make, session):
    org = make.organisation(name="Lister Melding", phone="0302345678")
    paul = make.professional(name="Paul Meldnummer", organisation=org, mobile="0612340001")
    colleague = make.professional(name="Collega Melding", organisation=org)
    paul_user = make.user(Role.MEDEWERKER, professional=paul, email="paul@melding.example")
    admin = make.user(Role.MEDEWERKER, professional=colleague, email="oadmin@melding.example")
    admin.organisation_admin = True
    outsider = make.user(Role.COORDINATOR, professional=make.professional(name="Buiten Melding"),
                         email="buiten@melding.example")
    reporter = make.user(Role.MEDEWERKER, professional=make.professional(name="Melder Twee"),
                         email="melder@melding.example")
    beheerder = make.user(Role.BEHEERDER, email="beheer@melding.example")
    session.commit()
    return {"org": org, "paul": paul, "paul_user": paul_user, "admin": admin,
            "outsider": outsider, "reporter": reporter, "beheerder": beheerder}


def _told(session, kind="report") -> dict[int, list[Notification]]:
    session.expire_all()
    result: dict[int, list[Notification]] = {}
    for n in session.scalars(select(Notification).where(Notification.kind == kind)):
        result.setdefault(n.user_id, []).append(n)
    return result


FREE_TEXT = "Belde over mevrouw De Vries haar huurachterstand"


def test_a_report_on_a_person_reaches_the_person_and_the_organisatiebeheerder(
        client, auth, make, session, smtp):
    w = _world(make, session)
    auth.login(w["reporter"])
    response = client.post(f"/personen/{w['paul'].id}/klopt-niet",
                           data={"reason": "anders", "note": FREE_TEXT})
    assert response.status_code == 303
    told = _told(session)
    assert set(told) == {w["paul_user"].id, w["admin"].id}
    for user in ("reporter", "outsider", "beheerder"):
        assert w[user].id not in told
    # The inbox line names the record and the fixed reason, not the free text.
    [line] = told[w["admin"].id]
    assert "Paul Meldnummer" in line.text and "Anders" in line.text
    assert FREE_TEXT not in line.text and line.link == "/verifieren/meldingen"
    # E-mail: to the two owners only, with the link and without the record or the text.
    received = smtp.wait_for(2)
    assert sorted(r for m in received for r in m.rcpt) == sorted(
        [w["paul_user"].email, w["admin"].email])
    for mail in received:
        text = mail.subject + "\n" + mail.body
        assert "http://netwerk.test/verifieren/meldingen" in mail.body
        assert "Paul" not in text and "huurachterstand" not in text and "Vries" not in text
        assert mail.subject == "netwerk: Iemand meldt dat gegevens niet kloppen"
    assert {m.state for m in session.scalars(select(MailMessage))} == {"verstuurd"}
    # The owner follows the link and finds the report (with the remark) in the queue.
    auth.logout()
    auth.login(w["admin"])
    html = client.get("/verifieren/meldingen").get_data(as_text=True)
    assert "Paul Meldnummer" in html
    # Reporting again (a second tap) tells nobody twice.
    auth.logout()
    auth.login(w["reporter"])
    client.post(f"/personen/{w['paul'].id}/klopt-niet", data={"reason": "anders",
                                                            "note": FREE_TEXT})
    assert sum(len(v) for v in _told(session).values()) == 2


def test_reporting_ones_own_record_does_not_tell_oneself(client, auth, make, session):
    w = _world(make, session)
    auth.login(w["paul_user"])
    client.post(f"/personen/{w['paul'].id}/klopt-niet", data={"reason": "andere_functie"})
    assert set(_told(session)) == {w["admin"].id}


def test_a_report_on_an_organisation_without_owners_reaches_the_beheerders(
        client, auth, make, session, smtp):
    w = _world(make, session)
    lonely = make.organisation(name="Zonder Beheer", phone="0301112233")
    session.commit()
    auth.login(w["reporter"])
    client.post(f"/organisaties/{lonely.id}/klopt-niet",
                data={"reason": "nummer_werkt_niet"})
    told = _told(session)
    assert set(told) == {w["beheerder"].id}
    [line] = told[w["beheerder"].id]
    assert "Zonder Beheer" in line.text and "Nummer werkt niet" in line.text
    [mail] = smtp.wait_for(1)
    assert mail.rcpt == [w["beheerder"].email] and "Zonder Beheer" not in mail.body


def test_the_inbox_choice_keeps_it_out_of_mail(client, auth, make, session, smtp):
    from netwerk.notify import set_preferences

    w = _world(make, session)
    set_preferences(session, w["admin"].id, {"report": "app"})
    session.commit()
    auth.login(w["reporter"])
    client.post(f"/personen/{w['paul'].id}/klopt-niet", data={"reason": "nummer_werkt_niet"})
    assert set(_told(session)) == {w["paul_user"].id, w["admin"].id}
    [mail] = smtp.wait_for(1)
    assert mail.rcpt == [w["paul_user"].email]
