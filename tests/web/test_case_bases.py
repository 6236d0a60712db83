"""The basis for sharing a case (docs/security.md, finding 20): nobody is brought into a case
without the client's consent (given when, for what) or a named legal ground; the case page shows
it per person; withdrawing a consent removes their access at once."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from netwerk.models import (
    AuditEntry,
    BasisKind,
    Case,
    CaseBasis,
    CaseInvolvement,
    LegalGround,
    Professional,
    Role,
    User,
)
from tests.web.access import untokened
from tests.web.test_matching_cases import _intake_data, _login_as, _pid, consent


def _case(session, reference):
    return session.scalar(select(Case).where(Case.reference == reference))


def _suggestion(client, case):
    page = client.get(f"/casussen/{case.id}").text
    lead = int(re.search(r'id="frontsoldaat"[^>]*data-professional-id="(\d+)"', page).group(1))
    return page, lead



def _sign_in_as(auth, make, session, key):
    auth.logout()
    return _login_as(auth, make, session, key, role=Role.MEDEWERKER)


def test_intake_without_a_basis_for_the_involved_is_refused_and_keeps_the_input(
        seeded, client, session, auth, make):
    _login_as(auth, make, session, "esther-kuipers")
    cases_before = session.scalar(select(func.count()).select_from(Case))
    data = _intake_data(session, basis="", situation="Zonder grondslag ingevuld.")
    response = client.post("/casussen/nieuw", data=data)
    assert response.status_code == 400
    assert "Grondslag: leg vast op welke grond de casus met Paul Verhoef gedeeld wordt" \
        in response.text
    assert "Zonder grondslag ingevuld." in response.text  # nothing lost
    assert session.scalar(select(func.count()).select_from(Case)) == cases_before
    # Each half of a consent is needed, and its text is case text (no identifiers).
    for fields, message in (
            ({"consent_given_on": ""}, "wanneer gaf de cliënt toestemming"),
            ({"consent_given_on": "31-02-2026"}, "geen geldige datum"),
            ({"consent_given_on": (date.today() + timedelta(days=3)).isoformat()},
             "in de toekomst"),
            ({"consent_scope": ""}, "waarvoor gaf de cliënt toestemming"),
            ({"consent_scope": "bel moeder op 0612345678"}, "telefoonnummer")):
        refused = client.post("/casussen/nieuw", data={**data, **consent(**fields)})
        assert refused.status_code == 400 and message in refused.text, message
    refused = client.post("/casussen/nieuw",
                          data={**data, "basis": "wettelijke_grond", "legal_ground": ""})
    assert refused.status_code == 400 and "kies de wettelijke grond" in refused.text
    assert session.scalar(select(func.count()).select_from(Case)) == cases_before
    # With the client's consent the case is made and the involved rest on it.
    response = client.post("/casussen/nieuw", data={**data, **consent(
        consent_scope="delen met de huisarts voor wonen")})
    assert response.status_code == 302, response.text
    case = session.scalar(select(Case).order_by(Case.id.desc()))
    (basis,) = case.bases
    assert basis.kind == BasisKind.TOESTEMMING and basis.consent_given_on == date.today()
    assert basis.consent_scope == "delen met de huisarts voor wonen"
    assert [(i.professional_id, i.basis_id) for i in case.involvements] == [
        (_pid(session, "paul-verhoef"), basis.id)]
    page = client.get(f"/casussen/{case.id}").text
    entry = re.search(rf'<li data-professional-id="{_pid(session, "paul-verhoef")}">.*?</li>',
                      page, re.S).group(0)
    assert 'data-basis-kind="toestemming"' in entry
    assert f"gegeven op {date.today():%d-%m-%Y}, voor: delen met de huisarts voor wonen" in entry


def test_an_intake_without_anyone_involved_needs_no_basis(seeded, client, session, auth, make):
    _login_as(auth, make, session, "esther-kuipers")
    response = client.post("/casussen/nieuw", data=_intake_data(session, involved=[], basis=""))
    assert response.status_code == 302, response.text


def test_confirming_brings_the_back_pocket_in_only_on_a_named_basis(
        seeded, client, session, auth, make):
    _login_as(auth, make, session, "esther-kuipers")
    case = _case(session, "NWG-2026-0001")
    involved_before = {i.professional_id for i in case.involvements}
    page, lead = _suggestion(client, case)
    gerda = _pid(session, "gerda-veenstra")
    assert 'data-basis-form' in page and "Gerda Veenstra" in page
    assert 'data-hint="verwijsindex"' in page  # MULTIsignaal: who else is involved?
    response = client.post(f"/casussen/{case.id}/besluit", data={"lead_id": str(lead)})
    assert response.status_code == 400
    assert "de casus met Gerda Veenstra gedeeld wordt" in response.text
    session.expire_all()
    case = _case(session, "NWG-2026-0001")
    assert case.lead_id is None and {i.professional_id for i in case.involvements} \
        == involved_before
    # A basis of another case cannot be borrowed.
    other = _case(session, "NWG-2026-0002").bases[0]
    response = client.post(f"/casussen/{case.id}/besluit",
                           data={"lead_id": str(lead), "basis": str(other.id)})
    assert response.status_code == 400 and "kies een grondslag van deze casus" in response.text
    # The consent of the intake, chosen again for the newcomer, is enough.
    existing = case.bases[0]
    response = client.post(f"/casussen/{case.id}/besluit",
                           data={"lead_id": str(lead), "basis": str(existing.id)})
    assert response.status_code == 302, response.text
    session.expire_all()
    case = _case(session, "NWG-2026-0001")
    rests = {i.professional_id: i.basis_id for i in case.involvements}
    assert rests[gerda] == existing.id and case.lead_id == lead


def test_withdrawing_consent_removes_access_at_once(seeded, client, session, auth, make):
    coordinator = _login_as(auth, make, session, "esther-kuipers")
    case = _case(session, "NWG-2026-0001")
    _page, lead = _suggestion(client, case)
    response = client.post(f"/casussen/{case.id}/besluit", data={
        "lead_id": str(lead), **consent(consent_scope="delen met de CIZ voor beschermd wonen")})
    assert response.status_code == 302, response.text
    session.expire_all()
    gerda = _pid(session, "gerda-veenstra")
    basis = session.scalar(select(CaseBasis).where(
        CaseBasis.consent_scope == "delen met de CIZ voor beschermd wonen"))
    # Gerda sees the case, with the basis she was brought in on.
    _sign_in_as(auth, make, session, "gerda-veenstra")
    seen = client.get(f"/casussen/{case.id}")
    assert seen.status_code == 200 and "delen met de CIZ voor beschermd wonen" in seen.text
    assert "NWG-2026-0001" in client.get("/casussen").text
    assert 'data-hint="verwijsindex"' not in seen.text  # the hint is the coordinator's
    # She cannot withdraw it herself (she does not manage the case).
    assert client.post(f"/casussen/{case.id}/grondslagen/{basis.id}/intrekken").status_code \
        == 403
    # The client withdraws the consent; the coordinator records it.
    auth.logout()
    auth.login(coordinator)
    page = client.get(f"/casussen/{case.id}").text
    assert f'action="/casussen/{case.id}/grondslagen/{basis.id}/intrekken"' in page
    response = client.post(f"/casussen/{case.id}/grondslagen/{basis.id}/intrekken",
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Ingetrokken: 1 persoon ziet de casus niet meer." in response.text
    again = client.post(f"/casussen/{case.id}/grondslagen/{basis.id}/intrekken",
                        follow_redirects=True)
    assert "al ingetrokken" in again.text
    session.expire_all()
    assert session.get(CaseBasis, basis.id).withdrawn_at is not None
    assert session.scalar(select(CaseInvolvement).where(
        CaseInvolvement.case_id == case.id, CaseInvolvement.professional_id == gerda)) is None
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "withdraw_basis"))
    assert entry.object_id == case.id and entry.detail["professional_ids"] == [gerda]
    # As Gerda: answered exactly like a case that does not exist.
    _sign_in_as(auth, make, session, "gerda-veenstra")
    assert "NWG-2026-0001" not in client.get("/casussen").text
    gone = client.get(f"/casussen/{case.id}")
    missing = client.get("/casussen/999999")
    assert gone.status_code == missing.status_code == 404
    # the same page but for the per-request tokens (the sign-out form's CSRF token is signed
    # with the second it was made in; the CSP nonce)
    assert untokened(gone.text) == untokened(missing.text)
    assert client.post(f"/casussen/{case.id}/acties/1/klaar", data={"done": "1"}).status_code \
        == 404


def test_withdrawing_the_leads_consent_reopens_the_decision(seeded, client, session, auth,
                                                            make):
    _login_as(auth, make, session, "esther-kuipers")
    case = _case(session, "NWG-2026-0001")
    esther, paul = _pid(session, "esther-kuipers"), _pid(session, "paul-verhoef")
    # Another lead than the involved GP: a newcomer on a legal ground of their own.
    page = client.get(f"/casussen/{case.id}").text
    choices = [int(v) for v in re.findall(r'name="lead_id"[^>]*value="(\d+)"', page)]
    outsider = next(pid for pid in choices if pid not in {esther, paul}
                    and pid not in {i.professional_id for i in case.involvements})
    response = client.post(f"/casussen/{case.id}/besluit", data={
        "lead_id": str(outsider), "reason": "Kent de buurt goed.",
        "basis": "wettelijke_grond", "legal_ground": "wmo"})
    assert response.status_code == 302, response.text
    session.expire_all()
    case = _case(session, "NWG-2026-0001")
    assert case.lead_id == outsider
    basis = next(b for b in case.bases if b.kind == BasisKind.WETTELIJKE_GROND)
    assert basis.legal_ground == LegalGround.WMO
    page = client.get(f"/casussen/{case.id}").text
    assert "wettelijke grond: Wmo 2015, art. 5.1.1" in page
    client.post(f"/casussen/{case.id}/grondslagen/{basis.id}/intrekken")
    session.expire_all()
    case = _case(session, "NWG-2026-0001")
    assert case.lead_id is None and case.lead_decided_at is None
    assert outsider not in {i.professional_id for i in case.involvements}


def test_a_withdrawn_consent_cannot_be_chosen_again(seeded, client, session, auth, make):
    _login_as(auth, make, session, "esther-kuipers")
    case = _case(session, "NWG-2026-0001")
    existing = case.bases[0]
    client.post(f"/casussen/{case.id}/grondslagen/{existing.id}/intrekken")
    _page, lead = _suggestion(client, case)
    response = client.post(f"/casussen/{case.id}/besluit",
                           data={"lead_id": str(lead), "basis": str(existing.id)})
    assert response.status_code == 400 and "ingetrokken" in response.text


def test_outsiders_cannot_withdraw_or_even_see_a_basis(seeded, client, session, auth, make,
                                                       users):
    case = _case(session, "NWG-2026-0001")
    basis = case.bases[0]
    url = f"/casussen/{case.id}/grondslagen/{basis.id}/intrekken"
    _login_as(auth, make, session, "jolanda-verbruggen")  # a coordinator, not of this case
    assert client.post(url).status_code == 404
    auth.logout()
    auth.login(users["medewerker"])
    assert client.post(url).status_code == 404
    # A basis id of another case under this case's URL: refused, nothing withdrawn.
    auth.logout()
    _login_as(auth, make, session, "esther-kuipers")
    other = _case(session, "NWG-2026-0002").bases[0]
    client.post(f"/casussen/{case.id}/grondslagen/{other.id}/intrekken")
    session.expire_all()
    assert session.get(CaseBasis, basis.id).withdrawn_at is None
    assert session.get(CaseBasis, other.id).withdrawn_at is None
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "withdraw_basis")) == 0


def test_admitting_an_opposing_party_needs_its_own_basis(seeded, client, session, auth, make):
    case = _case(session, "NWG-2026-0003")
    fatma = session.scalar(select(Professional).where(Professional.external_id == "fatma-yildiz"))
    coordinator = session.scalar(select(User).where(User.professional_id == case.coordinator_id))
    if coordinator is None:
        coordinator = make.user(role=Role.COORDINATOR, professional=case.coordinator)
        session.commit()
    auth.login(coordinator)
    page = client.get(f"/casussen/{case.id}").text
    assert f'id="toegang-{fatma.id}-grondslag"' in page
    refused = client.post(f"/casussen/{case.id}/toegang/{fatma.id}",
                          data={"basis": "toestemming", "consent_scope": "delen met de "
                                "corporatie voor een betalingsregeling"})
    assert refused.status_code == 400 and "wanneer gaf de cliënt toestemming" in refused.text
    # what was typed is still there
    assert "delen met de corporatie voor een betalingsregeling" in refused.text
    session.expire_all()
    involvement = session.get(CaseInvolvement, (case.id, fatma.id))
    assert involvement.opposing_admitted is False
    response = client.post(f"/casussen/{case.id}/toegang/{fatma.id}", data=consent(
        consent_scope="delen met de corporatie voor een betalingsregeling"))
    assert response.status_code == 302
    session.expire_all()
    involvement = session.get(CaseInvolvement, (case.id, fatma.id))
    assert involvement.opposing_admitted is True
    assert involvement.basis.consent_scope == "delen met de corporatie voor een betalingsregeling"


def _legacy_involvement(session, make):
    """Someone involved in NWG-2026-0001 before a basis was asked for (as migration 0007 left
    them): involved, seeing the case, with no basis."""
    case = _case(session, "NWG-2026-0001")
    person = session.scalar(select(Professional).where(
        Professional.id.not_in([i.professional_id for i in case.involvements]),
        Professional.id != case.coordinator_id, Professional.active.is_(True))
        .order_by(Professional.id))
    case.involvements.append(CaseInvolvement(professional_id=person.id, basis=None))
    session.commit()
    return case, person


def test_a_basis_is_recorded_afterwards_and_its_withdrawal_ends_access(
        seeded, client, session, auth, make):
    case, person = _legacy_involvement(session, make)
    _login_as(auth, make, session, "esther-kuipers")
    page = client.get(f"/casussen/{case.id}").text
    involved = page.split('id="betrokkenen"', 1)[1]
    row = involved.split(f'<li data-professional-id="{person.id}"', 1)[1].split("</li>", 1)[0]
    assert "Geen grondslag vastgelegd." in row and "Grondslag vastleggen" in row
    url = f"/casussen/{case.id}/betrokkenen/{person.id}/grondslag"
    # Incomplete: refused, the typed text kept, nothing recorded.
    refused = client.post(url, data={"basis": "toestemming",
                                     "consent_scope": "delen met de wijkagent voor veiligheid"})
    assert refused.status_code == 400 and "wanneer gaf de cliënt toestemming" in refused.text
    assert "delen met de wijkagent voor veiligheid" in refused.text
    # The top of the page says where to look, and the form is open where it stands.
    assert "Niet vastgelegd: kijk de grondslag onder Betrokken na." in refused.text
    assert '<details class="card" id="casus" open>' in refused.text
    # A consent's text is case text: no identifiers in it.
    leaking = client.post(url, data=consent(consent_scope="bel 06 12345678 voor overleg"))
    assert leaking.status_code == 400
    session.expire_all()
    assert session.get(CaseInvolvement, (case.id, person.id)).basis is None
    done = client.post(url, data=consent(consent_scope="delen met de wijkagent voor veiligheid"))
    assert done.status_code == 302 and done.headers["Location"].endswith("#betrokkenen")
    session.expire_all()
    basis = session.get(CaseInvolvement, (case.id, person.id)).basis
    assert basis.kind == BasisKind.TOESTEMMING
    assert basis.consent_scope == "delen met de wijkagent voor veiligheid"
    audit = session.scalar(select(AuditEntry).where(
        AuditEntry.action == "record_involvement_basis").order_by(AuditEntry.id.desc()))
    assert audit.object_id == case.id and audit.user_id is not None
    # Recorded twice (a stale form): refused, the first stays.
    again = client.post(url, data={"basis": "wettelijke_grond",
                                   "legal_ground": LegalGround.JEUGDWET.value})
    assert again.status_code == 400 and "al een grondslag vastgelegd" in again.text
    session.expire_all()
    assert session.get(CaseInvolvement, (case.id, person.id)).basis.id == basis.id
    # Withdrawing that consent ends the person's access, as for anyone brought in on it.
    client.post(f"/casussen/{case.id}/grondslagen/{basis.id}/intrekken")
    session.expire_all()
    assert session.get(CaseInvolvement, (case.id, person.id)) is None


def test_only_who_manages_the_case_records_a_basis(seeded, client, session, auth, make):
    case, person = _legacy_involvement(session, make)
    url = f"/casussen/{case.id}/betrokkenen/{person.id}/grondslag"
    # The person concerned (involved, sees the case) may not legitimise their own access.
    user = make.user(role=Role.MEDEWERKER, professional=person)
    session.commit()
    auth.login(user)
    assert client.get(f"/casussen/{case.id}").status_code == 200
    assert client.post(url, data=consent()).status_code == 403
    auth.logout()
    # A worker outside the case learns nothing: the same answer as for a missing case.
    _sign_in_as(auth, make, session, "erik-mulder")
    outside = client.post(url, data=consent())
    missing = client.post(f"/casussen/999999/betrokkenen/{person.id}/grondslag", data=consent())
    assert outside.status_code == missing.status_code == 404
    session.expire_all()
    assert session.get(CaseInvolvement, (case.id, person.id)).basis is None
    # Nobody who is not involved, and not the coordinator (who needs none).
    auth.logout()
    _login_as(auth, make, session, "esther-kuipers")
    stranger = session.scalar(select(Professional).where(Professional.id.not_in(
        [i.professional_id for i in case.involvements] + [case.coordinator_id])))
    r = client.post(f"/casussen/{case.id}/betrokkenen/{stranger.id}/grondslag", data=consent())
    assert r.status_code == 400 and "niet bij de casus betrokken" in r.text
    r = client.post(f"/casussen/{case.id}/betrokkenen/{case.coordinator_id}/grondslag",
                    data=consent())
    assert r.status_code == 400 and "coördinator heeft geen grondslag nodig" in r.text
