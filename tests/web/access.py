"""The world of the access matrix: the seeded demo network plus one signed-in user per
principal, each linked to a seed professional chosen so the case rules are exercised.

Used by tests/web/test_access_matrix.py (and the fuzz tests, which reuse the principals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, text

from netwerk.db import Base, db, utcnow
from netwerk.models import (
    Area,
    AreaKind,
    Attendance,
    Capacity,
    CapacityEvent,
    CapacityEventKind,
    CapacityHold,
    CapacitySubscription,
    Case,
    HoldStatus,
    JobRun,
    Notification,
    Organisation,
    PlanAction,
    Professional,
    RecordReport,
    ReportReason,
    Role,
    Service,
    WorkSession,
)

# principal -> (role, name of the seed professional the account belongs to)
PRINCIPALS: dict[str, tuple[Role, str | None] | None] = {
    "anoniem": None,
    # Anouk Verbeek (Lister): a plain user; her organisation offers the capacity under test.
    "medewerker": (Role.MEDEWERKER, "Anouk Verbeek"),
    # Esther Kuipers (wijkteam): coordinator of case NWG-2026-0001 (the case under test).
    "coordinator": (Role.COORDINATOR, "Esther Kuipers"),
    "facilitator": (Role.FACILITATOR, "Mirjam Hoekstra"),
    "beheerder": (Role.BEHEERDER, None),
    # Paul Verhoef (huisartsenpost): involved in the case, does not coordinate it.
    "betrokkene": (Role.MEDEWERKER, "Paul Verhoef"),
    # Nicole van Rijn: Paul's colleague at the same huisartsenpost, NOT involved (seed 000).
    "collega": (Role.MEDEWERKER, "Nicole van Rijn"),
    # Jolanda Verbruggen (Vitras): another organisation, not involved; a coordinator by role,
    # which must not open someone else's case.
    "buitenstaander": (Role.COORDINATOR, "Jolanda Verbruggen"),
    # Femke van den Berg (Lister, Anouk's organisation): a medewerker who is also Lister's
    # organisatiebeheerder (users.organisation_admin): beheer of Lister's own organisation,
    # people, services and accounts; nothing of another organisation, no reference data.
    "organisatiebeheerder": (Role.MEDEWERKER, "Femke van den Berg"),
}
ORGANISATION_ADMINS = {"organisatiebeheerder"}


@dataclass
class World:
    ids: dict[str, int]
    users: dict[str, object]


def build_world(session, make) -> World:
    """Accounts for the principals and the objects the matrix's URLs point at (committed)."""
    def prof(name: str) -> Professional:
        return session.scalar(select(Professional).where(Professional.name == name))

    users = {}
    for key, spec in PRINCIPALS.items():
        if spec is None:
            continue
        role, name = spec
        users[key] = make.user(role, professional=prof(name) if name else None,
                               email=f"{key}@matrix.example")
        users[key].organisation_admin = key in ORGANISATION_ADMINS
    case = session.scalar(select(Case).where(Case.reference == "NWG-2026-0001"))
    other_case = session.scalar(select(Case).where(Case.reference == "NWG-2026-0002"))
    action = PlanAction(case=case, professional_id=prof("Paul Verhoef").id, what="Bellen met de POH")
    session.add(action)
    lister = session.scalar(select(Organisation).where(Organisation.name.like("Lister%")))
    capacity = session.scalar(
        select(Capacity).join(Service).where(Service.organisation_id == lister.id,
                                             Service.name == "Herstelwerkplaats")
    )
    # A place claimed for the case: the count's history must show the case only to its people.
    capacity.available -= 1
    session.add(CapacityEvent(capacity_id=capacity.id, kind=CapacityEventKind.CLAIM, delta=-1,
                              available_after=capacity.available, maximum_after=capacity.maximum,
                              case_id=case.id, user_id=None, note="voor de casus"))
    wijk = session.scalar(select(Area).where(Area.kind == AreaKind.WIJK).order_by(Area.id))
    ws = session.scalar(select(WorkSession).order_by(WorkSession.id))
    attendee = session.scalar(select(Attendance.professional_id)
                              .where(Attendance.work_session_id == ws.id)
                              .order_by(Attendance.professional_id))
    gemeente = session.scalar(select(Area).where(Area.name == "Nieuwegein"))
    # "Klopt niet" on Anouk's record, by her outsider colleague: she and a beheerder close it.
    report = RecordReport(professional_id=users["medewerker"].professional_id,
                          reporter_id=users["buitenstaander"].id,
                          reason=ReportReason.NUMMER_WERKT_NIET, note="geen gehoor")
    session.add(report)
    # An open hold of the colleague on the count (issue 16), a message in Anouk's inbox and her
    # "laat me weten".
    capacity.available -= 1
    hold = CapacityHold(capacity_id=capacity.id, user_id=users["collega"].id, amount=1,
                        note="", status=HoldStatus.OPEN, expires_at=utcnow() + timedelta(hours=4))
    session.add(hold)
    message = Notification(user_id=users["medewerker"].id, kind="hold_new",
                           text="Nieuwe reservering", link=f"/plek/{capacity.id}")
    session.add(message)
    subscription = CapacitySubscription(user_id=users["medewerker"].id,
                                        capacity_type_id=capacity.capacity_type_id,
                                        area_id=gemeente.id)
    session.add(subscription)
    # A finished web import (a dry run) started by the beheerder: its page and status.json.
    from netwerk.interchange.jobs import StoredReport

    import_run = JobRun(key="import-matrix", kind="import", state="klaar",
                        options='{"dry_run": true}', user_id=users["beheerder"].id,
                        result=StoredReport(ok=True, dry_run=True,
                                            lines=["organisaties: 1 rijen"]).to_json())
    session.add(import_run)
    session.commit()
    ids = {
        "case": case.id, "other_case": other_case.id, "action": action.id,
        "basis": case.bases[0].id,  # the consent the case is shared on (seed)
        "capacity": capacity.id, "org": lister.id, "wijk": wijk.id, "session": ws.id,
        "me": users["medewerker"].professional_id,  # Anouk: only she and a beheerder edit her
        "paul": prof("Paul Verhoef").id,
        "attendee": attendee, "gemeente": gemeente.id,
        # beheer (issue 17): an account, a service and a capacity type to open.
        "account": users["medewerker"].id, "service": capacity.service_id,
        "ctype": capacity.capacity_type_id,
        # Another organisation's objects (Jolanda's): out of the organisatiebeheerder's reach.
        "other_org": prof("Jolanda Verbruggen").organisation_id,
        "other_account": users["buitenstaander"].id,
        "jolanda": prof("Jolanda Verbruggen").id,
        "other_service": session.scalar(
            select(Service.id).where(Service.organisation_id ==
                                     prof("Jolanda Verbruggen").organisation_id)
            .order_by(Service.id)),
        "femke": prof("Femke van den Berg").id,
        "report": report.id,
        "matrix_email": users["medewerker"].email,
        "hold": hold.id, "notification": message.id, "subscription": subscription.id,
        "import_run": import_run.id,
    }
    return World(ids=ids, users=users)


def csrf_token(client) -> str:
    """A valid CSRF token for this client's session (from a page it may open)."""
    for url in ("/account/wachtwoord", "/login"):
        page = client.get(url).get_data(as_text=True)
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(r'name="csrf_token" value="([^"]+)"', page)
        if found:
            return found.group(1)
    raise AssertionError("no CSRF token found on /account/wachtwoord or /login")


# Records of reading, which a GET may write: the audit log, and the profiles a user recently
# opened (their home page's "Laatst bekeken").
READ_RECORDS = ("audit_log", "recently_opened")
# Derived data a read may write: the stored layout of a map (netwerk/network/positions.py,
# computed on an area's first view, insert-or-ignore).
DERIVED = ("node_positions",)


def snapshot(session, *, skip=READ_RECORDS) -> dict[str, list]:
    """Every row of every table (the demo network is small), for 'nothing changed' checks;
    the tables in ``DERIVED`` are left out."""
    skip = (*skip, *DERIVED)
    session.expire_all()
    result = {}
    for table in Base.metadata.sorted_tables:
        if table.name in skip:
            continue
        cols = [c.name for c in table.columns if c.name != "photo"]
        order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns) or "1"
        rows = session.execute(text(
            f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table.name}" '
            f"ORDER BY {order}")).all()
        result[table.name] = [tuple(r) for r in rows]
    session.rollback()
    return result


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


__all__ = ["untokened", "ORGANISATION_ADMINS", "PRINCIPALS", "READ_RECORDS", "World", "build_world", "changed_tables",
           "csrf_token", "db",
           "snapshot"]


def untokened(html: str) -> str:
    """A page without its per-request parts (the CSRF token, signed with the second it was made
    in, and the CSP nonce), for "these two answers are alike" checks."""
    html = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', html)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)
