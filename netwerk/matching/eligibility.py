"""Eligibility: which of a case's needs a candidate may cover, and which rules say no.

Rules are data (``Rule.kind`` is a ``RuleKind`` value). A candidate covers a need when the
need's domain is one of theirs and at least one service of their organisation that offers that
domain in the case's area admits the case. When every such service refuses, each refusing rule
is reported: a refusal is information too ("Maatschappelijk werk Nieuwegein: vereist een vast
adres").
"""

from __future__ import annotations

from netwerk.matching.model import Candidate, CaseFacts, Eligibility, Exclusion, Rule

# Indications the provider sets itself (the Zvw: everyone is insured, the GP or nurse decides).
SELF_INDICATED = frozenset({"zvw"})


def rule_admits(rule: Rule, case: CaseFacts) -> bool:
    """True when ``rule`` lets the case in. An unknown age never excludes."""
    kind, tags = rule.kind, case.constraints
    if kind == "requires_fixed_address":
        return "geen_vast_adres" not in tags
    if kind == "min_age":
        return case.client_age is None or rule.int_value is None or case.client_age >= rule.int_value
    if kind == "max_age":
        if case.client_age is None or rule.int_value is None:
            return True
        # A household with minor children holds someone young enough (jeugdhulp for the child).
        minors = "minderjarige_kinderen" in tags and rule.int_value >= 17
        return case.client_age <= rule.int_value or minors
    if kind == "requires_indication":
        value = (rule.value or "").lower()
        return value in SELF_INDICATED or f"indicatie_{value}" in tags
    if kind == "requires_constraint":
        return rule.value in tags
    if kind == "excludes_constraint":
        return rule.value not in tags
    raise ValueError(f"unknown rule kind {kind!r}")


def eligibility(case: CaseFacts, candidate: Candidate) -> Eligibility:
    """Which of the case's needs ``candidate`` covers, and the rules that exclude the rest."""
    covers: set[str] = set()
    refused: dict[str, set[str]] = {}  # rule text -> domains
    services: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    notes: dict[str, str] = {}
    for need in case.needs:
        domain = need.domain
        if domain not in candidate.domains:
            continue
        offers = [o for o in candidate.offers if domain in o.domains]
        failing_per_offer = []
        for offer in offers:
            failing = [r for r in offer.rules if not rule_admits(r, case)]
            if not failing:
                covers.add(domain)
                break
            failing_per_offer.append((offer, failing))
        else:
            for offer, failing in failing_per_offer:
                for rule in failing:
                    key = rule.text or rule.kind
                    refused.setdefault(key, set()).add(domain)
                    services.setdefault(key, set()).add(offer.name)
                    kinds[key] = rule.kind
                    if len(rule.note) > len(notes.get(key, "")):
                        notes[key] = rule.note
    exclusions = tuple(
        Exclusion(
            professional_id=candidate.id,
            professional=candidate.name,
            organisation=candidate.organisation,
            service=", ".join(sorted(services[text])),
            rule_kind=kinds[text],
            rule_text=text,
            domains=frozenset(domains),
            note=notes.get(text, ""),
        )
        for text, domains in sorted(refused.items())
    )
    return Eligibility(candidate=candidate, covers=frozenset(covers), exclusions=exclusions)
