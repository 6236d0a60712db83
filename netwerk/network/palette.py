"""The table's colours and shapes: at most eight colours a colour-blind viewer tells apart
(Okabe & Ito, 2008), and a shape per sector inside its group, so every sector has its own
colour + shape pair and the legend needs no hue the eye cannot separate.

Pure (no Flask): ``GROUPS`` lists the groups with their colour and sectors; ``style(sector)``
gives the group, colour and shape of one sector; ``legend(sectors)`` the entries for the
sectors present on a map.
"""

from __future__ import annotations

from dataclasses import dataclass

# Okabe–Ito; yellow left out (too light on a white projector screen), black kept for "other".
SHAPES = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class Group:
    key: str
    colour: str
    sectors: tuple[str, ...]


GROUPS: tuple[Group, ...] = (
    Group("zorg", "#0072B2", ("zorg", "huisarts", "gehandicaptenzorg")),
    Group("ggz", "#CC79A7", ("ggz", "verslavingszorg")),
    Group("wonen", "#E69F00", ("wonen", "maatschappelijke_opvang")),
    Group("veiligheid", "#000000", ("politie",)),
    Group("gemeente", "#009E73", ("gemeente", "werk_inkomen", "schuldhulp")),
    Group("welzijn", "#56B4E9", ("welzijn", "informeel", "levensbeschouwing", "sport")),
    Group("jeugd", "#D55E00", ("jeugd", "onderwijs")),
)
OTHER = Group("overig", "#6B6B6B", ())
MAX_COLOURS = 8


@dataclass(frozen=True)
class Style:
    sector: str
    group: str
    colour: str
    shape: str


def style(sector: str) -> Style:
    for group in GROUPS:
        if sector in group.sectors:
            index = group.sectors.index(sector)
            return Style(sector, group.key, group.colour, SHAPES[index % len(SHAPES)])
    return Style(sector, OTHER.key, OTHER.colour, "circle")


def styles(sectors) -> dict[str, dict[str, str]]:
    """Sector -> {group, colour, shape} for the browser."""
    return {s: {"group": st.group, "colour": st.colour, "shape": st.shape}
            for s in sectors for st in (style(s),)}
