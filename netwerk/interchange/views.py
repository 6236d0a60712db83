"""Upload page for an import (beheerder) and the import's own page with its progress bar
(the import runs as a job, netwerk/interchange/jobs.py), CSV templates per kind, and the HSDS
download."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from netwerk import audit
from netwerk.auth import policy
from netwerk.db import db
from netwerk.i18n import _
from netwerk.interchange.forms import ImportForm
from netwerk.interchange.hsds import export_hsds
from netwerk.interchange.jobs import KIND as IMPORT_KIND
from netwerk.interchange.jobs import run_status, start_import
from netwerk.interchange.kinds import BY_NAME, KINDS, template_csv
from netwerk.models import JobRun
from netwerk.web import arg_int, get_or_404
from netwerk.web.download import download

bp = Blueprint("interchange", __name__)

MAX_UPLOAD_FILES = 20


@bp.route("/import", methods=["GET", "POST"])
def upload():
    """The upload form; a valid upload becomes an import job (its page shows the progress)."""
    policy.require(policy.can_import)
    form = ImportForm()
    if form.validate_on_submit():
        files = [f for f in form.files.data if f and f.filename][:MAX_UPLOAD_FILES]
        run = start_import(db.session, current_user.id,
                           [(f.filename, f.read()) for f in files], dry_run=form.dry_run.data)
        db.session.commit()
        return redirect(url_for("interchange.import_run", run_id=run.id), code=303)
    return render_template("interchange/upload.html", form=form, kinds=KINDS)


def _run_or_404(run_id: str) -> JobRun:
    """The import run ``run_id`` for a viewer who may see it: 403 before anything is looked
    up (an outsider learns nothing of which runs exist), 404 for an id that is no import."""
    policy.require(policy.can_view_import_run)
    run = get_or_404(db.session, JobRun, run_id)
    if run.kind != IMPORT_KIND:
        abort(404)
    return run


@bp.get("/import/<run_id>")
def import_run(run_id: str):
    """An import's page: its progress bar while it runs, its report when it is done."""
    status = run_status(_run_or_404(run_id))
    return render_template("interchange/run.html", status=status, report=status.report)


@bp.get("/import/<run_id>/status.json")
def run_status_json(run_id: str):
    """What the progress bar polls (netwerk/static/js/import-progress.js)."""
    status = run_status(_run_or_404(run_id))
    response = jsonify(status.as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    flash(_("De bestanden zijn samen groter dan %(mb)s MB. Importeer grote bestanden op de "
            "server met: netwerk import PAD", mb=_max_mb()), "error")
    return render_template("interchange/upload.html", form=ImportForm(formdata=None),
                           kinds=KINDS), 413


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
