"""Work sessions (``/werksessies``): everyone signed in may look; facilitators create and edit,
record who came and because of whom, whom each attendee invites, and the ties made there."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user

from netwerk.auth import policy
from netwerk.db import db
from netwerk.i18n import _
from netwerk.models import Area, TieKind, WorkSession
from netwerk.network import operations, queries, render
from netwerk.network.blueprint import bp
from netwerk.network.forms import (
    AttendanceForm,
    InvitationForm,
    RemoveForm,
    TieForm,
    WorkSessionForm,
    choices,
)
from netwerk.network.graph import ORGANISATION, PROFESSIONAL
from netwerk.network.saving import press, save
from netwerk.web import arg_id, get_or_404


def _session_or_404(ws_id: int) -> WorkSession:
    return get_or_404(db.session, WorkSession, ws_id)


def _detail_url(ws_id: int) -> str:
    return url_for("network.session_detail", ws_id=ws_id)


def _people_choices(people, empty: str | None = None) -> list:
    pairs = [(0, empty)] if empty else []
    return choices(pairs + [(p.id, f"{p.name} ({p.organisation.name})") for p in people])


def _forms(ws: WorkSession) -> dict:
    """The facilitator's forms on the session page, with their choices filled."""
    attendees = sorted((a.professional for a in ws.attendances), key=lambda p: p.name)
    candidates = queries.candidate_professionals(db.session, ws)
    attendance = AttendanceForm(prefix="aanwezig")
    attendance.professional_id.choices = _people_choices(candidates)
    attendance.invited_by_id.choices = _people_choices(
        candidates, _("— niemand, was al betrokken —"))
    invitation = InvitationForm(prefix="uitnodiging")
    invitation.inviter_id.choices = _people_choices(attendees)
    invitation.organisation_id.choices = choices(
        (o.id, o.name) for o in queries.candidate_organisations(db.session, ws))
    invitation.professional_id.choices = _people_choices(candidates, _("— nog onbekend —"))
    tie = TieForm(prefix="lijntje")
    tie.a_id.choices = _people_choices(attendees)
    tie.b_id.choices = _people_choices(attendees)
    return {"attendance_form": attendance, "invitation_form": invitation, "tie_form": tie,
            "remove_form": RemoveForm()}


def _area_choices() -> list:
    return choices(queries.area_choices(db.session))


@bp.route("/werksessies")
def sessions_index():
    """List the work sessions, newest first."""
    policy.require(policy.can_view_network)
    sessions = queries.all_sessions(db.session)
    areas = sorted({ws.area for ws in sessions}, key=lambda a: a.name)
    return render_template("network/sessions.html", sessions=sessions, areas=areas)


@bp.route("/werksessies/nieuw", methods=["GET", "POST"])
def session_new():
    """Create a work session (facilitators)."""
    policy.require(policy.can_facilitate)
    form = WorkSessionForm()
    form.area_id.choices = _area_choices()
    if request.method == "GET":
        form.area_id.data = arg_id("gebied")

    def create():
        ws = operations.create_session(
            db.session, form.title.data, form.date.data, form.area_id.data,
            form.notes.data or "", facilitator_id=current_user.professional_id)
        return _("Werksessie aangemaakt."), _detail_url(ws.id)

    return save(form, create) or render_template("network/session_form.html", form=form, ws=None)


@bp.route("/werksessies/<int:ws_id>/bewerken", methods=["GET", "POST"])
def session_edit(ws_id: int):
    """Edit a work session's title, date, area and notes (facilitators)."""
    policy.require(policy.can_facilitate)
    ws = _session_or_404(ws_id)
    form = WorkSessionForm(obj=ws if request.method == "GET" else None)
    form.area_id.choices = _area_choices()

    def update():
        operations.update_session(db.session, ws, form.title.data, form.date.data,
                                  form.area_id.data, form.notes.data or "")
        return _("Werksessie opgeslagen."), _detail_url(ws.id)

    return save(form, update) or render_template("network/session_form.html", form=form, ws=ws)


@bp.route("/werksessies/<int:ws_id>")
def session_detail(ws_id: int):
    """One work session: who came (because of whom), invitations, ties made there."""
    policy.require(policy.can_view_network)
    ws = _session_or_404(ws_id)
    forms = _forms(ws) if policy.can_facilitate(current_user) else {}
    return render_template("network/session.html", o=queries.overview(db.session, ws),
                           **forms)


def _post(ws_id: int, form_name: str, action) -> object:
    """Save one of the session page's forms (``action`` runs the operation and returns what to
    say), or show the page again with the errors."""
    policy.require(policy.can_facilitate)
    ws = _session_or_404(ws_id)
    forms = _forms(ws)
    form = forms[form_name]
    saved = save(form, lambda: (action(ws, form), _detail_url(ws_id)))
    return saved or (render_template("network/session.html", o=queries.overview(db.session, ws),
                                     **forms), 400)


@bp.route("/werksessies/<int:ws_id>/aanwezig", methods=["POST"])
def session_attend(ws_id: int):
    """Record that someone came (and whose invitation brought them)."""

    def action(ws, form):
        a = operations.record_attendance(db.session, ws, form.professional_id.data,
                                           form.invited_by_id.data or None)
        return _("%(name)s staat op de presentielijst.", name=a.professional.name)

    return _post(ws_id, "attendance_form", action)


@bp.route("/werksessies/<int:ws_id>/aanwezig/<int:professional_id>/verwijderen",
          methods=["POST"])
def session_unattend(ws_id: int, professional_id: int):
    """Take someone off the attendance list."""
    policy.require(policy.can_facilitate)
    ws = _session_or_404(ws_id)
    return press(lambda: operations.remove_attendance(db.session, ws, professional_id),
                 _("Van de presentielijst gehaald."), _detail_url(ws_id))


@bp.route("/werksessies/<int:ws_id>/uitnodiging", methods=["POST"])
def session_invite(ws_id: int):
    """Record whom an attendee invites for the next session."""

    def action(ws, form):
        inv = operations.record_invitation(
            db.session, ws, form.inviter_id.data, form.organisation_id.data,
            form.professional_id.data or None, form.note.data or "")
        return _("%(who)s nodigt %(org)s uit.", who=inv.inviter.name, org=inv.organisation.name)

    return _post(ws_id, "invitation_form", action)


@bp.route("/werksessies/<int:ws_id>/lijntje", methods=["POST"])
def session_tie(ws_id: int):
    """Record that two attendees met at this session."""

    def action(ws, form):
        tie = operations.record_tie(db.session, ws, form.a_id.data, form.b_id.data,
                                      TieKind(form.kind.data))
        return _("Lijntje vastgelegd: %(a)s — %(b)s.", a=tie.a.name, b=tie.b.name)

    return _post(ws_id, "tie_form", action)


@bp.route("/werksessies/groei")
def sessions_growth():
    """The network after each work session of an area, side by side, new parties highlighted."""
    policy.require(policy.can_view_network)
    area_id = arg_id("gebied") or queries.default_area_id(db.session)
    if area_id is None:
        abort(404)
    area = get_or_404(db.session, Area, area_id)
    level = PROFESSIONAL if request.args.get("niveau") == "professionals" else ORGANISATION
    frames = queries.growth_frames(db.session, area.id, level)
    return render_template("network/growth.html", area=area, frames=frames,
                           level_param="professionals" if level == PROFESSIONAL
                           else "organisaties",
                           legend=_growth_legend(frames))


def _growth_legend(frames) -> list[dict[str, str]]:
    if not frames:
        return []
    return render.legend(frames[-1].graph, queries.sector_names())
