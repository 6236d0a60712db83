"""The facilitator's questions about a network, answered by pure functions."""

from __future__ import annotations

import networkx as nx

from netwerk.network import analysis, wording
from netwerk.network.graph import cluster_graph, ego, filter_sectors, organisation_graph


def person(g: nx.Graph, node: str, name: str, org_id: int, org: str, sector: str,
           domains=()):
    g.add_node(node, kind="professional", label=name, organisation_id=org_id, organisation=org,
               sector=sector, domains=list(domains), role="", mobile="")


def lekstroom() -> nx.Graph:
    """Anouk (Lister) is the only line to Sandra (Portaal) and Bram (Lister)."""
    g = nx.Graph(level="professional")
    person(g, "p1", "Anouk Verbeek", 1, "Lister", "ggz", ["ggz", "wonen"])
    person(g, "p2", "Sandra Willems", 2, "Portaal", "wonen", ["wonen"])
    person(g, "p3", "Bram de Wit", 1, "Lister", "ggz", ["ggz"])
    person(g, "p4", "Erik Mulder", 3, "Politie", "politie", ["veiligheid"])
    person(g, "p5", "Naima El Idrissi", 4, "Abrona", "gehandicaptenzorg", ["lvb"])
    person(g, "p6", "Samira Bouzid", 3, "Politie", "politie", ["veiligheid"])
    person(g, "p7", "Kees Alleen", 5, "Voedselbank", "informeel", [])
    for a, b in [("p1", "p2"), ("p1", "p3"), ("p1", "p4"), ("p4", "p5"), ("p5", "p6"),
                 ("p4", "p6")]:
        g.add_edge(a, b, weight=1, since="2026-02-12")
    return g


def test_isolated_partner_is_found():
    assert analysis.isolated(lekstroom()) == ["p7"]


def test_cut_point_is_told_in_plain_dutch():
    cuts = analysis.cut_points(lekstroom())
    anouk = next(c for c in cuts if c.node == "p1")
    assert set(anouk.cut_off) == {"p2", "p3"}
    assert anouk.parties == ("Lister", "Portaal")
    assert wording.cut_point_sentence(anouk) == (
        "Als Anouk Verbeek (Lister) wegvalt, verliezen Lister en Portaal hun enige lijn met "
        "de rest van het netwerk."
    )
    # Erik connects Anouk's side to the police/Abrona triangle: he is a cut point too;
    # the larger side (Anouk's three) is kept as "the rest".
    erik = next(c for c in cuts if c.node == "p4")
    assert set(erik.cut_off) == {"p5", "p6"}
    assert cuts[0].node == "p1"  # the largest loss first
    assert "p5" not in {c.node for c in cuts}  # in a triangle: nobody depends on her


def test_bridge_between_two_groups():
    g = lekstroom()
    found = analysis.bridges(g)
    assert [(b.a, b.b) for b in found] in ([("p1", "p4")], [("p4", "p1")])
    # both sides hold three people: either may be named, always the whole side
    side = set(found[0].smaller_side)
    assert side in ({"p1", "p2", "p3"}, {"p4", "p5", "p6"})
    named = "Lister en Portaal" if "p1" in side else "Abrona en Politie"
    assert f"enige verbinding met {named}" in wording.bridge_sentence(found[0])


def test_brokers_rank_by_betweenness_with_constraint():
    found = analysis.brokers(lekstroom())
    assert [b.node for b in found[:2]] == ["p1", "p4"]
    assert found[0].constraint is not None and 0 < found[0].constraint <= 1
    assert found[0].parties_reached == 3  # Lister, Portaal, Politie
    assert not found[0].sampled


def test_large_graph_betweenness_is_sampled_and_repeatable():
    g = nx.barabasi_albert_graph(analysis.EXACT_BETWEENNESS_MAX + 50, 2, seed=1)
    g = nx.relabel_nodes(g, {n: f"p{n}" for n in g})
    first, sampled = analysis.betweenness(g)
    second, _ = analysis.betweenness(g)
    assert sampled and first == second


def test_clusters_are_repeatable_and_skip_singletons():
    g = nx.Graph()
    for i in range(5):
        for j in range(i + 1, 5):
            g.add_edge(f"a{i}", f"a{j}", weight=1)
            g.add_edge(f"b{i}", f"b{j}", weight=1)
    g.add_edge("a0", "b0", weight=1)
    g.add_node("z")
    for n in g:
        g.nodes[n].update(label=n, sector="zorg" if n[0] == "a" else "wonen")
    found = analysis.clusters(g)
    assert sorted(len(c.nodes) for c in found) == [5, 5]
    assert {c.sectors[0] for c in found} == {"zorg", "wonen"}
    assert analysis.clusters(g) == found


def test_organisation_graph_weights_edges_by_professional_ties():
    g = lekstroom()
    g.add_edge("p3", "p2", weight=1)  # a second Lister–Portaal tie
    orgs = organisation_graph(g)
    assert orgs.nodes["o1"]["label"] == "Lister"
    assert orgs["o1"]["o2"]["weight"] == 2
    assert orgs["o3"]["o4"]["weight"] == 2  # Erik–Naima and Naima–Samira
    assert not orgs.has_edge("o1", "o1")  # colleagues' ties vanish
    assert sorted(orgs.nodes["o1"]["people"]) == ["p1", "p3"]
    assert "o5" in orgs and orgs.degree("o5") == 0


def test_filters_focus_and_clusters():
    g = lekstroom()
    assert set(filter_sectors(g, ["politie"])) == {"p4", "p6"}
    assert set(filter_sectors(g, [])) == set(g)
    assert set(ego(g, "p1", 1)) == {"p1", "p2", "p3", "p4"}
    assert set(ego(g, "p1", 2)) == {"p1", "p2", "p3", "p4", "p5", "p6"}
    assert len(ego(g, "nobody", 1)) == 0
    folded = cluster_graph(g, [{"p1", "p2", "p3"}, {"p4", "p5", "p6"}, {"p7"}])
    assert folded.number_of_nodes() == 3 and folded["c0"]["c1"]["weight"] == 1
    assert folded.nodes["c0"]["size"] == 3


def test_missing_partners_rank_by_unmet_needs():
    serving = [
        analysis.ServingOrganisation(1, "Lister", "ggz", frozenset({"ggz"})),
        analysis.ServingOrganisation(6, "WIL Schuldhulp", "schuldhulp", frozenset({"schulden"})),
        analysis.ServingOrganisation(7, "Victas", "verslavingszorg", frozenset({"verslaving"})),
        analysis.ServingOrganisation(8, "Moskee", "levensbeschouwing", frozenset()),
        analysis.ServingOrganisation(9, "Buurtsport", "sport", frozenset()),
    ]
    result = analysis.missing_partners(
        checklist=["ggz", "schuldhulp", "levensbeschouwing", "politie"],
        present_sectors={"ggz", "politie"},
        serving=serving,
        at_table={1},
        need_counts={"schulden": 2, "verslaving": 1, "ggz": 3},
        covered_domains={"ggz"},
    )
    assert [m.sector for m in result.missing_sectors] == ["schuldhulp", "levensbeschouwing"]
    assert result.missing_sectors[0].candidates == ("WIL Schuldhulp",)
    assert result.unmet_needs == {"schulden": 2, "verslaving": 1}
    names = [c.organisation.name for c in result.candidates]
    # Most unmet need first; then whoever fills an absent sector; Lister is at the table.
    assert names == ["WIL Schuldhulp", "Victas", "Moskee", "Buurtsport"]
    assert result.candidates[0].covers == (("schulden", 2),)


def test_growth_marks_what_is_new():
    s1 = nx.Graph([("o1", "o2")])
    s2 = nx.Graph([("o1", "o2"), ("o2", "o3")])
    steps = analysis.growth([s1, s2])
    assert steps[0].new_nodes == {"o1", "o2"}
    assert steps[1].new_nodes == {"o3"} and steps[1].new_edges == {("o2", "o3")}


def test_analyse_bundles_everything():
    result = analysis.analyse(lekstroom())
    assert (result.nodes, result.edges, result.components) == (7, 6, 2)
    assert result.isolated == ["p7"]
    assert wording.join_nl(["A", "B", "C"]) == "A, B en C"


def test_burt_constraint_matches_networkx():
    g = nx.les_miserables_graph()
    ours = analysis.burt_constraint(g, list(g))
    theirs = nx.constraint(g, weight="weight")
    assert all(abs(ours[n] - theirs[n]) < 1e-9 for n in g)


def test_cut_points_and_bridges_agree_with_brute_force():
    for seed in range(12):
        g = nx.gnm_random_graph(40, 45, seed=seed)
        g.add_edge(100, 101)
        g = nx.relabel_nodes(g, {n: f"p{n}" for n in g})
        for n in g:
            g.nodes[n]["label"] = n
        cuts = analysis.cut_points(g, limit=1000)
        assert {c.node for c in cuts} == set(nx.articulation_points(g))
        for c in cuts:
            component = nx.node_connected_component(g, c.node) - {c.node}
            parts = [len(p) for p in nx.connected_components(g.subgraph(component))]
            assert len(c.cut_off) == len(component) - max(parts)
        expected = set()
        for a, b in nx.bridges(g):
            h = g.copy()
            h.remove_edge(a, b)
            small = min(len(nx.node_connected_component(h, a)),
                        len(nx.node_connected_component(h, b)))
            if small >= 2:
                expected.add(frozenset((a, b)))
                found = next(br for br in analysis.bridges(g, limit=1000)
                             if {br.a, br.b} == {a, b})
                assert len(found.smaller_side) == small
        assert {frozenset((br.a, br.b)) for br in analysis.bridges(g, limit=1000)} == expected
