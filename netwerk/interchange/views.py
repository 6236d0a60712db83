"""Upload page for an import (beheerder), CSV templates per kind, and the HSDS download."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, render_template
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from netwerk import audit
from netwerk.auth import policy
from netwerk.db import db
from netwerk.i18n import _
from netwerk.interchange.forms import ImportForm
from netwerk.interchange.hsds import export_hsds
from netwerk.interchange.importer import Source, run_import
from netwerk.interchange.kinds import BY_NAME, KINDS, template_csv
from netwerk.web import arg_int
from netwerk.web.download import download

bp = Blueprint("interchange", __name__)

MAX_UPLOAD_FILES = 20


@bp.route("/import", methods=["GET", "POST"])
def upload():
    policy.require(policy.can_import)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        files = [f for f in form.files.data if f and f.filename][:MAX_UPLOAD_FILES]
        sources = [Source(f.filename, f.read()) for f in files]
        report = run_import(db.session, sources, dry_run=form.dry_run.data, user=current_user)
        if report.ok and not report.dry_run:
            db.session.commit()
        else:
            db.session.rollback()
    return render_template("interchange/upload.html", form=form, report=report, kinds=KINDS)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    flash(_("De bestanden zijn samen groter dan %(mb)s MB. Importeer grote bestanden op de "
            "server met: netwerk import PAD", mb=_max_mb()), "error")
    return render_template("interchange/upload.html", form=ImportForm(formdata=None),
                           report=None, kinds=KINDS), 413


def _max_mb() -> int:
    from flask import current_app

    return (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)


@bp.get("/import/sjablonen/<kind>.csv")
def template(kind: str):
    """A CSV with the header and one example row (UTF-8 with BOM, so Excel reads it right)."""
    found = BY_NAME.get(kind)
    if found is None or found.name != kind:
        abort(404)
    body = "\ufeff" + template_csv(found)
    return download(body, f"{kind}.csv", "text/csv; charset=utf-8")


@bp.get("/export/hsds.json")
def hsds():
    policy.require(policy.can_export)
    # Personal contacts only when asked for explicitly (?contactpersonen=1, the checkbox).
    personal = arg_int("contactpersonen", 0, minimum=0, maximum=1) == 1
    body = json.dumps(export_hsds(db.session, personal_contacts=personal), ensure_ascii=False,
                      indent=2)
    audit.record(db.session, current_user, "export_hsds", "network", None,
                 personal_contacts=personal)
    db.session.commit()
    return download(body, "netwerk-hsds.json", "application/json")
