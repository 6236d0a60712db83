"""Every value users see has exactly one label, kept beside its enum."""

from __future__ import annotations

import pytest

from netwerk.models import enums
from netwerk.models.enums import (
    CONSTRAINT_LABELS,
    SECTOR_LABELS,
    UNIT_LABELS,
    URGENCY_CHOICES,
    URGENCY_LABELS,
    CapacityUnit,
    ConstraintTag,
    Sector,
    Urgency,
)


@pytest.mark.parametrize(("enum_cls", "labels"), [
    (Sector, SECTOR_LABELS), (ConstraintTag, CONSTRAINT_LABELS), (Urgency, URGENCY_LABELS),
    (Urgency, URGENCY_CHOICES), (CapacityUnit, UNIT_LABELS),
])
def test_every_member_has_a_label(enum_cls, labels):
    assert set(labels) == set(enum_cls)


def test_a_stored_string_finds_the_same_label_as_the_member():
    assert enums.sector_label("werk_inkomen") == "Werk en inkomen"
    assert enums.sector_label(Sector.GGZ) == "GGZ"
    assert enums.constraint_label("indicatie_wmo") == "Wmo-indicatie"
    assert enums.urgency_label(Urgency.CRISIS) == "crisis"
    assert (enums.unit_label("bed", 1), enums.unit_label("bed", 3)) == ("bed", "bedden")
    # An unknown value is shown as it is, not dropped.
    assert enums.sector_label("onbekend") == "onbekend"


def test_a_rule_names_its_constraint_by_the_same_label():
    from netwerk.models.organisation import describe_rule

    assert describe_rule("excludes_constraint", "indicatie_wmo", None) == "niet bij: Wmo-indicatie"
