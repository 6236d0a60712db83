"""Directory pages: search, people, organisations, wijken, editing, freshness. The files (vCards,
QR codes, photos) register on the same blueprint (netwerk.directory.blueprint) in
card_views.py, imported here so that ``bp`` carries every route."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from netwerk.auth import policy
from netwerk.db import db
from netwerk.directory import card_views, cards, operations, queries
from netwerk.directory.blueprint import bp
from netwerk.directory.forms import ConfirmForm, ProfessionalForm, ReportForm
from netwerk.directory.photos import InvalidPhoto, process_photo
from netwerk.directory.search import search
from netwerk.extensions import limiter
from netwerk.history import FIELD_LABELS
from netwerk.i18n import _
from netwerk.main import operations as main_operations
from netwerk.models import Area, Organisation, Professional, RecordReport, WorkSession
from netwerk.safe_redirect import local_path
from netwerk.web import get_or_404, parse_int
from netwerk.web.forms import form_or_400

__all__ = ["bp", "card_views"]


def _stale_days() -> int:
    return int(current_app.config.get("STALE_AFTER_DAYS", 180))


def _professional_or_404(professional_id: int, *options) -> Professional:
    return get_or_404(db.session, Professional, professional_id, options=options)


def _search_limit() -> str:
    return current_app.config["SEARCH_RATE_LIMIT"]


def _search_key() -> str:
    """Per signed-in user (not per address: an office shares one)."""
    return f"search:{getattr(current_user, 'id', None) or request.remote_addr}"


@bp.get("/zoeken")
@limiter.limit(_search_limit, key_func=_search_key)
def search_page():
    """Search people and organisations; ``format=json`` gives the same results as JSON."""
    q = request.args.get("q", "")
    result = search(
        db.session, q, viewer_id=getattr(current_user, "professional_id", None),
        stale_after_days=_stale_days()
    )
    if request.args.get("format") == "json":
        return jsonify(result.as_json())
    return render_template("directory/search.html", q=q, result=result)


@bp.get("/personen/<int:professional_id>")
def person(professional_id: int):
    """A professional's profile."""
    return _render_person(professional_id, ReportForm(formdata=None))


def _render_person(professional_id: int, report_form: ReportForm, status: int = 200,
                   report_errors: dict | None = None):
    prof = _professional_or_404(
        professional_id,
        joinedload(Professional.organisation),
        selectinload(Professional.areas),
        selectinload(Professional.domains),
    )
    cases = queries.cases_of(db.session, prof.id, current_user)
    if cases:
        operations.record_case_listing(db.session, current_user, prof.id, cases)
    main_operations.record_opened(db.session, current_user, prof.id)  # for one's home page
    db.session.commit()
    may_check = policy.can_check_professional(current_user, prof)
    reports = queries.open_reports(db.session, professional_id=prof.id)
    return render_template(
        "directory/person.html",
        p=prof,
        ties=queries.ties_of(db.session, prof.id),
        cases=cases,
        stale=queries.is_stale(prof, _stale_days()),
        has_photo=prof.photo_updated_at is not None,
        qr=cards.qr_svg(cards.vcard(prof).serialize()),
        confirm_form=ConfirmForm(),
        favourite=queries.is_favourite(db.session, current_user.id, prof.id),
        may_check=may_check,
        reports=reports,
        my_report=next((r for r in reports if r.reporter_id == current_user.id), None),
        report_form=report_form,
        report_errors=report_errors or {},
        history=queries.history(db.session, "professionals", prof.id) if may_check else None,
        edit_url=_edit_url_person(prof),
        field_labels=FIELD_LABELS,
    ), status


def _edit_url_person(prof: Professional) -> str | None:
    """Where the viewer edits this person: their own edit page, or beheer for an
    organisatiebeheerder; None when they may not."""
    if policy.can_edit_professional(current_user, prof):
        return url_for("directory.edit_person", professional_id=prof.id)
    if policy.can_manage_organisation(current_user, prof.organisation_id):
        return url_for("beheer.personen_detail", obj_id=prof.id)
    return None


def _report_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


def _report_key() -> str:
    return f"report:{getattr(current_user, 'id', None) or request.remote_addr}"


def _file_report(form: ReportForm, back: str, **target):
    """Validate and file a report; on success 303 back (``next`` when it is a local path)."""
    if not form.validate_on_submit():
        errors = {name: f"{field.label.text}: {field.errors[0]}"
                  for name, field in form._fields.items() if field.errors}
        return None, errors or {"reason": _("Het formulier is verlopen; probeer het opnieuw.")}
    try:
        filed = operations.file_report(db.session, current_user, reason=form.reason.data,
                                       note=form.note.data, **target)
    except operations.ReportError as exc:
        db.session.rollback()
        return None, {exc.field or "reason": exc.message}
    db.session.commit()
    if filed.new:
        flash(_("Dank je: gemeld als mogelijk onjuist. Wie de gegevens beheert, kijkt ernaar."),
              "success")
    else:
        flash(_("Je had dit al gemeld; de melding staat nog open."), "info")
    return redirect(local_path(form.next.data or "") or back, code=303), None


@bp.post("/personen/<int:professional_id>/klopt-niet")
@limiter.limit(_report_limit, key_func=_report_key)
def report_person(professional_id: int):
    """"Klopt niet": report that a person's details are wrong (everyone signed in)."""
    prof = _professional_or_404(professional_id)
    policy.require(policy.can_report_record)
    form = ReportForm()
    done, errors = _file_report(form, url_for("directory.person", professional_id=prof.id),
                                professional=prof)
    if done is not None:
        return done
    return _render_person(prof.id, form, 400, errors)


@bp.post("/organisaties/<int:organisation_id>/klopt-niet")
@limiter.limit(_report_limit, key_func=_report_key)
def report_organisation(organisation_id: int):
    """"Klopt niet": report that an organisation's details are wrong (everyone signed in)."""
    org = get_or_404(db.session, Organisation, organisation_id)
    policy.require(policy.can_report_record)
    form = ReportForm()
    done, errors = _file_report(
        form, url_for("directory.organisation", organisation_id=org.id), organisation=org)
    if done is not None:
        return done
    return _render_organisation(org.id, form, 400, errors)


@bp.get("/verifieren/meldingen")
def report_queue():
    """Open "klopt niet" reports the viewer may close: on themself, on their organisation's
    people and the organisation (organisatiebeheerder), on everyone (beheerder)."""
    reports = queries.report_queue(db.session, current_user)
    return render_template("directory/reports.html", reports=reports,
                           confirm_form=ConfirmForm(), edit_urls={
                               r.id: _edit_url_report(r) for r in reports})


def _edit_url_report(report: RecordReport) -> str | None:
    if report.professional is not None:
        return _edit_url_person(report.professional)
    if policy.can_manage_organisation(current_user, report.organisation_id):
        return url_for("beheer.organisaties_detail", obj_id=report.organisation_id)
    return None


@bp.post("/verifieren/meldingen/<int:report_id>/klopt-toch")
def resolve_report(report_id: int):
    """"Klopt toch": the owner checked the reported record and it is right."""
    report = get_or_404(db.session, RecordReport, report_id)
    policy.require(policy.can_resolve_report, report)
    form_or_400(ConfirmForm)
    if operations.resolve_report(db.session, current_user, report):
        flash(_("Afgehandeld: de gegevens kloppen toch."), "success")
    else:
        flash(_("Deze melding was al afgehandeld."), "info")
    db.session.commit()
    target = local_path(request.form.get("next", ""))
    return redirect(target or url_for("directory.report_queue"), code=303)


@bp.post("/personen/<int:professional_id>/favoriet")
def favourite(professional_id: int):
    """Mark a professional as a favourite (``favoriet=0`` unmarks); every signed-in user."""
    prof = _professional_or_404(professional_id)
    form_or_400(ConfirmForm)
    on = request.form.get("favoriet", "1") != "0"
    operations.set_favourite(db.session, current_user, prof, on)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        # netwerk/static/js/favourite.js: the button flips in place, no page load.
        return jsonify(favourite=on, professional_id=prof.id)
    if on:
        flash(_("%(name)s staat bij je favorieten.", name=prof.name), "success")
    else:
        flash(_("%(name)s staat niet meer bij je favorieten.", name=prof.name), "success")
    target = local_path(request.form.get("next", ""))
    return redirect(target or url_for("directory.person", professional_id=prof.id), code=303)


@bp.route("/personen/<int:professional_id>/bewerken", methods=["GET", "POST"])
def edit_person(professional_id: int):
    """Edit a professional's details (oneself, an organisatiebeheerder their organisation's
    people, a beheerder anyone); saving verifies."""
    prof = _professional_or_404(
        professional_id, selectinload(Professional.areas), selectinload(Professional.domains)
    )
    policy.require(policy.can_edit_professional, prof)
    form = ProfessionalForm(obj=None if request.method == "POST" else prof)
    form.areas.choices = [(a.id, a.name) for a in queries.wijken(db.session)]
    form.domains.choices = [(d.id, d.name) for d in queries.domains(db.session)]
    if request.method == "GET":
        _fill_from_record(form, prof)
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if form.validate_on_submit():
        photo_bytes = None
        upload = form.photo.data
        if upload and getattr(upload, "filename", ""):
            try:
                photo_bytes = process_photo(upload.read())
            except InvalidPhoto as exc:
                errors["photo"] = str(exc)
        if not errors:
            data = operations.ProfessionalUpdate(
                name=form.name.data or "",
                role=form.role.data or "",
                mobile=form.mobile.data,
                landline=form.landline.data,
                email=form.email.data,
                languages=[x.strip().lower() for x in (form.languages.data or "").split(",")
                           if x.strip()],
                area_ids=form.areas.data or [],
                domain_ids=form.domains.data or [],
                photo=photo_bytes,
                remove_photo=bool(form.remove_photo.data),
                seen_version=parse_int(form.version.data, minimum=0),
            )
            try:
                operations.update_professional(db.session, prof, data, user=current_user)
            except operations.StaleEdit as exc:
                # Nothing written; the form shows the record as it is now, what was typed
                # is listed beside it so it can be entered again.
                db.session.rollback()
                typed = {f.label.text: f.data for name, f in form._fields.items()
                         if name in TYPED_FIELDS and (f.data or "").strip()}
                prof = _professional_or_404(professional_id, selectinload(Professional.areas),
                                            selectinload(Professional.domains))
                _fill_from_record(form, prof, everything=True)
                errors = {"_stale": exc.message}
                return render_template("directory/edit.html", p=prof, form=form, errors=errors,
                                       typed=typed), 409
            except operations.UpdateError as exc:
                errors = exc.errors
            else:
                db.session.commit()
                flash(_("Gegevens opgeslagen en gecontroleerd."), "success")
                return redirect(url_for("directory.person", professional_id=prof.id))
        db.session.rollback()
    elif request.method == "POST":
        errors = {name: f"{field.label.text}: {field.errors[0]}"
                  for name, field in form._fields.items() if field.errors}
    status = 400 if errors else 200
    return render_template("directory/edit.html", p=prof, form=form, errors=errors,
                           typed=typed), status


TYPED_FIELDS = ("name", "role", "mobile", "landline", "email", "languages")


def _fill_from_record(form, prof: Professional, everything: bool = False) -> None:
    """Put the record's current values in the form (with its version)."""
    if everything:
        form.name.data, form.role.data, form.email.data = prof.name, prof.role, prof.email
    form.mobile.data = _phone_display(prof.mobile)
    form.landline.data = _phone_display(prof.landline)
    form.languages.data = ", ".join(prof.languages or [])
    form.areas.data = [a.id for a in prof.areas]
    form.domains.data = [d.id for d in prof.domains]
    form.version.data = str(prof.version or 1)


@bp.post("/personen/<int:professional_id>/klopt")
def confirm_person(professional_id: int):
    """"Klopt nog": confirm a professional's details with one click."""
    prof = _professional_or_404(professional_id)
    policy.require(policy.can_check_professional, prof)
    form_or_400(ConfirmForm)
    operations.confirm(db.session, current_user, prof)
    db.session.commit()
    flash(_("Bevestigd: de gegevens van %(name)s kloppen nog.", name=prof.name), "success")
    target = local_path(request.form.get("next", ""))
    if target:
        return redirect(target)
    return redirect(url_for("directory.person", professional_id=prof.id))


@bp.get("/verifieren")
def verify_list():
    """Records not confirmed for STALE_AFTER_DAYS: one's own, one's organisation's, or all
    (beheerder)."""
    prof = current_user.professional
    if policy.is_admin(current_user):
        people = queries.stale_professionals(db.session, _stale_days())
        figures = queries.freshness(db.session, _stale_days())
    elif prof is not None:
        people = queries.stale_professionals(
            db.session, _stale_days(), organisation_id=prof.organisation_id
        )
        figures = queries.freshness(db.session, _stale_days(),
                                    organisation_id=prof.organisation_id)
    else:
        people, figures = [], []
    checkable = {p.id for p in people if policy.can_check_professional(current_user, p)}
    return render_template(
        "directory/verify.html", people=people, stale_days=_stale_days(),
        confirm_form=ConfirmForm(), report_form=ReportForm(formdata=None),
        checkable=checkable, figures=figures,
        queue_count=queries.report_queue_count(db.session, current_user),
    )


@bp.get("/organisaties/<int:organisation_id>")
def organisation(organisation_id: int):
    """An organisation: services, eligibility, intake, crisis line, areas, capacity, people."""
    return _render_organisation(organisation_id, ReportForm(formdata=None))


def _render_organisation(organisation_id: int, report_form: ReportForm, status: int = 200,
                         report_errors: dict | None = None):
    page = queries.organisation_page(db.session, organisation_id)
    if page is None:
        abort(404)
    may_check = policy.can_check_organisation(current_user, page.org.id)
    reports = queries.open_reports(db.session, organisation_id=page.org.id)
    return render_template(
        "directory/organisation.html", org=page.org, capacities=page.capacities,
        people=page.people, areas=page.areas, stale_days=_stale_days(),
        freshness=queries.organisation_freshness(db.session, page.org.id, _stale_days()),
        may_check=may_check, reports=reports,
        my_report=next((r for r in reports if r.reporter_id == current_user.id), None),
        report_form=report_form, report_errors=report_errors or {},
        history=queries.history(db.session, "organisations", page.org.id) if may_check
        else None,
        edit_url=url_for("beheer.organisaties_detail", obj_id=page.org.id) if may_check
        else None,
        confirm_form=ConfirmForm(), field_labels=FIELD_LABELS,
    ), status


@bp.get("/wijken/<int:area_id>")
def area(area_id: int):
    """Everyone and every organisation active in a wijk, grouped by sector."""
    area_ = get_or_404(db.session, Area, area_id)
    overview = queries.area_overview(db.session, area_)
    return render_template("directory/area.html", overview=overview, area=area_)


@bp.get("/wijken/<int:area_id>/smoelenboek")
def area_faces(area_id: int):
    """The printable smoelenboek of a wijk: faces, names, roles, numbers."""
    area_ = get_or_404(db.session, Area, area_id)
    people = queries.area_overview(db.session, area_).people
    people.sort(key=lambda p: p.name)
    return render_template(
        "directory/faces.html", title=_("Smoelenboek %(name)s", name=area_.name),
        people=people, vcf_url=url_for("directory.area_vcard", area_id=area_.id),
        back_url=url_for("directory.area", area_id=area_.id),
    )


@bp.get("/smoelenboek/werksessie/<int:session_id>")
def session_faces(session_id: int):
    """The printable smoelenboek of a work session's attendees."""
    work_session = get_or_404(db.session, WorkSession, session_id)
    people = queries.session_attendees(db.session, work_session.id)
    ids = "&".join(f"id={p.id}" for p in people)
    return render_template(
        "directory/faces.html", title=_("Smoelenboek: %(title)s", title=work_session.title),
        people=people, vcf_url=url_for("directory.selection_vcard") + "?" + ids,
        back_url=None,
    )


def _phone_display(e164: str | None) -> str:
    from netwerk.phone import display

    return display(e164)
