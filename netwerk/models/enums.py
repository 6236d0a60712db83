"""Closed sets of values, stored as strings with a CHECK constraint (see ``enum_column``)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum as SAEnum


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


class Indication(StrEnum):
    WMO = "wmo"
    WLZ = "wlz"
    JEUGDWET = "jeugdwet"
    ZVW = "zvw"


class CapacityUnit(StrEnum):
    BED = "bed"
    PLEK = "plek"
    UUR_PER_WEEK = "uur_per_week"


class CapacityEventKind(StrEnum):
    SET = "bijgewerkt"
    CLAIM = "geclaimd"
    RELEASE = "vrijgegeven"


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


class Role(StrEnum):
    """User roles, from least to most rights (a beheerder may do everything)."""

    MEDEWERKER = "medewerker"
    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    BEHEERDER = "beheerder"
