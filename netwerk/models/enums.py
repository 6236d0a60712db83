"""Closed sets of values, stored as strings with a CHECK constraint (see ``enum_type``).

Each set that users see declares every member with its label (``LabelledEnum``: lazy
translated strings); the ``…_LABELS`` tables below are derived from those declarations, keyed
by member (a plain string value finds its label too). Every page, form, export and template
takes the label from here (templates through the ``sector_label``, ``constraint_label``,
``urgency_label`` and ``unit_label`` filters).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self, TypeVar

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


class LabelledEnum(StrEnum):
    """A closed set whose members are declared with their label: ``ZORG = "zorg", _l("Zorg")``.

    The value is the string alone: it is what is stored, compared and looked up
    (``Sector("zorg") is Sector.ZORG``). ``member.label`` is the label, a lazy string translated
    where it is shown, and ``labels()`` maps every member to it. A set with more than one text
    per member declares them in order (``texts``) and names the others (``Urgency.choice``).
    """

    texts: tuple[LazyString, ...]

    if TYPE_CHECKING:
        # The type checker takes ``__new__`` for the signature of ``Sector("zorg")``, which looks
        # a member up by its value (python/mypy#10573); the members' texts are no part of it.
        def __new__(cls, value: str) -> Self: ...

    else:

        def __new__(cls, value, *texts):
            member = str.__new__(cls, value)
            member._value_ = value
            member.texts = texts
            return member

    @property
    def label(self) -> LazyString:
        return self.texts[0]

    @classmethod
    def labels(cls) -> dict[Self, LazyString]:
        return {member: member.label for member in cls}


class AreaKind(StrEnum):
    REGIO = "regio"
    GEMEENTE = "gemeente"
    WIJK = "wijk"


class Sector(LabelledEnum):
    ZORG = "zorg", _l("Zorg")
    GGZ = "ggz", _l("GGZ")
    WONEN = "wonen", _l("Wonen (corporaties)")
    POLITIE = "politie", _l("Politie")
    GEMEENTE = "gemeente", _l("Gemeente")
    WELZIJN = "welzijn", _l("Welzijn")
    JEUGD = "jeugd", _l("Jeugd")
    SCHULDHULP = "schuldhulp", _l("Schuldhulp")
    WERK_INKOMEN = "werk_inkomen", _l("Werk en inkomen")
    HUISARTS = "huisarts", _l("Huisarts")
    INFORMEEL = "informeel", _l("Informeel (vrijwilligers)")
    LEVENSBESCHOUWING = "levensbeschouwing", _l("Levensbeschouwing (kerk, moskee)")
    SPORT = "sport", _l("Sport")
    VERSLAVINGSZORG = "verslavingszorg", _l("Verslavingszorg")
    ONDERWIJS = "onderwijs", _l("Onderwijs")
    GEHANDICAPTENZORG = "gehandicaptenzorg", _l("Gehandicaptenzorg")
    MAATSCHAPPELIJKE_OPVANG = "maatschappelijke_opvang", _l("Maatschappelijke opvang")


SECTOR_LABELS: dict[Sector, LazyString] = Sector.labels()


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


class ConstraintTag(LabelledEnum):
    """Tags on a case that eligibility rules refer to."""

    GEEN_VAST_ADRES = "geen_vast_adres", _l("geen vast adres")
    AUTISME = "autisme", _l("autisme (vastgesteld)")
    LVB = "lvb", _l("LVB")
    VERSLAVING = "verslaving", _l("verslaving")
    AGRESSIE = "agressie", _l("agressie")
    HUISDIEREN = "huisdieren", _l("huisdieren")
    INDICATIE_WMO = "indicatie_wmo", _l("Wmo-indicatie")
    INDICATIE_WLZ = "indicatie_wlz", _l("Wlz-indicatie")
    INDICATIE_JEUGDWET = "indicatie_jeugdwet", _l("beschikking Jeugdwet")
    MINDERJARIGE_KINDEREN = "minderjarige_kinderen", _l("minderjarige kinderen")
    ZORGMIJDEND = "zorgmijdend", _l("zorgmijdend")


CONSTRAINT_LABELS: dict[ConstraintTag, LazyString] = ConstraintTag.labels()


class Indication(StrEnum):
    WMO = "wmo"
    WLZ = "wlz"
    JEUGDWET = "jeugdwet"
    ZVW = "zvw"


class CapacityUnit(LabelledEnum):
    """Declared with the unit for one, then for more: "1 bed", "3 bedden"."""

    BED = "bed", _l("bed"), _l("bedden")
    PLEK = "plek", _l("plek"), _l("plekken")
    UUR_PER_WEEK = "uur_per_week", _l("uur per week"), _l("uur per week")

    @property
    def plural(self) -> LazyString:
        return self.texts[1]


# (one, many).
UNIT_LABELS: dict[CapacityUnit, tuple[LazyString, LazyString]] = {
    unit: (unit.label, unit.plural) for unit in CapacityUnit}


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


class Urgency(LabelledEnum):
    """Declared with the tag on a case (lists, case page), then the choice at intake."""

    CRISIS = "crisis", _l("crisis"), _l("Crisis: vandaag iemand")
    SPOED = "spoed", _l("spoed"), _l("Spoed: deze week")
    REGULIER = "regulier", _l("regulier"), _l("Regulier")

    @property
    def choice(self) -> LazyString:
        return self.texts[1]


URGENCY_LABELS: dict[Urgency, LazyString] = Urgency.labels()
URGENCY_CHOICES: dict[Urgency, LazyString] = {urgency: urgency.choice for urgency in Urgency}


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


class BasisKind(LabelledEnum):
    """On what a case is shared with a professional (docs/security.md, finding 20): the
    client's consent (given when, for what) or a named legal ground."""

    TOESTEMMING = "toestemming", _l("toestemming van de cliënt")
    WETTELIJKE_GROND = "wettelijke_grond", _l("wettelijke grond")


class LegalGround(LabelledEnum):
    """Named legal grounds for sharing without consent (the coordinator names one)."""

    # Wet verplichte meldcode huiselijk geweld en kindermishandeling
    MELDCODE = "meldcode", _l("Meldcode huiselijk geweld en kindermishandeling")
    # Jeugdwet art. 7.4.0 (taken jeugdhulp, jeugdbescherming)
    JEUGDWET = "jeugdwet", _l("Jeugdwet, art. 7.4.0")
    # Wmo 2015 art. 5.1.1 e.v. (onderzoek naar ondersteuning)
    WMO = "wmo", _l("Wmo 2015, art. 5.1.1 (onderzoek naar ondersteuning)")
    # Wet verplichte ggz (crisismaatregel, zorgmachtiging)
    WVGGZ = "wvggz", _l("Wet verplichte ggz")
    # Wmo 2015 art. 4.1.1: onderzoek door Veilig Thuis
    VEILIG_THUIS = "veilig_thuis", _l("Wmo 2015, art. 4.1.1 (Veilig Thuis)")
    # Conflict van plichten: acuut gevaar voor de cliënt
    ZORGPLICHT_NOOD = "noodtoestand", _l("Conflict van plichten: acuut gevaar")


BASIS_KIND_LABELS: dict[BasisKind, LazyString] = BasisKind.labels()
LEGAL_GROUND_LABELS: dict[LegalGround, LazyString] = LegalGround.labels()


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


class ReportReason(LabelledEnum):
    """Why someone says a person's or organisation's details are wrong ("klopt niet")."""

    NUMMER_WERKT_NIET = "nummer_werkt_niet", _l("Nummer werkt niet")
    WERKT_HIER_NIET_MEER = "werkt_hier_niet_meer", _l("Werkt hier niet meer")
    ANDERE_FUNCTIE = "andere_functie", _l("Andere functie")
    ANDERS = "anders", _l("Anders")


REPORT_REASON_LABELS: dict[ReportReason, LazyString] = ReportReason.labels()


class ReportResolution(LabelledEnum):
    """How an open report was closed: the owner checked and it is right after all, or the
    record was edited (which closes every open report on it)."""

    KLOPT_TOCH = "klopt_toch", _l("klopt toch")
    AANGEPAST = "aangepast", _l("aangepast")


REPORT_RESOLUTION_LABELS: dict[ReportResolution, LazyString] = ReportResolution.labels()
