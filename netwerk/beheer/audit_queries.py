"""Reading the audit log for /beheer/audit (finding 17): one row per event with who (name and
e-mail), what, which case (its reference) and when; filtered, paginated, as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from netwerk.i18n import _l
from netwerk.models import AuditEntry, Case, Professional, User

PAGE_SIZE = 50
LOCAL = ZoneInfo("Europe/Amsterdam")  # the dates a beheerder types are Dutch days
CSV_MAX_ROWS = 50_000

# What happened, as a beheerder reads it.
ACTION_LABELS = {
    "view": _l("bekeken"),
    "list": _l("in een lijst getoond"),
    "view_case_listing": _l("in een profiel getoond"),
    "capacity_history_view": _l("in de plekgeschiedenis getoond"),
    "refused": _l("geweigerd"),
    "login": _l("aangemeld"),
    "login_failed": _l("aanmelden mislukt"),
    "logout": _l("afgemeld"),
    "sign_out_everywhere": _l("overal afgemeld"),
    "password_change": _l("wachtwoord gewijzigd"),
    "create": _l("aangemaakt"),
    "decide_lead": _l("frontsoldaat gekozen"),
    "add_action": _l("actie toegevoegd"),
    "action_done": _l("actie afgevinkt"),
    "close": _l("gesloten"),
    "purge": _l("verwijderd na bewaartermijn"),
    "capacity_claim": _l("plek geclaimd"),
    "capacity_release": _l("plek vrijgegeven"),
    "export_hsds": _l("geëxporteerd (HSDS)"),
    "audit_export": _l("auditlog geëxporteerd"),
    "restore": _l("back-up teruggezet"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@dataclass(frozen=True)
class AuditFilter:
    who: str = ""  # part of a name or e-mail
    what: str = ""  # an action
    case: str = ""  # a case reference
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    name: str
    email: str
    action: str
    what: str
    reference: str
    object_type: str


@dataclass
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    pages: int


def _query(flt: AuditFilter):
    query = (
        select(AuditEntry, User.email, Professional.name, Case.reference)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .outerjoin(Professional, Professional.id == User.professional_id)
        .outerjoin(Case, (AuditEntry.object_type == "case") & (Case.id == AuditEntry.object_id))
    )
    if flt.who:
        like = f"%{flt.who.lower()}%"
        query = query.where(or_(func.lower(User.email).like(like),
                                func.lower(Professional.name).like(like)))
    if flt.what:
        query = query.where(AuditEntry.action == flt.what)
    if flt.case:
        query = query.where(func.upper(Case.reference) == flt.case.strip().upper())
    if flt.since:
        query = query.where(AuditEntry.at >= datetime.combine(flt.since, time.min, LOCAL))
    if flt.until:
        query = query.where(AuditEntry.at < datetime.combine(flt.until + timedelta(days=1),
                                                             time.min, LOCAL))
    return query


def _row(entry: AuditEntry, email, name, reference) -> AuditRow:
    return AuditRow(at=entry.at, name=name or "", email=email or "", action=entry.action,
                    what=action_label(entry.action), reference=reference or "",
                    object_type=entry.object_type)


def audit_page(session: Session, flt: AuditFilter, page: int = 1) -> AuditPage:
    query = _query(flt)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = session.execute(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                           .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return AuditPage([_row(*r) for r in rows], total, page, pages)


def _cell(value: str) -> str:
    """A spreadsheet never runs a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def audit_csv(session: Session, flt: AuditFilter) -> tuple[str, int]:
    """(CSV text, rows) of the events matching ``flt``, newest first."""
    rows = session.execute(_query(flt).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                           .limit(CSV_MAX_ROWS)).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["wanneer", "naam", "e-mail", "wat", "actie", "casus", "soort"])
    for r in rows:
        row = _row(*r)
        writer.writerow([_cell(x) for x in (row.at.isoformat(), row.name, row.email, row.what,
                                            row.action, row.reference, row.object_type)])
    return out.getvalue(), len(rows)
