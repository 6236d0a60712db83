"""Matching on small hand-built networks: pure, no Flask, no database."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from netwerk.matching.back_pocket import Option, back_pocket, exact_cover, greedy_cover, harmonic
from netwerk.matching.engine import match
from netwerk.matching.model import Candidate, CaseFacts, Need, Network, Offer, Rule

FIXED_ADDRESS = Rule("requires_fixed_address", text="vereist een vast adres")


def person(pid, domains, org=None, proximity="wijk", rules=(), load=5, cap=10,
           available=True, name=None, languages=("nl",)):
    domains = frozenset(domains)
    org = org if org is not None else pid * 100
    return Candidate(
        id=pid, name=name or f"P{pid:02d}", organisation_id=org, organisation=f"Org {org}",
        domains=domains, proximity=proximity,
        offers=(Offer(org, f"Dienst {org}", domains, tuple(rules)),),
        caseload=load, caseload_max=cap, available=available, languages=frozenset(languages),
    )


def case(*domains, involved=(), preferred=None, tags=(), urgency="regulier", age=40,
         language=None):
    return CaseFacts(
        needs=tuple(Need(d, "primair" if i == 0 else "secundair") for i, d in enumerate(domains)),
        urgency=urgency, constraints=frozenset(tags), client_age=age, language=language,
        involved=frozenset(involved), preferred_id=preferred,
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


def test_language_blocks_the_lead_but_not_the_back_pocket():
    dutch = person(1, ["wonen", "schulden"], load=0)
    arabic = person(2, ["wonen"], languages=("nl", "ar"), load=9)
    answer = match(case("wonen", "schulden", language="ar"), Network((dutch, arabic)))
    assert answer.lead.candidate.id == 2
    assert answer.why_not[1].lead_block == "taal:ar"
    assert [m.candidate.id for m in answer.back_pocket.members] == [1]


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
