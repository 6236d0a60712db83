"""The back pocket: the fewest further professionals covering what the lead does not.

A weighted set cover. Objective, in this order: the number of people; then closeness to the
lead (1 = a direct tie, 2 = two steps out, 3 = further); then the candidates' scores. Exact by
dynamic programming over the subsets of the remaining needs when 2^needs × candidates is small
(``EXACT_LIMIT``), otherwise greedy — which uses at most H(n) = 1 + 1/2 + … + 1/n times the
optimal number of people, n being the most needs one person covers (Chvátal 1979).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from netwerk.matching.model import BackPocket, Candidate, PocketMember

EXACT_LIMIT = 250_000


@dataclass(frozen=True)
class Option:
    """A professional who could join the back pocket."""

    candidate: Candidate
    covers: frozenset[str]
    distance: int  # to the lead: 1, 2 or 3
    score: float = 0.0


def distances_from(lead_id: int, adjacency: Mapping[int, frozenset[int]]) -> dict[int, int]:
    first = adjacency.get(lead_id, frozenset())
    found = dict.fromkeys(first, 1)
    for p in first:
        for q in adjacency.get(p, frozenset()):
            if q != lead_id and q not in found:
                found[q] = 2
    return found


def harmonic(n: int) -> float:
    return sum(1.0 / k for k in range(1, n + 1))


def _order(o: Option) -> tuple:
    return (o.distance, -round(o.score, 6), o.candidate.name.casefold(), o.candidate.id)


def _reduce(options: Sequence[Option], needed: frozenset[str]) -> list[Option]:
    """Keep one best option per distinct set of remaining needs it covers."""
    best: dict[frozenset[str], Option] = {}
    for o in sorted(options, key=_order):
        covers = o.covers & needed
        if covers and covers not in best:
            best[covers] = Option(o.candidate, covers, o.distance, o.score)
    return sorted(best.values(), key=_order)


def exact_cover(options: Sequence[Option], needed: frozenset[str]) -> list[Option]:
    """The optimal cover by DP over subsets: cost (people, Σ distance, −Σ score)."""
    domains = sorted(needed)
    index = {d: i for i, d in enumerate(domains)}
    full = (1 << len(domains)) - 1
    masks = [sum(1 << index[d] for d in o.covers) for o in options]
    costs = [(1, o.distance, -round(o.score * 1_000_000)) for o in options]
    best: list[tuple[int, int, int] | None] = [None] * (full + 1)
    came: list[tuple[int, int] | None] = [None] * (full + 1)
    best[0] = (0, 0, 0)
    for mask in range(full + 1):
        here = best[mask]
        if here is None:
            continue
        for i, m in enumerate(masks):
            new = mask | m
            if new == mask:
                continue
            c = costs[i]
            cand = (here[0] + c[0], here[1] + c[1], here[2] + c[2])
            old = best[new]
            if old is None or cand < old:
                best[new] = cand
                came[new] = (mask, i)
    chosen: list[Option] = []
    mask = full
    while mask:
        step = came[mask]
        assert step is not None  # ``needed`` is coverable (all the caller asks for)
        prev, i = step
        chosen.append(options[i])
        mask = prev
    return sorted(chosen, key=_order)


def greedy_cover(options: Sequence[Option], needed: frozenset[str]) -> list[Option]:
    """Repeatedly take whoever covers most of what is left (closest, best score on ties)."""
    left = set(needed)
    chosen: list[Option] = []
    pool = list(options)
    while left:
        pick = min(pool, key=lambda o: (-len(o.covers & left), *_order(o)))
        if not pick.covers & left:
            break
        chosen.append(pick)
        left -= pick.covers
        pool.remove(pick)
    return sorted(chosen, key=_order)


def back_pocket(
    remaining: frozenset[str],
    options: Sequence[Option],
    method: str = "auto",
) -> BackPocket:
    """The fewest options covering every coverable need in ``remaining``."""
    coverable = frozenset().union(*(o.covers for o in options)) & remaining if options else frozenset()
    uncovered = remaining - coverable
    if not coverable:
        return BackPocket((), remaining, uncovered, "none")
    reduced = _reduce(options, coverable)
    if method == "auto":
        method = "exact" if (1 << len(coverable)) * len(reduced) <= EXACT_LIMIT else "greedy"
    if method == "exact":
        chosen, bound = exact_cover(reduced, coverable), 1.0
    else:
        chosen = greedy_cover(reduced, coverable)
        bound = harmonic(max(len(o.covers) for o in reduced))
    members = tuple(PocketMember(o.candidate, o.covers, o.distance) for o in chosen)
    return BackPocket(members, remaining, uncovered, method, bound)
