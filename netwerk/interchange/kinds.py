"""The kinds of record netwerk imports, their columns, and a template row for each.

The columns are those of the seed files (seed_data/README.md), so a seed folder imports as is.
Documented in docs/interchange.md; ``template_csv`` serves the downloadable templates.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from netwerk import csvsafe as safe_csv


@dataclass(frozen=True)
class Kind:
    name: str            # file stem: professionals.csv / professionals.json
    label: str           # Dutch, for reports
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    example: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


KINDS: tuple[Kind, ...] = (
    Kind("areas", "gebieden", ("key", "kind", "name"), ("parent_key", "code"),
         {"key": "regio-lekstroom", "kind": "regio", "name": "Lekstroom", "parent_key": "",
          "code": ""}, ("gebieden",)),
    Kind("domains", "domeinen", ("key", "name"), (),
         {"key": "wonen", "name": "Wonen"}, ("domeinen",)),
    Kind("organisations", "organisaties", ("key", "name", "sector"),
         ("description", "phone", "crisis_phone", "intake_route", "website", "email"),
         {"key": "org-portaal", "name": "Portaal", "sector": "wonen",
          "description": "Woningcorporatie", "phone": "030 123 4567", "crisis_phone": "",
          "intake_route": "Bel de woonconsulent", "website": "https://portaal.example",
          "email": "info@portaal.example"}, ("organisaties",)),
    Kind("services", "aanbod", ("key", "organisation_key", "name"),
         ("description", "domains", "areas", "intake_route"),
         {"key": "portaal-woonconsulent", "organisation_key": "org-portaal",
          "name": "Woonconsulent", "description": "Hulp bij huurachterstand",
          "domains": "wonen", "areas": "regio-lekstroom", "intake_route": "Bellen"},
         ("aanbod", "diensten")),
    Kind("eligibility_rules", "toegangsregels", ("service_key", "kind"),
         ("value", "description"),
         {"service_key": "portaal-woonconsulent", "kind": "min_age", "value": "18",
          "description": ""}, ("toegangsregels", "toegangscriteria")),
    Kind("capacity_types", "capaciteitssoorten", ("key", "name", "unit"),
         ("stale_after_hours",),
         {"key": "noodplek", "name": "Noodplek", "unit": "bed", "stale_after_hours": "24"},
         ("capaciteitssoorten",)),
    Kind("professionals", "professionals", ("key", "name", "organisation_key"),
         ("role", "mobile", "landline", "email", "wijken", "domains", "languages",
          "caseload", "caseload_max", "available"),
         {"key": "prof-0001", "name": "Anna de Vries", "organisation_key": "org-portaal",
          "role": "woonconsulent", "mobile": "06 1234 5678", "landline": "",
          "email": "a.devries@portaal.example", "wijken": "regio-lekstroom",
          "domains": "wonen", "languages": "nl;en", "caseload": "12", "caseload_max": "20",
          "available": "ja"}, ("personen", "medewerkers")),
    Kind("ties", "lijntjes", ("a_key", "b_key"), ("kind", "source", "since", "note"),
         {"a_key": "prof-0001", "b_key": "prof-0002", "kind": "kent", "source": "import",
          "since": "2026-01-15", "note": ""}, ("lijntjes",)),
    Kind("capacities", "capaciteiten", ("service_key", "area_key", "type_key", "available",
                                         "maximum"), (),
         {"service_key": "portaal-woonconsulent", "area_key": "regio-lekstroom",
          "type_key": "noodplek", "available": "2", "maximum": "5"}, ("capaciteiten",)),
)

BY_NAME: dict[str, Kind] = {}
for _kind in KINDS:
    BY_NAME[_kind.name] = _kind
    for _alias in _kind.aliases:
        BY_NAME[_alias] = _kind


def kind_for_filename(filename: str, by_name: dict[str, Kind] | None = None) -> Kind | None:
    """The kind a file holds, judged by its name (``professionals.csv``, ``Personen.CSV``)."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0].strip().lower().replace(" ", "_")
    return (BY_NAME if by_name is None else by_name).get(stem)


def template_csv(kind: Kind) -> str:
    """The header and one example row, as UTF-8 CSV text."""
    out = io.StringIO()
    writer = safe_csv.writer(out, lineterminator="\r\n")
    writer.writerow(kind.columns)
    writer.writerow([kind.example.get(c, "") for c in kind.columns])
    return out.getvalue()
