"""Case pages: intake, the suggestion with why, the decision, the plan, and who may see it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from netwerk.models import (
    AuditEntry,
    Case,
    CaseInvolvement,
    InvolvementRole,
    PlanAction,
    Professional,
    Role,
    User,
)
from tests.conftest import PASSWORD


def consent(**overrides):
    """A basis for sharing the case with whoever a form brings in (finding 20)."""
    from datetime import date

    return {"basis": "toestemming", "consent_given_on": date.today().isoformat(),
            "consent_scope": "delen met de frontsoldaat en de broekzak", **overrides}


def _pid(session, key):
    return session.scalar(select(Professional.id).where(Professional.external_id == key))


def _case(session, reference):
    return session.scalar(select(Case).where(Case.reference == reference))


def _login_as(auth, make, session, professional_key, role=Role.COORDINATOR):
    user = session.scalar(select(User).join(Professional).where(Professional.external_id == professional_key))
    if user is None:
        prof = session.scalar(select(Professional).where(Professional.external_id == professional_key))
        user = make.user(role, professional=prof)
        session.commit()
    auth.login(user)
    return user


@pytest.fixture
def coordinator(seeded, make, session, auth):
    """Esther Kuipers, wijkconsulent, coordinator of NWG-2026-0001, signed in."""
    return _login_as(auth, make, session, "esther-kuipers")


def _intake_data(session, **overrides):
    from netwerk.models import Area

    vreeswijk = session.scalar(select(Area.id).where(Area.external_id == "vreeswijk"))
    data = {
        "area_id": str(vreeswijk), "urgency": "spoed",
        "needs_primary": ["thuisbegeleiding", "wonen"],
        "needs_secondary": ["financien", "beschermd_wonen"],
        "constraints": ["geen_vast_adres", "indicatie_wmo"],
        "client_age": "66", "language": "",
        "involved": [str(_pid(session, "paul-verhoef"))],
        "preferred": "0",
        "situation": "Man zonder vaste woonplek, dagelijkse begeleiding nodig.",
        **consent(consent_scope="delen met de huisarts voor wonen en begeleiding"),
    }
    data.update(overrides)
    return data


def test_intake_creates_a_pseudonymous_case_with_the_next_reference(coordinator, client, session):
    response = client.post("/casussen/nieuw", data=_intake_data(session))
    assert response.status_code == 302, response.text
    case = _case(session, "NWG-2026-0004")
    assert case is not None
    assert response.headers["Location"].endswith(f"/casussen/{case.id}")
    assert case.coordinator_id == _pid(session, "esther-kuipers")
    assert case.suggested_lead_id is not None
    assert sorted(case.constraints) == ["geen_vast_adres", "indicatie_wmo"]
    assert {n.domain.slug: n.weight.value for n in case.needs} == {
        "thuisbegeleiding": "primair", "wonen": "primair", "financien": "secundair",
        "beschermd_wonen": "secundair"}
    page = client.get(f"/casussen/{case.id}").text
    assert "Waarom" in page and "Broekzak" in page
    # The rule that refused the man of seed 001 is named.
    assert "Maatschappelijk werk Nieuwegein neemt alleen inwoners met een vaste woon" in page
    assert re.search(r"Zonder afstemming \d+ organisaties achter de voordeur, nu 1 \+ \d+", page)


@pytest.mark.parametrize("text, what", [
    ("Bel hem op 06-12345678", "een telefoonnummer"),
    ("BSN 111222333 bekend", "een BSN"),
    ("Woont op 3431 AB 12", "een adres"),
    ("geboren 12-03-1960", "een (geboorte)datum"),
    ("mail naar jan@voorbeeld.nl", "een e-mailadres"),
])
def test_intake_refuses_client_identifiers_and_keeps_what_was_typed(coordinator, client, session,
                                                                     text, what):
    before = session.scalar(select(func.count()).select_from(Case))
    response = client.post("/casussen/nieuw", data=_intake_data(session, situation=text))
    assert response.status_code == 400
    assert what in response.text
    assert text.split()[0] in response.text  # the coordinator's text is still in the field
    assert 'value="thuisbegeleiding" id="np-thuisbegeleiding"' in response.text
    assert session.scalar(select(func.count()).select_from(Case)) == before


def test_intake_needs_at_least_one_need_and_says_so(coordinator, client, session):
    response = client.post("/casussen/nieuw", data=_intake_data(
        session, needs_primary=[], needs_secondary=[]))
    assert response.status_code == 400
    assert "Kies minstens één hulpvraag" in response.text


def test_a_medewerker_cannot_open_the_intake(seeded, client, users, auth):
    auth.login(users["medewerker"])
    assert client.get("/casussen/nieuw").status_code == 403


def test_confirming_the_suggestion_records_the_decision_and_roles(coordinator, client, session):
    case = _case(session, "NWG-2026-0001")
    suggested = case.suggested_lead_id
    page = client.get(f"/casussen/{case.id}").text
    m = re.search(r'name="lead_id"[^>]*value="(\d+)"[^>]*checked|checked[^>]*name="lead_id"[^>]*value="(\d+)"', page)
    lead = int(next(g for g in m.groups() if g))
    response = client.post(f"/casussen/{case.id}/besluit", data={"lead_id": str(lead), "reason": "", **consent()})
    assert response.status_code == 302, response.text
    session.expire_all()
    case = _case(session, "NWG-2026-0001")
    assert case.lead_id == lead and case.lead_decided_at is not None
    assert suggested is None or case.suggested_lead_id == lead
    roles = {i.professional_id: i.role for i in case.involvements}
    assert roles[lead] == InvolvementRole.FRONTSOLDAAT
    assert InvolvementRole.BROEKZAK in roles.values()


def test_choosing_another_lead_needs_a_reason(coordinator, client, session):
    case = _case(session, "NWG-2026-0001")
    other = _pid(session, "esther-kuipers")
    assert case.suggested_lead_id != other
    response = client.post(f"/casussen/{case.id}/besluit", data={"lead_id": str(other), "reason": ""})
    assert response.status_code == 400
    assert "geef een reden" in response.text
    response = client.post(f"/casussen/{case.id}/besluit",
                           data={"lead_id": str(other), **consent(),
                                 "reason": "De huisarts heeft geen tijd voor dagelijkse begeleiding."})
    assert response.status_code == 302
    session.expire_all()
    case = _case(session, "NWG-2026-0001")
    assert case.lead_id == other and "huisarts" in case.lead_reason
    assert case.suggested_lead_id == _pid(session, "paul-verhoef")


def test_plan_actions_and_mijn_casussen_for_the_lead(coordinator, client, session, auth, make):
    case = _case(session, "NWG-2026-0001")
    lead = _pid(session, "paul-verhoef")
    client.post(f"/casussen/{case.id}/besluit", data={"lead_id": str(lead), "reason": "", **consent()})
    response = client.post(f"/casussen/{case.id}/acties", data={
        "professional_id": str(lead), "what": "Dagelijks samen eten regelen", "due": "2026-12-01"})
    assert response.status_code == 302
    action = session.scalar(select(PlanAction).where(
        PlanAction.case_id == case.id, PlanAction.what == "Dagelijks samen eten regelen"))
    assert action is not None and action.professional_id == lead
    bad = client.post(f"/casussen/{case.id}/acties", data={"what": "bel 0612345678", "professional_id": "0"})
    assert bad.status_code == 400 and "telefoonnummer" in bad.text
    # The lead sees the case on "mijn casussen", with the others one tap away.
    auth.logout()
    _login_as(auth, make, session, "paul-verhoef", role=Role.MEDEWERKER)
    page = client.get("/casussen").text
    assert "NWG-2026-0001" in page and "NWG-2026-0002" not in page
    assert 'href="tel:+31970' in page
    detail = client.get(f"/casussen/{case.id}")
    assert detail.status_code == 200 and "Dagelijks samen eten regelen" in detail.text
    # An involved professional may tick an action off, not decide.
    client.post(f"/casussen/{case.id}/acties/{action.id}/klaar", data={"done": "1"})
    session.expire_all()
    assert session.get(PlanAction, action.id).done is True
    assert client.post(f"/casussen/{case.id}/besluit", data={"lead_id": str(lead)}).status_code == 403


def test_who_may_see_a_case(seeded, client, session, auth, make, users):
    case = _case(session, "NWG-2026-0001")
    # A colleague of the same organisation as the coordinator: not involved, no access.
    colleague = _login_as(auth, make, session, "tim-de-wit", role=Role.COORDINATOR)
    assert client.get(f"/casussen/{case.id}").status_code == 404  # not hers: the same answer as a missing id
    assert "NWG-2026-0001" not in client.get("/casussen").text
    auth.logout()
    for role in ("medewerker", "coordinator", "facilitator"):
        auth.login(users[role])
        assert client.get(f"/casussen/{case.id}").status_code == 404, role
        auth.logout()
    auth.login(users["beheerder"])
    assert client.get(f"/casussen/{case.id}").status_code == 200
    auth.logout()
    _login_as(auth, make, session, "trudy-van-beek", role=Role.MEDEWERKER)  # involved
    assert client.get(f"/casussen/{case.id}").status_code == 200
    assert colleague.role == Role.COORDINATOR


def test_every_view_of_a_case_is_audited(coordinator, client, session):
    case = _case(session, "NWG-2026-0001")
    client.get(f"/casussen/{case.id}")
    client.get(f"/casussen/{case.id}")
    views = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "view", AuditEntry.object_type == "case",
        AuditEntry.object_id == case.id, AuditEntry.user_id == coordinator.id))
    assert views == 2


def test_purge_deletes_closed_cases_after_retention_and_keeps_only_a_count(
        coordinator, client, session, runner):
    from datetime import timedelta

    from netwerk.db import utcnow

    case = _case(session, "NWG-2026-0002")
    assert client.post(f"/casussen/{case.id}/sluiten").status_code == 404  # not her case: answered as if it did not exist
    own = _case(session, "NWG-2026-0001")
    assert client.post(f"/casussen/{own.id}/sluiten").status_code == 302
    session.expire_all()
    own = _case(session, "NWG-2026-0001")
    assert own.closed_at is not None
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "0 " in result.output
    assert _case(session, "NWG-2026-0001") is not None
    own.closed_at = utcnow() - timedelta(days=91)
    session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "1 gesloten casus" in result.output
    session.expire_all()
    assert _case(session, "NWG-2026-0001") is None
    assert session.scalar(select(func.count()).select_from(CaseInvolvement)
                          .where(CaseInvolvement.case_id == own.id)) == 0
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "purge")
                           .order_by(AuditEntry.id.desc()))
    assert entry.detail["removed"] == 1
    assert list(entry.detail["per_wijk_month"]) == [f"Vreeswijk {utcnow() - timedelta(days=91):%Y-%m}"]
    assert "NWG" not in str(entry.detail)
    left = session.scalars(select(AuditEntry).where(AuditEntry.object_type == "case",
                                                    AuditEntry.object_id == own.id)).all()
    assert left == []
    assert PASSWORD


def test_only_the_cases_coordinator_or_a_beheerder_decides(seeded, client, session, auth, make, users):
    case = _case(session, "NWG-2026-0002")
    lead = case.suggested_lead_id or _pid(session, "fleur-jacobs")
    _login_as(auth, make, session, "esther-kuipers")  # a coordinator, but not of this case
    assert client.post(f"/casussen/{case.id}/besluit", data={"lead_id": str(lead)}).status_code == 404
    auth.logout()
    auth.login(users["beheerder"])
    response = client.post(f"/casussen/{case.id}/besluit", data={"lead_id": str(lead), "reason": "", **consent()})
    assert response.status_code == 302
    session.expire_all()
    assert _case(session, "NWG-2026-0002").lead_id == lead


def test_the_case_page_and_a_decision_run_the_engine_once(coordinator, client, session,
                                                          monkeypatch):
    from netwerk.matching import queries

    calls = []
    real = queries.match

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "match", counting)
    case = _case(session, "NWG-2026-0001")
    page = client.get(f"/casussen/{case.id}")
    assert page.status_code == 200
    assert len(calls) == 1
    m = re.search(r'name="lead_id"[^>]*value="(\d+)"[^>]*checked|checked[^>]*name="lead_id"[^>]*value="(\d+)"', page.text)
    lead = int(next(g for g in m.groups() if g))
    other = next(int(v) for v in re.findall(r'name="lead_id"[^>]*value="(\d+)"', page.text)
                 if int(v) != lead)
    calls.clear()
    # refused (another lead without a reason): the page comes back, matched once
    response = client.post(f"/casussen/{case.id}/besluit", data={"lead_id": str(other),
                                                                 "reason": ""})
    # the answer is cached per case and data version: the refused decision matched at most
    # once (here not at all: nothing changed since the page was shown)
    assert response.status_code == 400 and len(calls) == 0
    assert client.get(f"/casussen/{case.id}").status_code == 200 and len(calls) == 0
    # with the cache emptied, each request matches exactly once
    queries.analysis_cache(session).invalidate()
    response = client.post(f"/casussen/{case.id}/besluit",
                           data={"lead_id": str(other), "reason": ""})
    assert response.status_code == 400 and len(calls) == 1
    calls.clear()
    queries.analysis_cache(session).invalidate()
    response = client.post(f"/casussen/{case.id}/besluit",
                           data={"lead_id": str(lead), "reason": "", **consent()})
    assert response.status_code == 302 and len(calls) == 1
    # a change matching depends on (the lead's availability) is seen at the next view
    calls.clear()
    person = session.get(Professional, lead)
    person.available = not person.available
    session.commit()
    client.get(f"/casussen/{case.id}")
    assert len(calls) == 1


def test_intake_with_an_opposing_party_and_any_language_stores_the_shown_suggestion(
        coordinator, client, session, app):
    import re

    from netwerk.models import Organisation

    corporation = session.scalar(select(Organisation).where(
        Organisation.external_id == "jutphaas-wonen"))
    # A deployment's own weights: intake and page use the same (one source: the config).
    app.config["MATCHING_WEIGHTS"] = dict(app.config["MATCHING_WEIGHTS"], proximity=4.0)
    data = _intake_data(session, language="ti", opposing=[str(corporation.id)])
    response = client.post("/casussen/nieuw", data=data)
    assert response.status_code == 302, response.text
    case = _case(session, "NWG-2026-0004")
    assert case.language == "ti" and [o.id for o in case.opposing] == [corporation.id]
    page = client.get(f"/casussen/{case.id}").text
    shown = re.search(r'id="frontsoldaat"[^>]*data-professional-id="(\d+)"', page)
    assert shown and int(shown.group(1)) == case.suggested_lead_id
    assert "Tigrinya" in page
    # A language code outside ISO 639-1: a Dutch error, nothing written.
    bad = client.post("/casussen/nieuw", data=_intake_data(session, language="xx"))
    assert bad.status_code == 400 and _case(session, "NWG-2026-0005") is None


def test_confirming_fills_the_plan_with_the_edited_actions(coordinator, client, session):
    import re

    case = _case(session, "NWG-2026-0001")
    page = client.get(f"/casussen/{case.id}").text
    lead = int(re.search(r'id="frontsoldaat"[^>]*data-professional-id="(\d+)"', page).group(1))
    fields = dict(re.findall(r'name="(plan-[^"]+)" maxlength="500" value="([^"]*)"', page))
    pocket = [k for k in fields if k.startswith("plan-pocket-")]
    assert "plan-lead" in fields and pocket
    edited = {**fields, "plan-lead": "Vandaag op huisbezoek", pocket[0]: ""}
    response = client.post(f"/casussen/{case.id}/besluit",
                           data={"lead_id": str(lead), "reason": "", **edited, **consent()},
                           follow_redirects=True)
    assert response.status_code == 200
    session.expire_all()
    actions = {a.what: a.professional_id for a in _case(session, "NWG-2026-0001").actions}
    assert actions["Vandaag op huisbezoek"] == lead
    assert len(actions) == len(fields) - 1
    assert f"{len(actions)} acties in het plan gezet" in response.text


def test_the_lead_is_called_unless_it_is_you(coordinator, client, session):
    """A coordinator who is herself the most suitable lead (seed 000's case) is told so; she
    is not offered a button to call her own number. Every other lead has the call button."""
    esther = _pid(session, "esther-kuipers")
    seen = set()
    for case in session.scalars(select(Case).order_by(Case.id)):
        page = client.get(f"/casussen/{case.id}")
        if page.status_code != 200:
            continue
        lead = re.search(r'id="frontsoldaat" class="lead" data-professional-id="(\d+)"', page.text)
        if lead is None:
            continue
        block = page.text.split('id="frontsoldaat"', 1)[1].split("</div>", 1)[0]
        mobile = session.get(Professional, int(lead.group(1))).mobile
        if int(lead.group(1)) == esther:
            assert "Dat ben jij" in block and "call-lead" not in block
            seen.add("you")
        elif mobile:
            assert "call-lead" in block and "Dat ben jij" not in block
            seen.add("other")
    assert seen == {"you", "other"}, seen


def test_the_case_list_says_whose_cases_it_shows(seeded, client, auth, users, coordinator):
    mine = client.get("/casussen").text
    assert "<h1>Mijn casussen</h1>" in mine and "waarbij je coördinator of betrokken bent" in mine
    auth.logout()
    auth.login(users["beheerder"])
    every = client.get("/casussen").text
    assert "<h1>Alle casussen</h1>" in every and "elke casus" in every
    assert "waarbij je coördinator of betrokken bent" not in every
    # Each person once per case, the coordinator's own role beside "coördinator".
    for item in every.split('<li class="case-item">')[1:]:
        names = re.findall(r"<li><span>([^<]+) <span", item)
        assert len(names) == len(set(names)), names
