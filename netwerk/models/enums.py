"""Closed sets of values, stored as strings with a CHECK constraint (see ``enum_column``).

Each set that users see has its labels right below it (``…_LABELS``, lazy translated strings,
keyed by member; a plain string value finds its label too): every page, form, export and
template takes the label from here (templates through the ``sector_label``, ``constraint_label``,
``urgency_label`` and ``unit_label`` filters).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Enum as SAEnum

from netwerk.i18n import LazyString, _l


def enum_type(enum_cls: type[StrEnum], name: str) -> SAEnum:
    """A portable VARCHAR + CHECK column type holding the enum's values."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class AreaKind(StrEnum):
    REGIO = "regio"
    GEMEENTE = "gemeente"
    WIJK = "wijk"


class Sector(StrEnum):
    ZORG = "zorg"
    GGZ = "ggz"
    WONEN = "wonen"
    POLITIE = "politie"
    GEMEENTE = "gemeente"
    WELZIJN = "welzijn"
    JEUGD = "jeugd"
    SCHULDHULP = "schuldhulp"
    WERK_INKOMEN = "werk_inkomen"
    HUISARTS = "huisarts"
    INFORMEEL = "informeel"
    LEVENSBESCHOUWING = "levensbeschouwing"
    SPORT = "sport"
    VERSLAVINGSZORG = "verslavingszorg"
    ONDERWIJS = "onderwijs"
    GEHANDICAPTENZORG = "gehandicaptenzorg"
    MAATSCHAPPELIJKE_OPVANG = "maatschappelijke_opvang"


SECTOR_LABELS: dict[Sector, LazyString] = {
    Sector.ZORG: _l("Zorg"),
    Sector.GGZ: _l("GGZ"),
    Sector.WONEN: _l("Wonen (corporaties)"),
    Sector.POLITIE: _l("Politie"),
    Sector.GEMEENTE: _l("Gemeente"),
    Sector.WELZIJN: _l("Welzijn"),
    Sector.JEUGD: _l("Jeugd"),
    Sector.SCHULDHULP: _l("Schuldhulp"),
    Sector.WERK_INKOMEN: _l("Werk en inkomen"),
    Sector.HUISARTS: _l("Huisarts"),
    Sector.INFORMEEL: _l("Informeel (vrijwilligers)"),
    Sector.LEVENSBESCHOUWING: _l("Levensbeschouwing (kerk, moskee)"),
    Sector.SPORT: _l("Sport"),
    Sector.VERSLAVINGSZORG: _l("Verslavingszorg"),
    Sector.ONDERWIJS: _l("Onderwijs"),
    Sector.GEHANDICAPTENZORG: _l("Gehandicaptenzorg"),
    Sector.MAATSCHAPPELIJKE_OPVANG: _l("Maatschappelijke opvang"),
}


# Whether an organisation's people may be the lead (regie voeren) when the organisation says
# nothing itself (``Organisation.may_coordinate`` is NULL). They may: the wijkteam and the
# gemeente, welzijn and maatschappelijk werk, MEE and care providers, youth help, GGZ, addiction
# care, the GP, shelter. They may not, and serve in the back pocket: housing corporations (often
# the party that evicts), the police, debt counselling and income services (they stand between
# the household and its creditors or benefits), schools, informal, faith and sports partners.
# docs/matching.md gives the reasons; a column on the organisation or the person overrides it.
SECTORS_THAT_COORDINATE: frozenset[Sector] = frozenset({
    Sector.GEMEENTE, Sector.WELZIJN, Sector.ZORG, Sector.GGZ, Sector.JEUGD, Sector.HUISARTS,
    Sector.VERSLAVINGSZORG, Sector.GEHANDICAPTENZORG, Sector.MAATSCHAPPELIJKE_OPVANG,
})


def may_coordinate_by_default(sector: str | None) -> bool:
    return sector in SECTORS_THAT_COORDINATE


class RuleKind(StrEnum):
    """Kinds of eligibility rule; the matching module evaluates them against a case."""

    REQUIRES_FIXED_ADDRESS = "requires_fixed_address"
    MIN_AGE = "min_age"
    MAX_AGE = "max_age"
    REQUIRES_INDICATION = "requires_indication"
    REQUIRES_CONSTRAINT = "requires_constraint"
    EXCLUDES_CONSTRAINT = "excludes_constraint"


class ConstraintTag(StrEnum):
    """Tags on a case that eligibility rules refer to."""

    GEEN_VAST_ADRES = "geen_vast_adres"
    AUTISME = "autisme"
    LVB = "lvb"
    VERSLAVING = "verslaving"
    AGRESSIE = "agressie"
    HUISDIEREN = "huisdieren"
    INDICATIE_WMO = "indicatie_wmo"
    INDICATIE_WLZ = "indicatie_wlz"
    INDICATIE_JEUGDWET = "indicatie_jeugdwet"
    MINDERJARIGE_KINDEREN = "minderjarige_kinderen"
    ZORGMIJDEND = "zorgmijdend"


CONSTRAINT_LABELS: dict[ConstraintTag, LazyString] = {
    ConstraintTag.GEEN_VAST_ADRES: _l("geen vast adres"),
    ConstraintTag.AUTISME: _l("autisme (vastgesteld)"),
    ConstraintTag.LVB: _l("LVB"),
    ConstraintTag.VERSLAVING: _l("verslaving"),
    ConstraintTag.AGRESSIE: _l("agressie"),
    ConstraintTag.HUISDIEREN: _l("huisdieren"),
    ConstraintTag.INDICATIE_WMO: _l("Wmo-indicatie"),
    ConstraintTag.INDICATIE_WLZ: _l("Wlz-indicatie"),
    ConstraintTag.INDICATIE_JEUGDWET: _l("beschikking Jeugdwet"),
    ConstraintTag.MINDERJARIGE_KINDEREN: _l("minderjarige kinderen"),
    ConstraintTag.ZORGMIJDEND: _l("zorgmijdend"),
}


class Indication(StrEnum):
    WMO = "wmo"
    WLZ = "wlz"
    JEUGDWET = "jeugdwet"
    ZVW = "zvw"


class CapacityUnit(StrEnum):
    BED = "bed"
    PLEK = "plek"
    UUR_PER_WEEK = "uur_per_week"


# (one, many): "1 bed", "3 bedden".
UNIT_LABELS: dict[CapacityUnit, tuple[LazyString, LazyString]] = {
    CapacityUnit.BED: (_l("bed"), _l("bedden")),
    CapacityUnit.PLEK: (_l("plek"), _l("plekken")),
    CapacityUnit.UUR_PER_WEEK: (_l("uur per week"), _l("uur per week")),
}


class CapacityEventKind(StrEnum):
    SET = "bijgewerkt"
    CLAIM = "geclaimd"
    RELEASE = "vrijgegeven"
    # What became of a claim's hold (netwerk/capacity/holds.py): taken, or free again.
    CONFIRM = "bevestigd"
    DECLINE = "afgewezen"
    EXPIRE = "verlopen"
    WITHDRAW = "ingetrokken"


class HoldStatus(StrEnum):
    """A claim holds one place until the provider answers or the hold expires."""

    OPEN = "open"
    CONFIRMED = "bevestigd"
    DECLINED = "afgewezen"
    EXPIRED = "verlopen"
    WITHDRAWN = "ingetrokken"


class TieKind(StrEnum):
    KENT = "kent"
    WERKT_SAMEN = "werkt_samen"
    COLLEGA = "collega"


class TieSource(StrEnum):
    WERKSESSIE = "werksessie"
    CASUS = "casus"
    HANDMATIG = "handmatig"
    IMPORT = "import"


class Urgency(StrEnum):
    CRISIS = "crisis"
    SPOED = "spoed"
    REGULIER = "regulier"


# The tag on a case (lists, case page) and the choice at intake.
URGENCY_LABELS: dict[Urgency, LazyString] = {
    Urgency.CRISIS: _l("crisis"),
    Urgency.SPOED: _l("spoed"),
    Urgency.REGULIER: _l("regulier"),
}
URGENCY_CHOICES: dict[Urgency, LazyString] = {
    Urgency.CRISIS: _l("Crisis: vandaag iemand"),
    Urgency.SPOED: _l("Spoed: deze week"),
    Urgency.REGULIER: _l("Regulier"),
}


class CaseStatus(StrEnum):
    OPEN = "open"
    LOPEND = "lopend"
    GESLOTEN = "gesloten"


class NeedWeight(StrEnum):
    PRIMAIR = "primair"
    SECUNDAIR = "secundair"


class InvolvementRole(StrEnum):
    BETROKKEN = "betrokken"
    FRONTSOLDAAT = "frontsoldaat"
    BROEKZAK = "broekzak"


class BasisKind(StrEnum):
    """On what a case is shared with a professional (docs/security.md, finding 20)."""

    TOESTEMMING = "toestemming"  # the client's consent: given when, for what
    WETTELIJKE_GROND = "wettelijke_grond"  # a named legal ground


class LegalGround(StrEnum):
    """Named legal grounds for sharing without consent (the coordinator names one)."""

    MELDCODE = "meldcode"  # Wet verplichte meldcode huiselijk geweld en kindermishandeling
    JEUGDWET = "jeugdwet"  # Jeugdwet art. 7.4.0 (taken jeugdhulp, jeugdbescherming)
    WMO = "wmo"  # Wmo 2015 art. 5.1.1 e.v. (onderzoek naar ondersteuning)
    WVGGZ = "wvggz"  # Wet verplichte ggz (crisismaatregel, zorgmachtiging)
    VEILIG_THUIS = "veilig_thuis"  # Wmo 2015 art. 4.1.1: onderzoek door Veilig Thuis
    ZORGPLICHT_NOOD = "noodtoestand"  # conflict van plichten: acuut gevaar voor de cliënt


BASIS_KIND_LABELS: dict[BasisKind, LazyString] = {
    BasisKind.TOESTEMMING: _l("toestemming van de cliënt"),
    BasisKind.WETTELIJKE_GROND: _l("wettelijke grond"),
}
LEGAL_GROUND_LABELS: dict[LegalGround, LazyString] = {
    LegalGround.MELDCODE: _l("Meldcode huiselijk geweld en kindermishandeling"),
    LegalGround.JEUGDWET: _l("Jeugdwet, art. 7.4.0"),
    LegalGround.WMO: _l("Wmo 2015, art. 5.1.1 (onderzoek naar ondersteuning)"),
    LegalGround.WVGGZ: _l("Wet verplichte ggz"),
    LegalGround.VEILIG_THUIS: _l("Wmo 2015, art. 4.1.1 (Veilig Thuis)"),
    LegalGround.ZORGPLICHT_NOOD: _l("Conflict van plichten: acuut gevaar"),
}


class Role(StrEnum):
    """User roles, from least to most rights (a beheerder may do everything)."""

    MEDEWERKER = "medewerker"
    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    BEHEERDER = "beheerder"


T = TypeVar("T")


def _by_value(labels: Mapping[Any, T], value: str, default: T) -> T:
    """``labels`` looked up by a stored value: a StrEnum member hashes and compares as its
    value, so the enum-keyed tables answer for the plain string too."""
    return labels.get(value, default)


def sector_label(sector: str) -> str:
    return str(_by_value(SECTOR_LABELS, sector, sector))


def constraint_label(tag: str) -> str:
    return str(_by_value(CONSTRAINT_LABELS, tag, tag))


def urgency_label(urgency: str) -> str:
    return str(_by_value(URGENCY_LABELS, urgency, urgency))


def unit_label(unit: str, count: int) -> str:
    """The unit for ``count`` of it: "bed" for 1, "bedden" otherwise."""
    one, many = _by_value(UNIT_LABELS, unit, (unit, unit))
    return str(one if count == 1 else many)


class ReportReason(StrEnum):
    """Why someone says a person's or organisation's details are wrong ("klopt niet")."""

    NUMMER_WERKT_NIET = "nummer_werkt_niet"
    WERKT_HIER_NIET_MEER = "werkt_hier_niet_meer"
    ANDERE_FUNCTIE = "andere_functie"
    ANDERS = "anders"


REPORT_REASON_LABELS: dict[ReportReason, LazyString] = {
    ReportReason.NUMMER_WERKT_NIET: _l("Nummer werkt niet"),
    ReportReason.WERKT_HIER_NIET_MEER: _l("Werkt hier niet meer"),
    ReportReason.ANDERE_FUNCTIE: _l("Andere functie"),
    ReportReason.ANDERS: _l("Anders"),
}


class ReportResolution(StrEnum):
    """How an open report was closed: the owner checked and it is right after all, or the
    record was edited (which closes every open report on it)."""

    KLOPT_TOCH = "klopt_toch"
    AANGEPAST = "aangepast"


REPORT_RESOLUTION_LABELS: dict[ReportResolution, LazyString] = {
    ReportResolution.KLOPT_TOCH: _l("klopt toch"),
    ReportResolution.AANGEPAST: _l("aangepast"),
}
