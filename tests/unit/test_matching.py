"""Matching on small hand-built networks: pure, no Flask, no database."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from netwerk.matching.back_pocket import Option, back_pocket, exact_cover, greedy_cover, harmonic
from netwerk.matching.engine import match
from netwerk.matching.model import (
    CRISIS_UNAVAILABLE,
    MAY_NOT_COORDINATE,
    OPPOSING_INTEREST,
    TERMS,
    Candidate,
    CaseFacts,
    Need,
    Network,
    Offer,
    Rule,
)

FIXED_ADDRESS = Rule("requires_fixed_address", text="vereist een vast adres")


def person(pid, domains, org=None, proximity="wijk", rules=(), load=5, cap=10,
           available=True, name=None, languages=("nl",), may_coordinate=True):
    domains = frozenset(domains)
    org = org if org is not None else pid * 100
    return Candidate(
        id=pid, name=name or f"P{pid:02d}", organisation_id=org, organisation=f"Org {org}",
        domains=domains, proximity=proximity,
        offers=(Offer(org, f"Dienst {org}", domains, tuple(rules)),),
        caseload=load, caseload_max=cap, available=available, languages=frozenset(languages),
        may_coordinate=may_coordinate,
    )


def case(*domains, involved=(), preferred=None, tags=(), urgency="regulier", age=40,
         language=None, opposing=()):
    return CaseFacts(
        needs=tuple(Need(d, "primair" if i == 0 else "secundair") for i, d in enumerate(domains)),
        urgency=urgency, constraints=frozenset(tags), client_age=age, language=language,
        involved=frozenset(involved), preferred_id=preferred, opposing=frozenset(opposing),
    )


def test_the_person_already_involved_wins_on_continuity_when_otherwise_equal():
    a, b = person(1, ["wonen"]), person(2, ["wonen"])
    answer = match(case("wonen", involved=[2]), Network((a, b)))
    assert answer.lead.candidate.id == 2
    assert answer.why_not[1].behind == (("continuity", 2.0),)


def test_equal_candidates_give_the_same_answer_every_time_whatever_the_order():
    people = [person(i, ["wonen", "schulden"]) for i in range(1, 6)]
    first = match(case("wonen", "schulden"), Network(tuple(people)))
    for order in itertools.permutations(people):
        again = match(case("wonen", "schulden"), Network(tuple(order)))
        assert again.lead.candidate.id == first.lead.candidate.id
        assert [s.candidate.id for s in again.ranking] == [s.candidate.id for s in first.ranking]


def test_a_candidate_excluded_by_a_rule_never_wins_and_the_rule_is_named():
    mw = person(1, ["financien", "opvoeding", "wonen"], rules=[FIXED_ADDRESS], load=0)
    other = person(2, ["wonen"], proximity="regio", load=9)
    answer = match(case("wonen", "financien", tags=["geen_vast_adres"], preferred=1, involved=[1]),
                   Network((mw, other)))
    assert answer.lead.candidate.id == 2
    assert [e.candidate.id for e in answer.excluded] == [1]
    (exclusion,) = answer.excluded[0].exclusions
    assert exclusion.reason == "Org 100: vereist een vast adres"
    assert exclusion.domains == {"financien", "wonen"}


def test_a_rule_on_one_service_does_not_exclude_the_domains_of_another():
    c = Candidate(1, "P", 7, "MW", frozenset({"financien", "eenzaamheid"}), "wijk",
                  (Offer(1, "Algemeen", frozenset({"financien"}), (FIXED_ADDRESS,)),
                   Offer(2, "Maatjes", frozenset({"eenzaamheid"}))), 0, 10)
    answer = match(case("eenzaamheid", "financien", tags=["geen_vast_adres"]), Network((c,)))
    assert answer.lead.eligibility.covers == {"eenzaamheid"}
    assert answer.lead.eligibility.exclusions[0].domains == {"financien"}


def test_age_and_tag_rules_are_data():
    young = person(1, ["jeugd"], rules=[Rule("max_age", int_value=23, text="tot en met 23 jaar")])
    dogs = person(2, ["opvang"], rules=[Rule("excludes_constraint", "huisdieren", text="geen dieren")])
    wlz = person(3, ["wonen"], rules=[Rule("requires_indication", "wlz", text="Wlz")])
    answer = match(case("jeugd", "opvang", "wonen", age=66, tags=["huisdieren"]),
                   Network((young, dogs, wlz)))
    assert answer.lead is None
    assert {e.candidate.id for e in answer.excluded} == {1, 2, 3}
    answer = match(case("wonen", tags=["indicatie_wlz"]), Network((wlz,)))
    assert answer.lead.candidate.id == 3


def test_the_clients_wish_wins_over_a_better_covering_candidate():
    wish = person(1, ["gezondheid"], load=15, cap=20)
    best = person(2, ["wonen", "thuisbegeleiding", "gezondheid"], load=0)
    answer = match(case("wonen", "thuisbegeleiding", "gezondheid", preferred=1, involved=[2]),
                   Network((wish, best), frozenset({(1, 2)})))
    assert answer.lead.candidate.id == 1
    assert answer.lead.term("wish").value == 1.0
    assert answer.why_not[2].behind[0][0] == "wish"


def test_the_clients_wish_does_not_win_without_room():
    full = person(1, ["wonen"], load=10, cap=10)
    other = person(2, ["wonen"])
    answer = match(case("wonen", preferred=1), Network((full, other)))
    assert answer.lead.candidate.id == 2
    assert answer.ranking[1].term("wish").value == 0.0
    assert "room" in dict(answer.why_not[1].behind)


def test_the_clients_wish_does_not_win_when_unavailable_in_a_crisis():
    away = person(1, ["wonen"], available=False)
    here = person(2, ["wonen"], load=9)
    answer = match(case("wonen", preferred=1, urgency="crisis"), Network((away, here)))
    assert answer.lead.candidate.id == 2
    assert answer.lead.term("room").value == 1.0


def test_the_clients_wish_does_not_win_when_excluded():
    excluded = person(1, ["wonen"], rules=[FIXED_ADDRESS])
    other = person(2, ["wonen"])
    answer = match(case("wonen", preferred=1, tags=["geen_vast_adres"]),
                   Network((excluded, other)))
    assert answer.lead.candidate.id == 2


def test_proximity_wijk_before_gemeente_before_regio():
    people = (person(1, ["wonen"], proximity="regio"), person(2, ["wonen"], proximity="gemeente"),
              person(3, ["wonen"], proximity="wijk"))
    answer = match(case("wonen"), Network(people))
    assert [s.candidate.id for s in answer.ranking] == [3, 2, 1]


def test_reach_prefers_the_candidate_tied_to_who_covers_the_rest():
    a, b = person(1, ["wonen"]), person(2, ["wonen"])
    debt = person(3, ["schulden"], proximity="gemeente")
    answer = match(case("wonen", "schulden"), Network((a, b, debt), frozenset({(2, 3)})))
    assert answer.lead.candidate.id == 2
    assert answer.lead.term("reach").value == 1.0
    assert answer.ranking[1].term("reach").value == 0.0


def test_language_is_a_preference_a_speaker_wins_when_otherwise_comparable():
    dutch = person(1, ["wonen", "schulden"], load=5)
    arabic = person(2, ["wonen", "schulden"], languages=("nl", "ar"), load=5, name="Z")
    answer = match(case("wonen", "schulden", language="ar"), Network((dutch, arabic)))
    assert answer.lead.candidate.id == 2
    assert not answer.interpreter
    assert answer.why_not[1].behind == (("language", 1.5),)


def test_language_nobody_speaks_the_best_leads_and_an_interpreter_is_needed():
    dutch = person(1, ["wonen", "schulden"], load=0)
    other = person(2, ["wonen"], load=9)
    answer = match(case("wonen", "schulden", language="ti"), Network((dutch, other)))
    assert answer.lead.candidate.id == 1  # not blocked: the best candidate leads
    assert answer.interpreter and answer.language == "ti"
    assert all(not s.blocks for s in answer.ranking)


def test_a_better_candidate_beats_a_speaker_and_then_the_plan_needs_an_interpreter():
    dutch = person(1, ["wonen", "schulden"], load=0)
    arabic = person(2, ["wonen"], languages=("nl", "ar"), load=9)
    answer = match(case("wonen", "schulden", language="ar"), Network((dutch, arabic)))
    assert answer.lead.candidate.id == 1 and answer.interpreter
    assert [m.candidate.id for m in answer.back_pocket.members] == []


def test_crisis_the_involved_but_unavailable_never_leads_even_as_the_wish():
    known = person(1, ["wonen", "ggz"], available=False, load=0)
    free = person(2, ["wonen", "ggz"], load=3, proximity="gemeente")
    answer = match(case("wonen", "ggz", urgency="crisis", involved=[1], preferred=1),
                   Network((known, free)))
    assert answer.lead.candidate.id == 2
    assert answer.why_not[1].blocks == (CRISIS_UNAVAILABLE,)
    # Outside a crisis the same person is a candidate like any other (with no room).
    calm = match(case("wonen", "ggz", urgency="spoed", involved=[1]), Network((known, free)))
    assert not calm.why_not.get(1, calm.why_not.get(2)).blocks


def test_an_opposing_party_is_excluded_from_lead_and_back_pocket_and_named():
    landlord = person(1, ["wonen", "schulden"], org=7, load=0, languages=("nl", "tr"),
                      may_coordinate=True)
    wijkteam = person(2, ["wonen"], org=8, load=8)
    debts = person(3, ["schulden"], org=7)  # a colleague at the same corporation
    answer = match(case("wonen", "schulden", urgency="crisis", language="tr", opposing=[7],
                        involved=[1]), Network((landlord, wijkteam, debts)))
    assert answer.lead.candidate.id == 2
    excluded = {e.candidate.id: e for e in answer.excluded}
    assert set(excluded) == {1, 3}
    assert {x.rule_kind for e in excluded.values() for x in e.exclusions} == {OPPOSING_INTEREST}
    assert excluded[1].exclusions[0].domains == {"wonen", "schulden"}
    assert all(m.candidate.organisation_id != 7 for m in answer.back_pocket.members)
    assert answer.back_pocket.uncovered == {"schulden"}


def test_who_may_not_coordinate_serves_in_the_back_pocket_only():
    police = person(1, ["veiligheid", "jeugd"], load=0, may_coordinate=False)
    welzijn = person(2, ["jeugd"], load=8)
    answer = match(case("veiligheid", "jeugd"), Network((police, welzijn)))
    assert answer.lead.candidate.id == 2
    assert answer.why_not[1].blocks == (MAY_NOT_COORDINATE,)
    assert [m.candidate.id for m in answer.back_pocket.members] == [1]
    # Nobody who may coordinate: no suggestion rather than a rule broken.
    alone = match(case("veiligheid"), Network((police,)))
    assert alone.suggested is None and alone.lead is None


def _breaks_a_hard_rule(s, facts) -> bool:
    c = s.candidate
    return (c.organisation_id in facts.opposing or not c.may_coordinate
            or (facts.urgency == "crisis" and (not c.available or c.caseload >= c.caseload_max))
            or not s.eligibility.covers)


weights_st = st.fixed_dictionaries({t: st.floats(-50, 50, allow_nan=False) for t in TERMS})
people_st = st.lists(
    st.tuples(st.sets(st.sampled_from(["wonen", "schulden", "ggz", "jeugd"]), min_size=1),
              st.integers(1, 4), st.booleans(), st.booleans(), st.integers(0, 10),
              st.booleans(), st.sampled_from(["wijk", "gemeente", "regio"])),
    min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(weights=weights_st, people=people_st, urgency=st.sampled_from(["crisis", "spoed", "regulier"]),
       opposing=st.sets(st.integers(1, 4), max_size=2), tagged=st.booleans(),
       wish=st.integers(0, 8), language=st.sampled_from([None, "tr", "ti"]))
def test_no_weighting_makes_a_lead_that_breaks_a_hard_rule(weights, people, urgency, opposing,
                                                            tagged, wish, language):
    network = Network(tuple(
        person(i, domains, org=org, available=available, may_coordinate=may, load=load,
               rules=[FIXED_ADDRESS] if fixed else [], proximity=prox,
               languages=("nl", "tr") if i % 2 else ("nl",))
        for i, (domains, org, available, may, load, fixed, prox) in enumerate(people, start=1)))
    facts = case("wonen", "schulden", "ggz", urgency=urgency, opposing=opposing,
                 tags=["geen_vast_adres"] if tagged else [], preferred=wish or None,
                 involved=[1], language=language)
    answer = match(facts, network, weights=weights)
    if answer.lead is not None:
        assert not _breaks_a_hard_rule(answer.lead, facts)
    # And whenever someone breaks no rule, there is a suggestion.
    clean = [s for s in answer.ranking if not _breaks_a_hard_rule(s, facts)]
    assert (answer.lead is None) == (not clean)
    assert all(m.candidate.organisation_id not in opposing for m in answer.back_pocket.members)


def test_every_term_is_between_zero_and_one():
    people = tuple(person(i, ["wonen", "ggz"][: 1 + i % 2], load=i, cap=8) for i in range(1, 6))
    answer = match(case("wonen", "ggz", involved=[2], preferred=3), Network(people, frozenset({(1, 2)})))
    for s in answer.ranking:
        assert all(0.0 <= t.value <= 1.0 for t in s.terms)


def test_back_pocket_prefers_the_leads_direct_ties_then_two_steps_out():
    lead = person(1, ["wonen", "thuisbegeleiding"], load=0, cap=10)
    tied, far, two = (person(2, ["schulden"], proximity="gemeente"),
                      person(3, ["schulden"]), person(4, ["ggz"]))
    bridge = person(5, ["dagbesteding"], proximity="regio")
    answer = match(case("wonen", "thuisbegeleiding", "schulden", "ggz", involved=[1]),
                   Network((lead, tied, far, two, bridge), frozenset({(1, 2), (2, 4)})))
    assert answer.lead.candidate.id == 1
    members = {m.candidate.id: m.distance for m in answer.back_pocket.members}
    assert members == {2: 1, 4: 2}
    assert answer.back_pocket.method == "exact"


def test_missing_partners_name_the_nearest_organisations_and_the_rules_inside():
    mw = person(1, ["wonen", "financien"], rules=[FIXED_ADDRESS])
    helper = person(2, ["wonen"])
    gemeente = person(3, ["financien"], proximity="gemeente")
    regio = person(4, ["financien", "beschermd_wonen"], proximity="regio")
    answer = match(case("wonen", "financien", "beschermd_wonen", "verslaving",
                        tags=["geen_vast_adres"]),
                   Network((mw, helper, gemeente, regio)))
    missing = {m.domain: m for m in answer.missing}
    assert set(missing) == {"financien", "beschermd_wonen", "verslaving"}
    assert missing["financien"].level == "gemeente"
    assert [o.organisation_id for o in missing["financien"].nearest] == [300]
    assert missing["financien"].excluded_inside[0].reason == "Org 100: vereist een vast adres"
    assert missing["beschermd_wonen"].level == "regio"
    assert missing["verslaving"].nearest == () and missing["verslaving"].level is None
    assert "verslaving" in answer.back_pocket.uncovered


def test_organisations_without_coordination_counts_every_eligible_organisation():
    people = tuple(person(i, [d], org=i) for i, d in enumerate(
        ["huiselijk_geweld", "opvoeding", "schulden", "wonen", "ggz", "jeugd", "veiligheid"], 1))
    answer = match(case("huiselijk_geweld", "opvoeding", "schulden", "wonen", "ggz", "jeugd",
                        "veiligheid"), Network(people))
    assert answer.organisations_without_coordination == 7
    assert answer.going_in == 7  # nobody covers two needs here: no saving possible


def test_greedy_is_used_when_the_exact_search_would_be_large_and_says_its_bound():
    needs = frozenset(f"d{i}" for i in range(12))
    options = [Option(person(i, []), frozenset(f"d{j}" for j in range(12) if (i >> (j % 6)) & 1 or j == i % 12), 3)
               for i in range(1, 80)]
    pocket = back_pocket(needs, options)
    assert pocket.method == "greedy"
    assert pocket.bound == harmonic(max(len(o.covers) for o in options))
    assert frozenset().union(*(m.covers for m in pocket.members)) == needs


def _brute_force_size(options, needed):
    for k in range(0, len(options) + 1):
        for combo in itertools.combinations(options, k):
            if needed <= frozenset().union(*(o.covers for o in combo)):
                return k
    return None


DOMAINS = ["a", "b", "c", "d", "e", "f"]


@settings(max_examples=150, deadline=None)
@given(
    sets=st.lists(st.frozensets(st.sampled_from(DOMAINS), min_size=1, max_size=4),
                  min_size=1, max_size=9),
    distances=st.lists(st.integers(1, 3), min_size=9, max_size=9),
    needed=st.frozensets(st.sampled_from(DOMAINS), min_size=1),
)
def test_back_pocket_is_minimal_against_brute_force(sets, distances, needed):
    options = [Option(person(i + 1, []), s, distances[i]) for i, s in enumerate(sets)]
    pocket = back_pocket(needed, options)
    coverable = needed & frozenset().union(*sets)
    assert pocket.uncovered == needed - coverable
    covered = frozenset().union(*(m.covers for m in pocket.members)) if pocket.members else frozenset()
    assert covered == coverable
    useful = [o for o in options if o.covers & coverable]
    assert len(pocket.members) == (_brute_force_size(useful, coverable) or 0)
    # Among the minimal covers it is one with the smallest total distance to the lead.
    if coverable:
        k = len(pocket.members)
        best = min(sum(o.distance for o in combo) for combo in itertools.combinations(useful, k)
                   if coverable <= frozenset().union(*(o.covers for o in combo)))
        assert sum(m.distance for m in pocket.members) == best


@settings(max_examples=60, deadline=None)
@given(sets=st.lists(st.frozensets(st.sampled_from(DOMAINS), min_size=1, max_size=3),
                     min_size=1, max_size=8))
def test_greedy_stays_within_its_bound(sets):
    options = [Option(person(i + 1, []), s, 1) for i, s in enumerate(sets)]
    needed = frozenset().union(*sets)
    exact = exact_cover(options, needed)
    greedy = greedy_cover(options, needed)
    assert len(exact) <= len(greedy) <= len(exact) * harmonic(max(len(s) for s in sets)) + 1e-9


def test_an_age_limit_for_youth_admits_a_household_with_minor_children():
    timon = person(1, ["opvoeding"], rules=[Rule("max_age", int_value=23, text="tot en met 23 jaar")])
    assert match(case("opvoeding", age=41), Network((timon,))).lead is None
    answer = match(case("opvoeding", age=41, tags=["minderjarige_kinderen"]), Network((timon,)))
    assert answer.lead.candidate.id == 1


def test_the_same_rule_on_two_services_is_reported_once():
    c = Candidate(1, "P", 7, "Kwintes", frozenset({"wonen", "beschermd_wonen"}), "wijk",
                  (Offer(1, "Ambulant", frozenset({"wonen"}), (Rule("requires_indication", "wmo", text="WMO"),)),
                   Offer(2, "Beschermd", frozenset({"beschermd_wonen"}), (Rule("requires_indication", "wmo", text="WMO"),))))
    answer = match(case("wonen", "beschermd_wonen"), Network((c,)))
    (exclusion,) = answer.excluded[0].exclusions
    assert exclusion.domains == {"wonen", "beschermd_wonen"} and exclusion.service == "Ambulant, Beschermd"


def test_with_lead_gives_the_answer_match_gives_for_that_lead():
    from netwerk.matching.engine import with_lead

    people = (person(1, ["wonen", "thuisbegeleiding"], load=0), person(2, ["schulden"]),
              person(3, ["schulden", "ggz"], proximity="gemeente"), person(4, ["ggz"]),
              person(5, ["wonen"], languages=("en",)))
    network = Network(people, frozenset({(1, 2), (2, 4), (3, 5)}))
    facts = case("wonen", "thuisbegeleiding", "schulden", "ggz", involved=[3])
    suggestion = match(facts, network)
    for lead_id in (None, 1, 2, 3, 4, 5, 99):
        assert with_lead(suggestion, facts, network, lead_id) == match(facts, network,
                                                                      lead_id=lead_id)
