"""/beheer/audit: the audit log for beheerders, filterable, paginated and as CSV (the export
itself audited). Finding 17 of docs/security.md."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request
from flask_login import current_user

from netwerk import audit
from netwerk.auth import policy
from netwerk.beheer import bp
from netwerk.beheer.audit_queries import (
    ACTION_LABELS,
    AuditFilter,
    audit_csv,
    audit_page,
)
from netwerk.db import db
from netwerk.i18n import _
from netwerk.web import BadArgument, arg_page


def _date(name: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadArgument(_("'%(name)s': geef een datum als 2026-12-31.", name=name),
                          name) from None


def _filter() -> AuditFilter:
    what = (request.args.get("wat") or "").strip()
    if what and what not in ACTION_LABELS:
        raise BadArgument(_("'%(name)s': onbekende waarde '%(value)s'.", name="wat",
                            value=what), "wat")
    return AuditFilter(who=(request.args.get("wie") or "").strip()[:100], what=what,
                       case=(request.args.get("casus") or "").strip()[:32],
                       since=_date("van"), until=_date("tot"))


@bp.get("/audit")
def audit_log():
    """Who viewed, exported, was refused, signed in (or failed to), which case, when."""
    policy.require(policy.can_view_audit)
    flt = _filter()
    page = audit_page(db.session, flt, arg_page("pagina"))
    return render_template("beheer/audit.html", page=page, flt=flt,
                           actions=sorted(ACTION_LABELS.items(), key=lambda kv: str(kv[1])),
                           args={k: v for k, v in request.args.items() if k != "pagina"})


@bp.get("/audit.csv")
def audit_export():
    """The filtered audit log as CSV; the export is itself in the audit log."""
    policy.require(policy.can_view_audit)
    flt = _filter()
    text, count = audit_csv(db.session, flt)
    audit.record(db.session, current_user, "audit_export", "audit_log", None, rows=count,
                 filter={k: str(v) for k, v in vars(flt).items() if v})
    db.session.commit()
    return Response("\ufeff" + text, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="auditlog.csv"'})
