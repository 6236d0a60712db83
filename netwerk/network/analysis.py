"""What a facilitator wants to know about a network, as pure functions over networkx graphs.

No Flask, no database, no wording: every function takes a graph (or plain values) and returns
facts (plain values and dataclasses); the Dutch sentences the page shows are made from those
facts in netwerk.network.wording.
Nodes carry ``label`` and ``sector``; professional nodes also ``organisation`` and ``domains``
(see netwerk.network.graph). Randomised algorithms use a fixed seed, so the same network always
gives the same answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from netwerk.network import centrality

SEED = 20261126
# Above this many nodes betweenness is estimated from a fixed sample of sources.
EXACT_BETWEENNESS_MAX = 500
BETWEENNESS_SAMPLE = 200
BETWEENNESS_MIN_SAMPLE = 32
BETWEENNESS_EDGE_BUDGET = 20_000_000

# The sectors a wijk network usually needs at the table (the glossary of DESIGN.md); used when
# the facilitator has not set a checklist for an area.
DEFAULT_CHECKLIST = (
    "zorg", "ggz", "wonen", "politie", "gemeente", "welzijn", "jeugd", "schuldhulp",
    "werk_inkomen", "huisarts", "informeel", "levensbeschouwing", "sport",
)


def label(graph: nx.Graph, node: str) -> str:
    return graph.nodes[node].get("label", str(node))


def who(graph: nx.Graph, node: str) -> str:
    data = graph.nodes[node]
    if data.get("organisation") and data.get("kind") == "professional":
        return f"{data.get('label', node)} ({data['organisation']})"
    return data.get("label", str(node))


def _parties(graph: nx.Graph, nodes: Iterable[str]) -> list[str]:
    """The organisations of ``nodes`` (or the nodes' own labels in an organisation graph)."""
    names: list[str] = []
    for n in sorted(nodes, key=lambda n: label(graph, n)):
        data = graph.nodes[n]
        name = data.get("organisation") if data.get("kind") == "professional" else None
        name = name or data.get("label", str(n))
        if name not in names:
            names.append(name)
    return sorted(names)


# -- who is alone, who holds it together ---------------------------------------------------

def isolated(graph: nx.Graph) -> list[str]:
    """Nodes without a single line to anyone else, by label."""
    return sorted((n for n in graph.nodes if graph.degree(n) == 0), key=lambda n: label(graph, n))


@dataclass(frozen=True)
class CutPoint:
    node: str
    label: str
    cut_off: tuple[str, ...]  # nodes that lose their only line to the rest
    parties: tuple[str, ...]  # their organisations
    who: str  # the name to tell: "Anouk Verbeek (Lister)"


class _DepthFirst:
    """One depth-first pass (iterative) with pre-order numbers, low-links and subtree sizes:
    enough to find every cut point and bridge and the size of what each would cut off, in
    time linear in the graph (networkx's articulation_points gives the nodes only; asking
    for the parts per node costs a full pass each)."""

    def __init__(self, graph: nx.Graph) -> None:
        self.order: list[str] = []
        self.pre: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.size: dict[str, int] = {}
        self.parent: dict[str, str | None] = {}
        self.children: dict[str, list[str]] = {}
        self.root: dict[str, str] = {}
        for root in graph:
            if root in self.pre:
                continue
            self._visit(graph, root)
            for node in self.order[self.pre[root]:]:
                self.root[node] = root

    def _enter(self, node: str, parent: str | None) -> None:
        self.pre[node] = self.low[node] = len(self.order)
        self.order.append(node)
        self.parent[node] = parent
        self.children[node] = []

    def _visit(self, graph: nx.Graph, root: str) -> None:
        self._enter(root, None)
        stack = [(root, iter(graph[root]))]
        while stack:
            node, neighbours = stack[-1]
            for other in neighbours:
                if other == node:
                    continue
                if other not in self.pre:
                    self._enter(other, node)
                    self.children[node].append(other)
                    stack.append((other, iter(graph[other])))
                    break
                if other != self.parent[node]:
                    self.low[node] = min(self.low[node], self.pre[other])
            else:
                stack.pop()
                self.size[node] = 1 + sum(self.size[c] for c in self.children[node])
                up = self.parent[node]
                if up is not None:
                    self.low[up] = min(self.low[up], self.low[node])

    def subtree(self, node: str) -> list[str]:
        return self.order[self.pre[node]:self.pre[node] + self.size[node]]

    def component(self, node: str) -> list[str]:
        return self.subtree(self.root[node])


def cut_points(graph: nx.Graph, limit: int = 50) -> list[CutPoint]:
    """Articulation points: people (or organisations) who are the only line between parts of
    the network, with the parts they would cut off (all but the largest part of their
    component), largest loss first; at most ``limit``."""
    dfs = _DepthFirst(graph)
    found = []  # (cut-off size, label, node, kept child or None for the parent side)
    for node in dfs.order:
        total = dfs.size[dfs.root[node]]
        if dfs.parent[node] is None:
            separated = dfs.children[node]
            if len(separated) < 2:
                continue
            rest = 0
        else:
            separated = [c for c in dfs.children[node] if dfs.low[c] >= dfs.pre[node]]
            if not separated:
                continue
            rest = total - 1 - sum(dfs.size[c] for c in separated)
        biggest = max(separated, key=lambda c: (dfs.size[c], -dfs.pre[c]))
        kept = None if rest >= dfs.size[biggest] else biggest
        cut_size = total - 1 - (rest if kept is None else dfs.size[kept])
        found.append((cut_size, label(graph, node), node, kept, separated))
    found.sort(key=lambda f: (-f[0], f[1]))
    result = []
    for _size, name, node, kept, separated in found[:limit]:
        if kept is None:
            cut = [n for c in separated for n in dfs.subtree(c)]
        else:
            keep = set(dfs.subtree(kept)) | {node}
            cut = [n for n in dfs.component(node) if n not in keep]
        cut_off = tuple(sorted(cut, key=lambda n: label(graph, n)))
        parties = tuple(_parties(graph, cut_off))
        result.append(CutPoint(node, name, cut_off, parties, who(graph, node)))
    return result


@dataclass(frozen=True)
class Bridge:
    a: str
    b: str
    smaller_side: tuple[str, ...]
    a_who: str
    b_who: str
    parties: tuple[str, ...]  # the organisations on the smaller side


def bridges(graph: nx.Graph, limit: int = 20) -> list[Bridge]:
    """Lines whose loss splits the network in two, where both sides hold more than one node
    (a line to a single person is already told by ``cut_points``); largest smaller side
    first."""
    dfs = _DepthFirst(graph)
    found = []
    for child in dfs.order:
        up = dfs.parent[child]
        if up is None or dfs.low[child] <= dfs.pre[up]:
            continue
        total = dfs.size[dfs.root[child]]
        below = dfs.size[child]
        smaller = min(below, total - below)
        if smaller < 2:
            continue
        found.append((smaller, label(graph, up), up, child))
    found.sort(key=lambda f: (-f[0], f[1]))
    result = []
    for _size, _name, up, child in found[:limit]:
        subtree = dfs.subtree(child)
        if len(subtree) * 2 <= dfs.size[dfs.root[child]]:
            side = subtree
        else:
            lower = set(subtree)
            side = [n for n in dfs.component(child) if n not in lower]
        cut_off = tuple(sorted(side, key=lambda n: label(graph, n)))
        result.append(Bridge(up, child, cut_off, who(graph, up), who(graph, child),
                             tuple(_parties(graph, cut_off))))
    return result


@dataclass(frozen=True)
class Broker:
    node: str
    label: str
    betweenness: float
    constraint: float | None
    parties_reached: int  # distinct organisations among the neighbours
    sampled: bool


def betweenness(graph: nx.Graph) -> tuple[dict[str, float], bool]:
    """Betweenness centrality, exact up to EXACT_BETWEENNESS_MAX nodes; above that estimated
    from a fixed sample of sources: BETWEENNESS_SAMPLE, fewer (not under
    BETWEENNESS_MIN_SAMPLE) when the graph is so dense that the sample would visit more than
    BETWEENNESS_EDGE_BUDGET edges. The values are networkx's (``nx.betweenness_centrality``
    with the same sample), computed by netwerk.network.centrality. Returns (values, sampled)."""
    n = graph.number_of_nodes()
    if n <= EXACT_BETWEENNESS_MAX:
        return centrality.betweenness(graph), False
    m = max(graph.number_of_edges(), 1)
    k = max(BETWEENNESS_MIN_SAMPLE, min(BETWEENNESS_SAMPLE, BETWEENNESS_EDGE_BUDGET // m))
    return centrality.betweenness(graph, k=min(k, n), seed=SEED), True


def burt_constraint(graph: nx.Graph, nodes: Iterable[str]) -> dict[str, float]:
    """Burt's constraint of ``nodes`` (same values as ``nx.constraint`` on an undirected graph,
    without its cost cubic in a hub's degree): c_i = sum over neighbours j of
    (p_ij + sum over shared neighbours q of p_iq * p_qj)^2, with p_ij = w_ij / strength(i).
    Isolated nodes get NaN, like networkx."""
    strength: dict[str, float] = {}

    def share(a: str, b: str) -> float:
        if a not in strength:
            strength[a] = sum(d.get("weight", 1) for d in graph[a].values())
        return graph[a][b].get("weight", 1) / strength[a] if strength[a] else 0.0

    result = {}
    for i in nodes:
        neighbours = graph[i]
        if not neighbours:
            result[i] = float("nan")
            continue
        total = 0.0
        for j in neighbours:
            if j == i:
                continue
            theirs = graph[j]
            # the shared neighbours, looked up from the smaller side (a hub has hundreds)
            small, large = (neighbours, theirs) if len(neighbours) < len(theirs) else \
                (theirs, neighbours)
            indirect = sum(share(i, q) * share(q, j) for q in small if q in large
                           and q not in (i, j))
            total += (share(i, j) + indirect) ** 2
        result[i] = total
    return result


def brokers(graph: nx.Graph, top: int = 10,
            centrality: tuple[dict[str, float], bool] | None = None) -> list[Broker]:
    """The people (or organisations) through whom most shortest lines run, with Burt's
    constraint (low = their contacts do not know each other: a real broker)."""
    values, sampled = centrality or betweenness(graph)
    ranked = sorted((n for n in values if values[n] > 0), key=lambda n: (-values[n], label(graph, n)))
    chosen = ranked[:top]
    constraint = burt_constraint(graph, chosen)
    result = []
    for node in chosen:
        neighbours = list(graph.neighbors(node))
        reached = len(set(_parties(graph, neighbours)))
        c = constraint.get(node)
        result.append(Broker(node, label(graph, node), round(values[node], 4),
                             None if c is None or c != c else round(c, 3), reached, sampled))
    return result


@dataclass(frozen=True)
class Cluster:
    nodes: tuple[str, ...]
    parties: tuple[str, ...]  # largest organisations first
    sectors: tuple[str, ...]


def clusters(graph: nx.Graph, seed: int = SEED) -> list[Cluster]:
    """Groups that work more with each other than with the rest (Louvain, fixed seed); only
    groups of two or more."""
    if graph.number_of_edges() == 0:
        return []
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    result = []
    for members in communities:
        if len(members) < 2:
            continue
        parties: Counter[str] = Counter()
        sectors: Counter[str] = Counter()
        for n in members:
            data = graph.nodes[n]
            party = data.get("organisation") if data.get("kind") == "professional" else None
            parties[party or data.get("label", n)] += 1
            sectors[data.get("sector", "")] += 1
        result.append(Cluster(
            tuple(sorted(members, key=lambda n: label(graph, n))),
            tuple(p for p, _c in sorted(parties.items(), key=lambda kv: (-kv[1], kv[0]))),
            tuple(s for s, _c in sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0]))),
        ))
    result.sort(key=lambda c: (-len(c.nodes), c.parties))
    return result


def communities(graph: nx.Graph, seed: int = SEED) -> list[set[str]]:
    """All Louvain communities (isolated nodes each on their own), for aggregation."""
    if graph.number_of_nodes() == 0:
        return []
    return [set(c) for c in nx.community.louvain_communities(graph, weight="weight", seed=seed)]


def node_sizes(graph: nx.Graph) -> dict[str, float]:
    """Degree centrality (weighted by ties for organisations) scaled to [0, 1]."""
    degree = dict(graph.degree(weight="weight"))
    top = max(degree.values(), default=0) or 1
    return {n: d / top for n, d in degree.items()}


@dataclass
class Analysis:
    nodes: int
    edges: int
    components: int
    isolated: list[str]
    cut_points: list[CutPoint]
    bridges: list[Bridge]
    brokers: list[Broker]
    clusters: list[Cluster]
    betweenness: dict[str, float] = field(repr=False)
    sampled: bool = False


def analyse(graph: nx.Graph, with_clusters: bool = True) -> Analysis:
    """Everything shown beside the map, in one pass (without the Louvain clusters when
    ``with_clusters`` is false: the table does not show them)."""
    between = betweenness(graph)
    return Analysis(
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        components=nx.number_connected_components(graph) if graph.number_of_nodes() else 0,
        isolated=isolated(graph),
        cut_points=cut_points(graph),
        bridges=bridges(graph),
        brokers=brokers(graph, centrality=between),
        clusters=clusters(graph) if with_clusters else [],
        betweenness=between[0],
        sampled=between[1],
    )


# -- who is missing ------------------------------------------------------------------------

@dataclass(frozen=True)
class ServingOrganisation:
    """An organisation with a service in the area (or in a gemeente/regio above it)."""

    id: int
    name: str
    sector: str
    domains: frozenset[str]


@dataclass(frozen=True)
class Candidate:
    organisation: ServingOrganisation
    covers: tuple[tuple[str, int], ...]  # unmet need domains it offers, with open-case counts
    fills_sector: bool  # its sector is on the checklist and absent at the table

    @property
    def score(self) -> int:
        return sum(count for _d, count in self.covers)


@dataclass(frozen=True)
class MissingSector:
    sector: str
    candidates: tuple[str, ...]  # organisations of that sector serving the area


@dataclass
class MissingPartners:
    missing_sectors: list[MissingSector]
    unmet_needs: dict[str, int]  # domain -> open cases in the area needing it, uncovered
    candidates: list[Candidate]  # serving organisations without a tie, whom to invite first


def unmet_needs(need_counts: Mapping[str, int], covered_domains: Iterable[str]) -> dict[str, int]:
    """Need domains of open cases that nobody in the network covers, with their case counts."""
    covered = set(covered_domains)
    return {d: c for d, c in sorted(need_counts.items()) if d not in covered and c > 0}


def missing_partners(
    checklist: Iterable[str],
    present_sectors: Iterable[str],
    serving: Iterable[ServingOrganisation],
    at_table: Iterable[int],
    need_counts: Mapping[str, int],
    covered_domains: Iterable[str],
) -> MissingPartners:
    """Sectors on the checklist absent at the table, and the organisations serving the area
    without a tie to its network, ranked: most open-case needs they would cover first, then
    those that fill an absent sector, then by name."""
    present = set(present_sectors)
    table = set(at_table)
    serving = list(serving)
    unmet = unmet_needs(need_counts, covered_domains)
    absent = [s for s in dict.fromkeys(checklist) if s not in present]
    missing_sectors = [
        MissingSector(s, tuple(sorted(o.name for o in serving if o.sector == s)))
        for s in absent
    ]
    candidates = []
    for org in serving:
        if org.id in table:
            continue
        covers = tuple((d, unmet[d]) for d in sorted(org.domains) if d in unmet)
        candidates.append(Candidate(org, covers, org.sector in absent))
    candidates.sort(key=lambda c: (-c.score, not c.fills_sector, c.organisation.name))
    return MissingPartners(missing_sectors, unmet, candidates)


# -- growth across work sessions --------------------------------------------------------------

@dataclass(frozen=True)
class GrowthStep:
    nodes: frozenset[str]
    new_nodes: frozenset[str]
    new_edges: frozenset[tuple[str, str]]


def _edge_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def growth(snapshots: list[nx.Graph]) -> list[GrowthStep]:
    """For each snapshot, what is new compared with the one before it."""
    steps = []
    seen_nodes: set[str] = set()
    seen_edges: set[tuple[str, str]] = set()
    for graph in snapshots:
        nodes = set(graph.nodes)
        edges = {_edge_key(a, b) for a, b in graph.edges}
        steps.append(GrowthStep(frozenset(nodes), frozenset(nodes - seen_nodes),
                                frozenset(edges - seen_edges)))
        seen_nodes |= nodes
        seen_edges |= edges
    return steps
