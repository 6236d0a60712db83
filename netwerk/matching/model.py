"""The plain values matching works on (frozen dataclasses, no database, no Flask)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

PROXIMITY_LEVELS = ("wijk", "gemeente", "regio")
TERMS = ("coverage", "continuity", "wish", "language", "reach", "room", "proximity")

# Hard rules: no weighting overrides them (docs/matching.md). The first keeps a person out of
# the case altogether (not the lead, not in the back pocket); the other two keep them from
# leading only: they may serve in the back pocket.
OPPOSING_INTEREST = "opposing_interest"  # their organisation is a party in the conflict
CRISIS_UNAVAILABLE = "crisis_unavailable"  # a crisis, and they are not available today
MAY_NOT_COORDINATE = "may_not_coordinate"  # their organisation (or role) does not lead
LEAD_RULES = (CRISIS_UNAVAILABLE, MAY_NOT_COORDINATE)
# Where the outward search for a missing partner found an organisation, nearest first.
OUTWARD_LEVELS = ("wijk", "buurwijk", "gemeente", "regio", "elders")


@dataclass(frozen=True)
class Rule:
    """An eligibility rule of a service, as data (``kind`` is a ``RuleKind`` value)."""

    kind: str
    value: str | None = None
    int_value: int | None = None
    text: str = ""  # the rule in plain words ("vereist een vast adres")
    note: str = ""  # the organisation's own words, when it wrote them


@dataclass(frozen=True)
class Offer:
    """A service of the candidate's organisation that serves the case's area."""

    service_id: int
    name: str
    domains: frozenset[str]
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A professional who might go in, with what their organisation offers in the case's area.

    ``proximity`` is how close their own work area is to the case: ``wijk`` (they work in the
    case's wijk), ``gemeente`` (the whole gemeente or another wijk of it), ``regio``.
    """

    id: int
    name: str
    organisation_id: int
    organisation: str
    domains: frozenset[str]
    proximity: str
    offers: tuple[Offer, ...] = ()
    caseload: int = 0
    caseload_max: int = 0
    available: bool = True
    languages: frozenset[str] = frozenset({"nl"})
    role: str = ""
    sector: str = ""
    may_coordinate: bool = True  # the organisation's (or their role's) may_coordinate


@dataclass(frozen=True)
class Need:
    domain: str
    weight: str = "primair"  # or "secundair"


@dataclass(frozen=True)
class CaseFacts:
    """What matching needs to know of a case: never a name, only needs and tags."""

    needs: tuple[Need, ...]
    urgency: str = "regulier"
    constraints: frozenset[str] = frozenset()
    client_age: int | None = None
    language: str | None = None
    involved: frozenset[int] = frozenset()
    preferred_id: int | None = None
    opposing: frozenset[int] = frozenset()  # organisation ids with an opposing interest
    area_name: str = ""  # the case's wijk, for the reasons ("werkt in Galecop")

    @property
    def foreign_language(self) -> str | None:
        """The client's language when it is not Dutch (an interpreter may be needed)."""
        language = (self.language or "nl").lower()
        return None if language == "nl" else language


@dataclass(frozen=True)
class Network:
    """The candidates around one case and the ties among them (pairs of professional ids)."""

    candidates: tuple[Candidate, ...]
    ties: frozenset[tuple[int, int]] = frozenset()
    # Services found by searching outward for the needs nobody eligible in the wijk covers.
    outward: tuple[OutwardOffer, ...] = ()

    def adjacency(self) -> dict[int, frozenset[int]]:
        return adjacency(self.ties)


def adjacency(ties: Iterable[tuple[int, int]]) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = {}
    for a, b in ties:
        found.setdefault(a, set()).add(b)
        found.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in found.items()}


@dataclass(frozen=True)
class Exclusion:
    """A rule that keeps a candidate out for some of the case's needs."""

    professional_id: int
    professional: str
    organisation: str
    service: str
    rule_kind: str
    rule_text: str
    domains: frozenset[str]
    note: str = ""

    @property
    def reason(self) -> str:
        """'Maatschappelijk werk Nieuwegein: vereist een vast adres' (the hard rules without a
        text of their own are worded by netwerk.matching.wording)."""
        return f"{self.organisation}: {self.rule_text or self.rule_kind}"


@dataclass(frozen=True)
class Eligibility:
    candidate: Candidate
    covers: frozenset[str]
    exclusions: tuple[Exclusion, ...] = ()

    @property
    def eligible(self) -> bool:
        return bool(self.covers)


@dataclass(frozen=True)
class Term:
    name: str
    value: float  # in [0, 1]
    weight: float

    @property
    def points(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class Scored:
    eligibility: Eligibility
    terms: tuple[Term, ...]
    blocks: tuple[str, ...] = ()  # the hard rules (LEAD_RULES) that keep them from leading

    @property
    def candidate(self) -> Candidate:
        return self.eligibility.candidate

    @property
    def may_lead(self) -> bool:
        return not self.blocks

    @property
    def lead_block(self) -> str | None:
        """The first hard rule that keeps them from leading, or None."""
        return self.blocks[0] if self.blocks else None

    @property
    def speaks_language(self) -> bool:
        return self.term("language").value >= 1.0

    @cached_property
    def total(self) -> float:
        return sum(t.points for t in self.terms)

    def term(self, name: str) -> Term:
        return next(t for t in self.terms if t.name == name)


@dataclass(frozen=True)
class WhyNot:
    """Why a candidate is not the lead: lower terms (points behind), a block, or rules."""

    candidate: Candidate
    behind: tuple[tuple[str, float], ...] = ()
    points_behind: float = 0.0
    blocks: tuple[str, ...] = ()  # hard rules: these come first, whatever the points
    exclusions: tuple[Exclusion, ...] = ()
    ahead: tuple[tuple[str, float], ...] = ()  # terms on which they score higher

    @property
    def lead_block(self) -> str | None:
        return self.blocks[0] if self.blocks else None


@dataclass(frozen=True)
class PocketMember:
    candidate: Candidate
    covers: frozenset[str]
    distance: int  # 1: tied to the lead, 2: two steps out, 3: further


@dataclass(frozen=True)
class BackPocket:
    members: tuple[PocketMember, ...]
    remaining: frozenset[str]  # needs the lead does not cover
    uncovered: frozenset[str]  # of those, needs nobody eligible covers
    method: str  # "exact", "greedy" or "none"
    bound: float = 1.0  # greedy: at most bound × the optimum number of people


@dataclass(frozen=True, kw_only=True)
class FoundOrganisation:
    """An organisation found searching outward from the case's wijk: at ``level``
    (OUTWARD_LEVELS) from it, in ``area`` (the buurwijk, the gemeente, the regio, or the area
    elsewhere), with the intake route and number to reach it by."""

    organisation_id: int
    organisation: str
    level: str
    area: str = ""
    intake_route: str = ""
    phone: str | None = None


@dataclass(frozen=True, kw_only=True)
class OutwardOffer(FoundOrganisation):
    """A service found by the outward search: it offers ``domains`` and serves ``area``."""

    service: str
    domains: frozenset[str]
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True, kw_only=True)
class NearbyOrganisation(FoundOrganisation):
    """One of the nearest organisations for a missing need, with its people eligible for it."""

    professionals: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class MissingPartner:
    domain: str
    weight: str
    nearest: tuple[NearbyOrganisation, ...]
    level: str | None  # where the nearest are (OUTWARD_LEVELS), or None: nowhere found
    excluded_inside: tuple[Exclusion, ...] = ()

    @property
    def in_regio(self) -> bool:
        """Whether anyone in the wijk's own regio offers it (only then is "nergens in de
        regio" untrue)."""
        return self.level is not None and self.level != "elders"


@dataclass(frozen=True)
class Answer:
    lead: Scored | None
    suggested: Scored | None
    ranking: tuple[Scored, ...]
    why_not: Mapping[int, WhyNot]
    excluded: tuple[Eligibility, ...]
    back_pocket: BackPocket
    missing: tuple[MissingPartner, ...]
    organisations_without_coordination: int
    weights: Mapping[str, float] = field(default_factory=dict)
    language: str | None = None  # the client's language when not Dutch

    @property
    def interpreter(self) -> bool:
        """The lead does not speak the client's language: the plan gets "tolk regelen"."""
        return bool(self.language and self.lead is not None and not self.lead.speaks_language)

    @property
    def going_in(self) -> int:
        """1 + k: the lead and the back pocket."""
        return (1 if self.lead else 0) + len(self.back_pocket.members)
