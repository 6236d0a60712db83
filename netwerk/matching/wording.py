"""The Dutch sentences of the case page, made from the engine's facts.

The engine (netwerk.matching.engine and the modules it uses) returns facts: term values, rule
kinds, levels. This module words them: the lead's reasons ("kent het gezin al", "dekt wonen en
schulden", "werkt in Galecop"), the hard rules, why-not lines, where a missing partner was
found. Language names come from Babel's locale data (any ISO 639-1 code).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from netwerk.i18n import _
from netwerk.matching.model import (
    CRISIS_UNAVAILABLE,
    MAY_NOT_COORDINATE,
    OPPOSING_INTEREST,
    TERMS,
    CaseFacts,
    Exclusion,
    MissingPartner,
    NearbyOrganisation,
    Scored,
    WhyNot,
)

# Three-letter codes kept beside ISO 639-1 because households here speak them.
EXTRA_LANGUAGES = ("pap",)


@lru_cache(maxsize=1)
def language_names() -> dict[str, str]:
    """Every ISO 639-1 language code (and EXTRA_LANGUAGES) with its Dutch name."""
    from babel import Locale

    names = Locale("nl").languages
    return {code: names[code] for code in sorted(names)
            if len(code) == 2 or code in EXTRA_LANGUAGES}


def language_name(code: str | None) -> str:
    if not code:
        return _("Nederlands")
    return language_names().get(code.lower(), code)


def language_choices() -> list[tuple[str, str]]:
    """The intake's languages: Dutch first, then every other by its Dutch name."""
    others = sorted(((c, n) for c, n in language_names().items() if c != "nl"),
                    key=lambda item: item[1].casefold())
    return [("", _("Nederlands (geen tolk nodig)")), *others]


def join(words: Iterable[str]) -> str:
    """'wonen', 'wonen en schulden', 'wonen, schulden en opvoeding'."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s en %(last)s", first=", ".join(items[:-1]), last=items[-1])


def domain_names(slugs: Iterable[str], domains: Mapping[str, str]) -> list[str]:
    return [domains.get(s, s).lower() for s in sorted(slugs, key=lambda s: domains.get(s, s))]


def term_label(name: str, urgency: str) -> str:
    """The name of a score term in the full score table."""
    labels = {
        "coverage": _("dekt de hulpvragen"),
        "continuity": _("al betrokken"),
        "wish": _("wens van de cliënt"),
        "language": _("spreekt de taal van de cliënt"),
        "reach": _("lijntjes naar wie de rest dekt"),
        "room": _("nu beschikbaar") if urgency == "crisis" else _("ruimte in caseload"),
        "proximity": _("nabij (wijk, gemeente, regio)"),
    }
    return labels[name]


def reason(term: str, lead: Scored, case: CaseFacts, domains: Mapping[str, str]) -> str | None:
    """One plain sentence for a term that speaks for ``lead``, or None when it says nothing."""
    c, value = lead.candidate, lead.term(term).value
    if value <= 0:
        return None
    if term == "wish":
        return _("is de wens van de cliënt")
    if term == "continuity":
        return _("kent het gezin al")
    if term == "coverage":
        return _("dekt %(what)s", what=join(domain_names(lead.eligibility.covers, domains)))
    if term == "language":
        if case.foreign_language is None:
            return None
        return _("spreekt %(language)s", language=language_name(case.foreign_language))
    if term == "reach":
        remaining = {n.domain for n in case.needs} - lead.eligibility.covers
        if not remaining:
            return None
        return _("kent wie de rest dekt") if value >= 1 else _("heeft lijntjes naar wie de "
                                                                "rest dekt")
    if term == "room":
        return _("is vandaag beschikbaar") if case.urgency == "crisis" else _(
            "heeft ruimte in de caseload")
    if term == "proximity":
        if c.proximity == "wijk":
            return _("werkt in %(wijk)s", wijk=case.area_name) if case.area_name else _(
                "werkt in de wijk")
        return _("werkt in de gemeente") if c.proximity == "gemeente" else _(
            "werkt in de regio")
    return None


def reasons(lead: Scored, case: CaseFacts, domains: Mapping[str, str],
            count: int = 3) -> list[tuple[str, str]]:
    """The lead's strongest reasons as (term, sentence), most points first."""
    order = {t: i for i, t in enumerate(TERMS)}
    terms = sorted((t for t in lead.terms if t.points > 0),
                   key=lambda t: (-t.points, order[t.name]))
    found = []
    for t in terms:
        sentence = reason(t.name, lead, case, domains)
        if sentence:
            found.append((t.name, sentence))
        if len(found) == count:
            break
    return found


def rule_sentence(kind: str) -> str:
    """A hard rule as the case page names it."""
    if kind == OPPOSING_INTEREST:
        return _("organisatie met een tegengesteld belang in deze casus: nooit frontsoldaat, "
                 "ziet de casus niet")
    if kind == CRISIS_UNAVAILABLE:
        return _("crisis: vandaag niet beschikbaar")
    if kind == MAY_NOT_COORDINATE:
        return _("deze organisatie of rol voert geen regie (kan wel in de broekzak)")
    return kind


def exclusion_sentence(x: Exclusion) -> str:
    """'Maatschappelijk werk Nieuwegein: vereist een vast adres'."""
    if x.rule_kind == OPPOSING_INTEREST:
        return f"{x.organisation}: {rule_sentence(OPPOSING_INTEREST)}"
    return x.reason


def why_not_sentence(w: WhyNot, urgency: str) -> str:
    """Why this person is not the lead, in words: a hard rule decides whatever the points;
    otherwise the terms they are behind on, never "minus points" when they scored higher."""
    if w.blocks:
        return "; ".join(rule_sentence(b) for b in w.blocks).capitalize() + "."
    if w.points_behind > 0 and w.behind:
        on = join(term_label(name, urgency) for name, _d in w.behind[:3])
        return _("Scoort lager op: %(on)s.", on=on)
    return _("Even hoog; bij gelijke stand gaat voor wie meer hulpvragen dekt, dan wie al "
             "betrokken is, dan de naam.")


def place(o: NearbyOrganisation, case: CaseFacts) -> str:
    """Where an organisation found by the outward search is."""
    if o.level == "wijk":
        return _("bedient %(wijk)s, maar niemand werkt er", wijk=case.area_name or _("de wijk"))
    if o.level == "buurwijk":
        return _("in de buurwijk %(area)s", area=o.area)
    if o.level == "gemeente":
        return _("in de gemeente %(area)s", area=o.area)
    if o.level == "regio":
        return _("in de regio (%(area)s)", area=o.area)
    return _("buiten de regio: %(area)s", area=o.area)


def missing_sentence(m: MissingPartner) -> str:
    """The truthful summary of the outward search for one need."""
    if m.level is None:
        return _("nergens gevonden, ook niet buiten de regio")
    if m.level == "elders":
        return _("nergens in de regio; wel buiten de regio")
    return {
        "wijk": _("niemand werkt ervoor in de wijk; wel een organisatie die de wijk bedient"),
        "buurwijk": _("niemand in de wijk; wel in een buurwijk"),
        "gemeente": _("niemand in de wijk; wel in de gemeente"),
        "regio": _("niemand in de wijk of gemeente; wel in de regio"),
    }[m.level]
