"""The network pages' Dutch wording, made from the facts netwerk.network.analysis returns.

Analysis stays pure (no Flask, no translations); the sentences a facilitator reads are put
together here, through netwerk.i18n, and used by the views and templates of the network
blueprint (its context processor gives templates ``cut_point_sentence``, ``bridge_sentence``,
``sector_name``).
"""

from __future__ import annotations

from collections.abc import Iterable

from netwerk.i18n import _
from netwerk.models.enums import SECTOR_LABELS
from netwerk.network.analysis import Bridge, CutPoint

# The labels live beside the enum (netwerk/models/enums.py).
SECTOR_NAMES = {sector.value: label for sector, label in SECTOR_LABELS.items()}


def sector_names() -> dict[str, str]:
    return {key: str(value) for key, value in SECTOR_NAMES.items()}


def sector_name(sector: str) -> str:
    return str(SECTOR_NAMES.get(sector, sector))


def join_nl(items: Iterable[str]) -> str:
    """'A', 'A en B', 'A, B en C'."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " " + _("en") + " " + items[-1]


def cut_point_sentence(cut: CutPoint) -> str:
    """'Als Anouk Verbeek (Lister) wegvalt, verliezen Lister en Portaal hun enige lijn …'."""
    if len(cut.parties) == 1:
        return _("Als %(who)s wegvalt, verliest %(parties)s de enige lijn met de rest van het "
                 "netwerk.", who=cut.who, parties=cut.parties[0])
    return _("Als %(who)s wegvalt, verliezen %(parties)s hun enige lijn met de rest van het "
             "netwerk.", who=cut.who, parties=join_nl(cut.parties))


def bridge_sentence(bridge: Bridge) -> str:
    return _("De lijn tussen %(a)s en %(b)s is de enige verbinding met %(parties)s.",
             a=bridge.a_who, b=bridge.b_who, parties=join_nl(bridge.parties))


def too_many_professionals(n: int) -> str:
    return _("Deze selectie telt %(n)s professionals: te veel om los te tekenen. De kaart toont "
             "organisaties; kies een wijk of zoom in op één organisatie voor de mensen.", n=n)


def focus_outside() -> str:
    return _("Dit knooppunt valt buiten de selectie; de hele kaart wordt getoond.")


def too_many_organisations(n: int, clusters: int) -> str:
    return _("Deze selectie telt %(n)s organisaties: te veel om los te tekenen. De kaart toont "
             "%(c)s clusters (groepen die vooral met elkaar werken); kies een kleiner gebied "
             "voor de organisaties zelf.", n=n, c=clusters)


def template_helpers() -> dict:
    """What the network templates may call."""
    return {"cut_point_sentence": cut_point_sentence, "bridge_sentence": bridge_sentence,
            "sector_name": sector_name}


def table_without_people(n: int) -> str:
    return _("Deze selectie telt %(n)s professionals: de tafel toont alleen organisaties. Kies "
             "een wijk of gemeente om de mensen te zien.", n=n)
