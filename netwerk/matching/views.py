"""Case pages: mijn casussen, intake, the case with its suggestion, decision and plan.

Each view checks the policy, parses the form, calls one operation (netwerk.matching.operations:
validate, change, flush, audit) or query (netwerk.matching.queries: the case page computed
once), maps a CaseError onto the form and renders."""

from __future__ import annotations

import random
import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, OperationalError

from netwerk.auth import policy
from netwerk.db import db
from netwerk.i18n import _, _n
from netwerk.matching import operations, queries, wording
from netwerk.matching.forms import ActionForm, AdmitForm, DecisionForm, IntakeForm, choices
from netwerk.models import Case, ConstraintTag, NeedWeight, PlanAction, Urgency
from netwerk.models.enums import CONSTRAINT_LABELS
from netwerk.web import get_or_404
from netwerk.web.forms import put_error

bp = Blueprint("cases", __name__)


@bp.context_processor
def _case_helpers() -> dict:
    from netwerk.models.enums import LEGAL_GROUND_LABELS

    return {"legal_ground_label": lambda g: LEGAL_GROUND_LABELS.get(g, g)}


def term_labels(urgency: str) -> dict[str, str]:
    from netwerk.matching.model import TERMS

    return {t: wording.term_label(t, urgency) for t in TERMS}


def _refused(case: Case) -> None:
    operations.record_refused(db.session, current_user, case)
    db.session.commit()


def _case_or_404(case_id: int) -> Case:
    """The case if the user may see it; 404 alike for a case they may not see (audited as
    refused) and for one that does not exist."""
    return policy.require_case(current_user, db.session.get(Case, case_id), case_id, _refused)


@bp.route("/casussen")
def index():
    """Mijn casussen: the cases this user coordinates or is involved in."""
    found = queries.case_list(db.session, current_user, policy.is_admin(current_user))
    if found.cases:
        operations.record_list(db.session, current_user, found.cases)
        db.session.commit()
    return render_template("cases/index.html", cases=found.cases, people=found.people,
                           me=current_user.professional_id,
                           can_create=policy.can_create_case(current_user))


def _intake_choices(form: IntakeForm) -> None:
    options = queries.intake_options(db.session, current_user.professional,
                                     everywhere=policy.is_admin(current_user))
    form.area_id.choices = choices([(0, _("Kies de wijk")), *options.wijken])
    form.needs_primary.choices = choices(options.domains)
    form.needs_secondary.choices = choices(options.domains)
    form.constraints.choices = choices((t.value, CONSTRAINT_LABELS[t])
                                       for t in ConstraintTag)
    form.involved.choices = choices(options.people)
    form.preferred.choices = choices([(0, _("Geen voorkeur")), *options.people])
    form.opposing.choices = choices(options.organisations)
    form.language.choices = choices(wording.language_choices())


def _basis(form) -> operations.BasisInput:
    """The basis a form (``forms.BasisForm``) names for the people it brings in."""
    return operations.BasisInput.from_choice(
        request.form.get("basis"), form.consent_given_on.data, form.consent_scope.data,
        form.legal_ground.data)


def _intake(form: IntakeForm) -> operations.Intake:
    slugs = dict.fromkeys(form.needs_primary.data, NeedWeight.PRIMAIR)
    slugs |= dict.fromkeys(form.needs_secondary.data, NeedWeight.SECUNDAIR)
    return operations.Intake(
        area_id=form.area_id.data,
        urgency=Urgency(form.urgency.data),
        need_slugs=slugs,
        constraints=tuple(form.constraints.data),
        client_age=form.client_age.data,
        language=form.language.data or None,
        situation=form.situation.data or "",
        involved_ids=tuple(form.involved.data),
        preferred_id=form.preferred.data or None,
        opposing_ids=tuple(form.opposing.data or ()),
        basis=_basis(form),
    )


INTAKE_ATTEMPTS = 5


def _register_with_retry(form: IntakeForm) -> Case | None:
    """Register and commit the intake; when a simultaneous intake made the commit collide
    (the same reference taken, SQLite busy, a PostgreSQL serialisation failure), roll back and
    try again from scratch, up to INTAKE_ATTEMPTS times. None when every attempt collided.
    A CaseError (the coordinator's input) is raised at once."""
    for attempt in range(INTAKE_ATTEMPTS):
        try:
            case, _answer = operations.register_case(
                db.session, current_user.professional_id, _intake(form), user=current_user)
            db.session.commit()
            return case
        except (IntegrityError, OperationalError):
            db.session.rollback()
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
    return None


@bp.route("/casussen/nieuw", methods=["GET", "POST"])
def new():
    """Intake of a pseudonymous case; the suggestion follows on the case page."""
    policy.require(policy.can_create_case)
    form = IntakeForm()
    _intake_choices(form)
    if form.validate_on_submit():
        try:
            case = _register_with_retry(form)
        except operations.CaseError as exc:
            db.session.rollback()
            if not put_error(form, exc):
                flash(str(exc), "error")
        else:
            if case is not None:
                flash(_("Casus %(ref)s aangemaakt.", ref=case.reference), "success")
                return redirect(url_for("cases.detail", case_id=case.id))
            # Still colliding after every retry: nothing lost, the form keeps what was typed.
            flash(_("Niet opgeslagen: het was even te druk. Je invoer staat er nog; "
                    "probeer het opnieuw."), "error")
            return render_template("cases/new.html", form=form), 503
    elif request.method == "POST":
        flash(_("Niet opgeslagen: kijk bij de velden hieronder wat er mis is."), "error")
    return render_template("cases/new.html", form=form), (400 if request.method == "POST" else 200)


def _render_case(case: Case, decision: DecisionForm | None = None,
                 action_form: ActionForm | None = None, analysis=None, status: int = 200,
                 plan_texts: dict[str, str] | None = None, admit_form: AdmitForm | None = None,
                 admit_for: int | None = None):
    """The case page (its view of the case audited), with the forms of who manages it."""
    page = queries.case_page(db.session, case, policy.can_manage_case(current_user, case),
                             analysis=analysis)
    if page.manage and decision is None:
        decision = DecisionForm()
    if page.manage and action_form is None:
        action_form = ActionForm()
    if decision is not None:
        decision.lead_id.choices = choices(page.lead_choices)
        if decision.lead_id.data is None:
            decision.lead_id.data = page.default_lead_id
    if action_form is not None:
        action_form.professional_id.choices = choices([(0, _("Nog niemand")),
                                                       *page.action_people])
    operations.record_view(db.session, current_user, case)
    db.session.commit()
    return render_template(
        "cases/detail.html", case=case, answer=page.answer, people=page.people,
        domains=page.domains, labels=term_labels(case.urgency.value),
        decision=decision, action_form=action_form, page=page, wording=wording,
        facts=page.analysis.facts, plan_texts=plan_texts or {},
        manage=page.manage, roles=page.roles, free_places=page.free_places,
        admit_form=admit_form, admit_for=admit_for,
        basis_data=AdmitForm(formdata=None),
    ), status


@bp.route("/casussen/<int:case_id>")
def detail(case_id: int):
    """The case: the decision first (N → 1 + k, the lead, reasons, Bevestigen), then in
    sections the score table, why not, back pocket, missing partners and the plan."""
    return _render_case(_case_or_404(case_id))


def _plan_texts() -> dict[str, str]:
    """The plan's texts as edited on the decision form (fields ``plan-<key>``)."""
    return {k[len("plan-"):]: v for k, v in request.form.items() if k.startswith("plan-")}


@bp.route("/casussen/<int:case_id>/besluit", methods=["POST"])
def decide(case_id: int):
    """Confirm the suggested lead or choose another with a reason; the plan gets one action
    for the lead and one per back-pocket member, as edited on the form."""
    case = _case_or_404(case_id)
    policy.require(policy.can_manage_case, case)
    analysis = queries.analyse_case(db.session, case)
    form = DecisionForm()
    # Anyone in the ranking passes the form; decide_lead says who may not lead, and why.
    form.lead_id.choices = choices((s.candidate.id, s.candidate.name)
                                   for s in analysis.suggestion.ranking)
    texts = _plan_texts()
    if form.validate_on_submit():
        try:
            answer, added = operations.decide_lead_with_plan(
                db.session, case, current_user, form.lead_id.data, form.reason.data,
                analysis=analysis, actions=texts, basis=_basis(form))
        except operations.CaseError as exc:
            db.session.rollback()
            if not put_error(form, exc):
                form.reason.errors.append(str(exc))
        else:
            assert answer.lead is not None  # the chosen lead is in the ranking, or CaseError
            lead = answer.lead.candidate.name
            db.session.commit()
            flash(_n("Frontsoldaat %(lead)s vastgelegd; %(num)d actie in het plan gezet.",
                     "Frontsoldaat %(lead)s vastgelegd; %(num)d acties in het plan gezet.",
                     len(added), lead=lead) if added else
                  _("Frontsoldaat %(lead)s vastgelegd; er zijn geen acties in het plan gezet.",
                    lead=lead), "success")
            return redirect(url_for("cases.detail", case_id=case.id) + "#plan")
    return _render_case(db.session.get_one(Case, case_id), decision=form, analysis=analysis,
                        status=400, plan_texts=texts)


@bp.route("/casussen/<int:case_id>/toegang/<int:professional_id>", methods=["POST"])
def admit(case_id: int, professional_id: int):
    """Let one involved person of an opposing party see the case (the coordinator's
    explicit choice), on the basis named in the same form."""
    return _basis_for(case_id, professional_id, operations.admit_opposing,
                      _("Toegang gegeven."))


@bp.route("/casussen/<int:case_id>/betrokkenen/<int:professional_id>/grondslag",
          methods=["POST"])
def record_involvement_basis(case_id: int, professional_id: int):
    """Record afterwards the basis on which an involved person sees the case."""
    return _basis_for(case_id, professional_id, operations.record_involvement_basis,
                      _("Grondslag vastgelegd."))


def _basis_for(case_id: int, professional_id: int, operation, done: str):
    """One involved person comes to rest on the basis named in the form (``operation``);
    a refusal shows the case page with the form open at that person and the input kept."""
    case = _case_or_404(case_id)
    policy.require(policy.can_manage_case, case)
    form = AdmitForm()
    if form.validate_on_submit():
        try:
            operation(db.session, case, current_user, professional_id, basis=_basis(form))
        except operations.CaseError as exc:
            db.session.rollback()
            # About the person, not a field: no form shows it. About a field: the form is far
            # down the page, so the top says where to look.
            flash(_("Niet vastgelegd: kijk de grondslag onder Betrokken na.")
                  if put_error(form, exc) else str(exc), "error")
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("cases.detail", case_id=case.id) + "#betrokkenen")
    return _render_case(db.session.get_one(Case, case_id), admit_form=form,
                        admit_for=professional_id, status=400)


@bp.route("/casussen/<int:case_id>/grondslagen/<int:basis_id>/intrekken", methods=["POST"])
def withdraw_basis(case_id: int, basis_id: int):
    """The client withdraws a consent: everyone brought in on it loses access at once."""
    case = _case_or_404(case_id)
    policy.require(policy.can_manage_case, case)
    try:
        removed = operations.withdraw_basis(db.session, case, current_user, basis_id)
    except operations.CaseError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("cases.detail", case_id=case.id) + "#grondslagen")
    db.session.commit()
    flash(_n("Ingetrokken: %(num)d persoon ziet de casus niet meer.",
             "Ingetrokken: %(num)d personen zien de casus niet meer.", len(removed))
          if removed else _("Ingetrokken; niemand rustte nog op deze grondslag."), "success")
    return redirect(url_for("cases.detail", case_id=case.id) + "#grondslagen")


@bp.route("/casussen/<int:case_id>/acties", methods=["POST"])
def add_action(case_id: int):
    """Add an action to the plan: who, what, by when."""
    case = _case_or_404(case_id)
    policy.require(policy.can_manage_case, case)
    form = ActionForm()
    form.professional_id.choices = choices(
        [(0, "")] + [(pid, "") for pid in queries.action_people_ids(case)])
    if form.validate_on_submit():
        try:
            operations.add_action(db.session, case, form.professional_id.data or None,
                                  form.what.data, form.due.data, user=current_user)
        except operations.CaseError as exc:
            db.session.rollback()
            form.what.errors.append(str(exc))
        else:
            db.session.commit()
            return redirect(url_for("cases.detail", case_id=case.id) + "#plan")
    return _render_case(case, action_form=form, status=400)


@bp.route("/casussen/<int:case_id>/acties/<int:action_id>/klaar", methods=["POST"])
def toggle_action(case_id: int, action_id: int):
    """Mark an action done (or not): everyone who sees the case may."""
    case = _case_or_404(case_id)
    policy.require(policy.can_tick_plan_action, case)
    action = get_or_404(db.session, PlanAction, action_id)
    if action.case_id != case.id:
        abort(404)
    operations.set_action_done(db.session, action, request.form.get("done") == "1",
                               user=current_user)
    db.session.commit()
    return redirect(url_for("cases.detail", case_id=case.id) + "#plan")


@bp.route("/casussen/<int:case_id>/sluiten", methods=["POST"])
def close(case_id: int):
    """Close the case; it is deleted after CASE_RETENTION_DAYS."""
    case = _case_or_404(case_id)
    policy.require(policy.can_manage_case, case)
    if operations.close_case(db.session, case, user=current_user):
        db.session.commit()
        flash(_("Casus gesloten. Hij wordt na %(days)s dagen verwijderd.",
                days=current_app.config["CASE_RETENTION_DAYS"]), "success")
    return redirect(url_for("cases.index"))
