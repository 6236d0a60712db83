"""Accounts without a shell (issue 17): beheer edits through the import's validation with a
change history and undo, organisatiebeheerder scope, invitations, joining by organisation
e-mail, two-step sign-in."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select

from netwerk.accounts import joining
from netwerk.models import (
    AccountInvitation,
    Change,
    EmailDomain,
    JoinRequest,
    Organisation,
    Professional,
    Role,
    User,
)
from tests.conftest import PASSWORD

NEW_PASSWORD = "een lang en nieuw wachtwoord"


def _org_form(**kw):
    return {"name": "Buurtzorg Test", "sector": "zorg", "description": "", "phone": "",
            "crisis_phone": "", "intake_route": "", "website": "", "email": ""} | kw


def test_beheerder_creates_an_organisation_with_history_and_undo(client, auth, users, session):
    auth.login(users["beheerder"])
    r = client.post("/beheer/organisaties/nieuw", data=_org_form(phone="030 123 4567"))
    assert r.status_code == 303
    org = session.scalar(select(Organisation).where(Organisation.name == "Buurtzorg Test"))
    assert org.phone == "+31301234567" and org.external_id
    # A bad phone number is refused with the import's message; nothing changes.
    r = client.post(f"/beheer/organisaties/{org.id}", data=_org_form(phone="12"))
    assert r.status_code == 400
    assert "telefoon" in r.get_data(as_text=True).lower()
    session.expire_all()
    assert session.get(Organisation, org.id).phone == "+31301234567"
    # A good change is recorded per field…
    r = client.post(f"/beheer/organisaties/{org.id}", data=_org_form(name="Buurtzorg Oost",
                                                                      phone="030 123 4567"))
    assert r.status_code == 303
    change = session.scalar(select(Change).where(Change.object_type == "organisations",
                                                 Change.object_id == org.id,
                                                 Change.field == "name")
                            .order_by(Change.id.desc()).limit(1))
    assert (change.old, change.new, change.user_id) == ("Buurtzorg Test", "Buurtzorg Oost",
                                                         users["beheerder"].id)
    # … and undone by a new change.
    r = client.post(f"/beheer/wijzigingen/{change.id}/ongedaan")
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Organisation, org.id).name == "Buurtzorg Test"
    undo = session.scalar(select(Change).where(Change.undoes_id == change.id))
    assert (undo.old, undo.new) == ("Buurtzorg Oost", "Buurtzorg Test")
    page = client.get(f"/beheer/organisaties/{org.id}").get_data(as_text=True)
    assert "Buurtzorg Oost" in page  # the history shows both


def test_person_added_and_deactivated_not_deleted(client, auth, users, session, make):
    org = make.organisation(name="Wijkteam Zuid", external_id="org-zuid")
    wijk = make.area(name="Zuid")
    wijk.external_id = "wijk-zuid"
    session.commit()
    auth.login(users["beheerder"])
    data = {"name": "Anna Test", "organisation_key": "org-zuid", "role": "wijkcoach",
            "mobile": "06 1234 5678", "wijken": wijk.external_id, "available": "ja"}
    r = client.post("/beheer/personen/nieuw", data=data)
    assert r.status_code == 303, r.get_data(as_text=True)
    person = session.scalar(select(Professional).where(Professional.name == "Anna Test"))
    assert person.organisation_id == org.id and [a.id for a in person.areas] == [wijk.id]
    # A landline as mobile is refused (the import's rule).
    r = client.post(f"/beheer/personen/{person.id}", data=data | {"mobile": "030 123 4567"})
    assert r.status_code == 400
    r = client.post(f"/beheer/personen/{person.id}/actief", data={"active": "nee"})
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Professional, person.id).active is False
    assert client.get("/beheer/personen?q=anna").status_code == 200


def test_organisation_admin_manages_only_their_own(client, auth, session, make):
    own = make.organisation(name="Eigen", external_id="org-eigen")
    other = make.organisation(name="Ander", external_id="org-ander")
    me = make.professional(name="Ik", organisation=own)
    stranger = make.professional(name="Vreemde", organisation=other)
    admin = make.user(Role.MEDEWERKER, professional=me, email="orgadmin@x.example")
    admin.organisation_admin = True
    plain = make.user(Role.MEDEWERKER, professional=stranger, email="plain@x.example")
    session.commit()
    auth.login(plain)
    assert client.get("/beheer/").status_code == 403
    auth.logout()
    auth.login(admin)
    assert client.get("/beheer/").status_code == 200
    assert client.get(f"/beheer/organisaties/{own.id}").status_code == 200
    assert client.get(f"/beheer/organisaties/{other.id}").status_code == 403
    assert client.get(f"/beheer/personen/{stranger.id}").status_code == 403
    assert client.get("/beheer/gebieden").status_code == 403
    listing = client.get("/beheer/personen").get_data(as_text=True)
    assert "Ik" in listing and "Vreemde" not in listing
    # Moving one's own person into another organisation is refused.
    r = client.post(f"/beheer/personen/{me.id}", data={"name": "Ik",
                                                       "organisation_key": "org-ander"})
    assert r.status_code == 403
    # An organisatiebeheerder cannot hand out the beheerder role.
    r = client.post("/beheer/accounts/uitnodigen", data={
        "email": "nieuw@eigen.example", "role": "beheerder", "professional_id": str(me.id)})
    assert r.status_code == 403


def _invite(client, email="nieuw@wijkteam.example", role="coordinator"):
    r = client.post("/beheer/accounts/uitnodigen", data={"email": email, "role": role})
    assert r.status_code == 200, r.get_data(as_text=True)
    link = re.search(r'id="invitation-link">([^<]+)<', r.get_data(as_text=True)).group(1)
    return link.replace("http://localhost", "")


def test_invitation_link_shown_used_once_and_revoked_by_resending(client, auth, users, session):
    auth.login(users["beheerder"])
    first = _invite(client)
    second = _invite(client)  # resending revokes the first link
    auth.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    r = client.post(second, data={"password": "kort", "again": "kort"})
    assert r.status_code == 400 and session.scalar(
        select(User).where(User.email == "nieuw@wijkteam.example")) is None
    r = client.post(second, data={"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert r.status_code == 303
    user = session.scalar(select(User).where(User.email == "nieuw@wijkteam.example"))
    assert user.role == Role.COORDINATOR
    assert client.get(second).status_code == 404  # used once
    assert auth.login("nieuw@wijkteam.example", NEW_PASSWORD).status_code == 302


def test_expired_invitation(client, auth, users, session):
    auth.login(users["beheerder"])
    link = _invite(client, "laat@wijkteam.example")
    invitation = session.scalar(select(AccountInvitation).where(
        AccountInvitation.email == "laat@wijkteam.example"))
    invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    session.commit()
    auth.logout()
    assert client.get(link).status_code == 404


def test_nobody_but_beheer_invites(client, auth, users):
    for role in ("medewerker", "coordinator", "facilitator"):
        auth.login(users[role])
        assert client.post("/beheer/accounts/uitnodigen",
                           data={"email": "x@y.example", "role": "beheerder"}).status_code == 403
        auth.logout()


def test_two_step_sign_in(client, auth, users, session):
    user = users["coordinator"]
    auth.login(user)
    page = client.get("/account/tweestaps").get_data(as_text=True)
    uri = re.search(r'id="otpauth-uri">([^<]+)<', page).group(1).replace("&amp;", "&")
    assert uri.startswith("otpauth://totp/")
    secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)
    assert client.post("/account/tweestaps", data={"action": "enrol",
                                                   "code": "000000"}).status_code == 400
    r = client.post("/account/tweestaps", data={"action": "enrol",
                                                "code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li>([0-9a-f]{8}-[0-9a-f]{8})</li>", r.get_data(as_text=True))
    assert len(codes) == 10
    auth.logout()
    # The password alone does not sign in: the page asks for the code.
    r = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 200 and 'name="code"' in r.get_data(as_text=True)
    assert client.get("/casussen").status_code == 302
    assert client.post("/login", data={"code": "123456"}).status_code == 400
    code = pyotp.TOTP(secret).now()
    r = client.post("/login", data={"code": code})
    assert r.status_code == 302 and client.get("/casussen").status_code == 200
    auth.logout()
    # The same code does not work twice (no replay).
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.post("/login", data={"code": code}).status_code == 400
    auth.logout()
    # A recovery code works once.
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.post("/login", data={"code": codes[0]}).status_code == 302
    auth.logout()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.post("/login", data={"code": codes[0]}).status_code == 400
    # A code without a password step first signs nobody in.
    fresh = client.application.test_client()
    assert fresh.post("/login", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert fresh.get("/casussen").status_code == 302


def test_two_step_required_by_role(app, client, auth, users):
    app.config["TOTP_REQUIRED_ROLES"] = ["coordinator"]
    auth.login(users["coordinator"])
    r = client.get("/casussen")
    assert r.status_code == 302 and r.headers["Location"].endswith("/account/tweestaps")
    auth.logout()
    auth.login(users["medewerker"])
    assert client.get("/casussen").status_code == 200


def test_code_step_counts_against_the_sign_in_limit(app, client, users, session):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    user = users["coordinator"]
    user.totp_secret = pyotp.random_base32()
    session.commit()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    answers = [client.post("/login", data={"code": "000000"}).status_code for _i in range(4)]
    assert answers[-1] == 429


def test_code_step_counts_against_the_account_whatever_email_the_form_carries(
        app, client, users, session):
    """A guesser who adds a made-up ``email`` to every code attempt still hits the account's
    limit: the code step counts against the account whose password was given."""
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    user = users["coordinator"]
    user.totp_secret = pyotp.random_base32()
    session.commit()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    answers = [client.post("/login", data={"code": "000000",
                                           "email": f"iemand{i}@elders.example"}).status_code
               for i in range(4)]
    assert answers[:2] == [400, 400] and answers[-1] == 429


def test_wrong_codes_slow_the_account_down(app, client, users, session, monkeypatch):
    """Wrong codes count as failed sign-ins of the account: after LOGIN_SLOWDOWN_AFTER of
    them each further attempt (password or code, from any address) waits longer."""
    from netwerk.auth import throttle

    app.config.update(LOGIN_SLOWDOWN_AFTER=2, LOGIN_SLOWDOWN_MAX=4.0)
    waits: list[float] = []
    monkeypatch.setattr(throttle.time, "sleep", waits.append)
    user = users["coordinator"]
    user.totp_secret = pyotp.random_base32()
    session.commit()
    assert client.post("/login", data={"email": user.email,
                                       "password": PASSWORD}).status_code == 200
    for _i in range(4):
        assert client.post("/login", data={"code": "000000"}).status_code == 400
    assert waits == [0.25, 0.5], waits  # the 3rd and 4th code waited
    # A password attempt for the same account from another address waits too.
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": "fout"},
               environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert waits[-1] == 1.0
    # The right code still signs in: a wait, never a block.
    code = pyotp.TOTP(user.totp_secret).now()
    assert client.post("/login", data={"code": code}).status_code == 302


def test_personal_domains_never_join(session, make):
    org = make.organisation(name="Wijkteam")
    session.commit()
    for domain in ("gmail.com", "hotmail.com", "outlook.com", "live.nl", "ziggo.nl",
                   "kpnmail.nl", "icloud.com", "yahoo.fr", "mail.yahoo.com"):
        assert joining.is_personal(domain), domain
        try:
            joining.add_domain(session, None, org, domain)
        except Exception as exc:  # UserError
            assert "iedereen" in str(exc)
        else:
            raise AssertionError(f"{domain} registered")
    assert not joining.is_personal("wijkteam-nieuwegein.nl")


def test_joining_by_organisation_email(client, auth, users, session, make):
    org = make.organisation(name="Wijkteam Noord", external_id="org-noord")
    me = make.professional(name="Beheer Noord", organisation=org)
    admin = make.user(Role.MEDEWERKER, professional=me, email="beheer@noord.example")
    admin.organisation_admin = True
    session.add(EmailDomain(organisation_id=org.id, domain="noord.example"))
    session.commit()
    r = client.post("/aanmelden", data={"email": "iemand@gmail.com"})
    assert r.status_code == 400 and "persoonlijk" in r.get_data(as_text=True)
    # An unknown domain gets the same answer as a known one (no link).
    r = client.post("/aanmelden", data={"email": "iemand@onbekend.example"})
    assert r.status_code == 200 and "join-link" not in r.get_data(as_text=True)
    r = client.post("/aanmelden", data={"email": "nieuw@noord.example"})
    link = re.search(r'id="join-link">([^<]+)<', r.get_data(as_text=True)).group(1)
    link = link.replace("http://localhost", "")
    bad = {"name": "Nina Nieuw", "role": "wijkcoach", "mobile": "12",
           "password": NEW_PASSWORD, "again": NEW_PASSWORD}
    assert client.post(link, data=bad).status_code == 400
    r = client.post(link, data=bad | {"mobile": "06 2345 6789"})
    assert r.status_code == 200
    join = session.scalar(select(JoinRequest).where(JoinRequest.email == "nieuw@noord.example"))
    assert join.status == "verified"
    assert client.get(link).status_code == 404  # the link is spent
    # Not active before approval.
    assert session.scalar(select(User).where(User.email == "nieuw@noord.example")) is None
    auth.login(admin)
    assert "Nina Nieuw" in client.get("/beheer/aanmeldingen").get_data(as_text=True)
    assert client.post(f"/beheer/aanmeldingen/{join.id}/goedkeuren").status_code == 303
    auth.logout()
    user = session.scalar(select(User).where(User.email == "nieuw@noord.example"))
    assert user.professional.organisation_id == org.id
    assert auth.login("nieuw@noord.example", NEW_PASSWORD).status_code == 302


def test_rules_added_removed_and_undone(client, auth, users, session, make):
    from netwerk.models import EligibilityRule, Service

    org = make.organisation(name="Dienstverlener", external_id="org-dienst")
    service = Service(organisation=org, name="Schuldhulp", external_id="dienst-schuld")
    session.add(service)
    session.commit()
    auth.login(users["beheerder"])
    r = client.post(f"/beheer/diensten/{service.id}/regels", data={"kind": "min_age",
                                                                    "value": "oud"})
    assert r.status_code == 400  # the import's rule check: an age is a number
    assert client.post(f"/beheer/diensten/{service.id}/regels",
                       data={"kind": "min_age", "value": "18"}).status_code == 303
    rule = session.scalar(select(EligibilityRule).where(EligibilityRule.service_id == service.id))
    assert rule.int_value == 18
    added = session.scalar(select(Change).where(Change.field == "regel"))
    assert client.post(f"/beheer/wijzigingen/{added.id}/ongedaan").status_code == 303
    session.expire_all()
    assert session.scalar(select(EligibilityRule).where(
        EligibilityRule.service_id == service.id)) is None
    removed = session.scalar(select(Change).where(Change.undoes_id == added.id))
    assert (removed.old, removed.new) == ("min_age:18", None)
    assert client.post(f"/beheer/wijzigingen/{removed.id}/ongedaan").status_code == 303
    session.expire_all()
    assert session.scalar(select(EligibilityRule.int_value).where(
        EligibilityRule.service_id == service.id)) == 18


def test_organisation_admin_of_another_organisation_on_every_beheer_route(
        app, session, make, seeded):
    """The access matrix's beheer rows for one more principal: the organisatiebeheerder of
    another organisation than the objects under test (Jolanda's, not Lister)."""
    from tests.web.access import build_world
    from tests.web.test_access_matrix import MATRIX, _answer

    world = build_world(session, make)
    jolanda = world.users["buitenstaander"]
    jolanda.organisation_admin = True
    session.commit()
    client = app.test_client()
    assert client.post("/login", data={"email": jolanda.email,
                                       "password": PASSWORD}).status_code == 302
    allowed = {"beheer.index", "beheer.accounts_list", "beheer.invite", "beheer.join_requests",
               "beheer.organisaties_list", "beheer.personen_list", "beheer.diensten_list",
               "beheer.personen_new", "beheer.diensten_new"}
    # Unknown ids answer 404 before any object rule; everything else is someone else's.
    missing = {"beheer.resend", "beheer.approve_join", "beheer.reject_join",
               "beheer.undo_change", "beheer.remove_domain", "beheer.remove_rule"}
    failures = []
    for endpoint, row in MATRIX.items():
        if not endpoint.startswith("beheer."):
            continue
        url = row.url.format(**world.ids)
        if row.get is not None:
            got = _answer(client.get(url))
            want = 200 if endpoint in allowed else 403
            if got != want:
                failures.append(f"GET {url}: {got} (expected {want})")
        if row.post is not None and endpoint not in missing and endpoint not in allowed:
            got = _answer(client.post(url, data={}))
            if got != 403:
                failures.append(f"POST {url}: {got} (expected 403)")
    assert not failures, "\n".join(failures)
    listing = client.get("/beheer/personen").get_data(as_text=True)
    assert "Paul Verhoef" not in listing and "Jolanda Verbruggen" in listing


def test_invitation_mailed_when_mail_is_configured(app, client, auth, users):
    """With NETWERK_MAIL_URL the link goes by mail (a real SMTP server) and is not shown."""
    from aiosmtpd.controller import Controller

    from tests.oidc_provider import free_port

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content.decode()))
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config["MAIL_URL"] = f"smtp://127.0.0.1:{port}"
        auth.login(users["beheerder"])
        r = client.post("/beheer/accounts/uitnodigen", data={"email": "post@wijkteam.example",
                                                            "role": "medewerker"})
        assert r.status_code == 303
        assert "invitation-link" not in client.get("/beheer/accounts").get_data(as_text=True)
    finally:
        controller.stop()
    assert len(received) == 1 and received[0][0] == ["post@wijkteam.example"]
    link = re.search(r"http://localhost(/uitnodiging/\S+)", received[0][1]).group(1)
    auth.logout()
    assert client.get(link).status_code == 200


def test_beheer_choice_lists_show_labels(client, auth, users):
    """The unit of a capacity type is offered as "bed" (not as the pair of forms for one and
    for more), a sector by its Dutch name."""
    import re

    auth.login(users["beheerder"])
    unit_form = client.get("/beheer/capaciteitssoorten/nieuw").get_data(as_text=True)
    units = dict(re.findall(r'<option[^>]*value="(\w+)"[^>]*>([^<]*)</option>', unit_form))
    assert units["bed"] == "bed" and units["uur_per_week"] == "uur per week", units
    org_form = client.get("/beheer/organisaties/nieuw").get_data(as_text=True)
    assert re.search(r'<option[^>]*value="wonen"[^>]*>Wonen \(corporaties\)</option>', org_form)
