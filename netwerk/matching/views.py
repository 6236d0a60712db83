"""Case pages: mijn casussen, intake, the case with its suggestion, decision and plan."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from netwerk import audit
from netwerk.auth import policy
from netwerk.db import db
from netwerk.i18n import _
from netwerk.matching import services
from netwerk.matching.forms import ActionForm, DecisionForm, IntakeForm, choices
from netwerk.models import (
    Area,
    AreaKind,
    Case,
    CaseStatus,
    ConstraintTag,
    Domain,
    NeedWeight,
    PlanAction,
    Professional,
    Urgency,
    professional_areas,
)
from netwerk.models.enums import CONSTRAINT_LABELS

bp = Blueprint("cases", __name__)


def term_labels(urgency: str) -> dict[str, str]:
    return {
        "coverage": _("dekt de hulpvragen"),
        "continuity": _("al betrokken"),
        "wish": _("wens van de cliënt"),
        "reach": _("lijntjes naar wie de rest dekt"),
        "room": _("nu beschikbaar") if urgency == "crisis" else _("ruimte in caseload"),
        "proximity": _("nabij (wijk, gemeente, regio)"),
    }


def _weights():
    return (current_app.config.get("MATCHING_WEIGHTS"),
            current_app.config.get("MATCHING_NEED_WEIGHTS"))


def _case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    policy.require(policy.can_view_case, case)
    return case


def _domain_names() -> dict[str, str]:
    return dict(db.session.execute(select(Domain.slug, Domain.name)).all())


def _professionals(ids) -> dict[int, Professional]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Professional).options(selectinload(Professional.organisation))
        .where(Professional.id.in_(ids))
    )
    return {p.id: p for p in rows}


@bp.route("/casussen")
def index():
    """Mijn casussen: the cases this user coordinates or is involved in."""
    cases = services.visible_cases(db.session, current_user, policy.is_admin(current_user))
    people = _professionals(
        {i.professional_id for c in cases for i in c.involvements}
        | {c.coordinator_id for c in cases} | {c.lead_id for c in cases}
    )
    if cases:
        audit.record(db.session, current_user, "list", "case", None,
                     case_ids=[c.id for c in cases])
        db.session.commit()
    return render_template("cases/index.html", cases=cases, people=people,
                           me=current_user.professional_id,
                           can_create=policy.can_create_case(current_user))


def _intake_choices(form: IntakeForm) -> None:
    query = select(Area.id, Area.name, Area.parent_id).where(Area.kind == AreaKind.WIJK)
    regios = _own_regios()
    if regios:
        gemeenten = select(Area.id).where(Area.parent_id.in_(regios))
        query = query.where(Area.parent_id.in_(gemeenten))
    wijken = db.session.execute(query).all()
    parents = dict(db.session.execute(select(Area.id, Area.name)).all())
    form.area_id.choices = choices([(0, _("Kies de wijk"))] + sorted(
        ((w.id, f"{parents.get(w.parent_id, '')} – {w.name}") for w in wijken),
        key=lambda c: c[1],
    ))
    domains = db.session.execute(select(Domain.slug, Domain.name).order_by(Domain.name)).all()
    form.needs_primary.choices = choices((d.slug, d.name) for d in domains)
    form.needs_secondary.choices = choices((d.slug, d.name) for d in domains)
    form.constraints.choices = choices((t.value, CONSTRAINT_LABELS[t])
                                       for t in ConstraintTag)
    people = [(p.id, f"{p.name} ({p.organisation})")
              for p in db.session.execute(_nearby_professionals()).all()]
    form.involved.choices = choices(people)
    form.preferred.choices = choices([(0, _("Geen voorkeur")), *people])


def _own_regios() -> set[int]:
    """The regio's the signed-in professional works in (empty for a beheerder or no areas)."""
    me = current_user.professional
    if me is None or policy.is_admin(current_user):
        return set()
    found = set()
    for area in me.areas:
        top = area
        while top.parent is not None:
            top = top.parent
        found.add(top.id)
    return found


def _nearby_professionals():
    """Professionals working in the coordinator's gemeente(n) (everyone for a beheerder)."""
    from netwerk.models import Organisation

    query = (select(Professional.id, Professional.name, Organisation.name.label("organisation"))
             .join(Organisation, Organisation.id == Professional.organisation_id)
             .where(Professional.active).order_by(Professional.name))
    me = current_user.professional
    if me is None or policy.is_admin(current_user):
        return query
    gemeenten: set[int] = set()
    for area in me.areas:
        if area.kind == AreaKind.WIJK and area.parent_id:
            gemeenten.add(area.parent_id)
        elif area.kind == AreaKind.GEMEENTE:
            gemeenten.add(area.id)
    if not gemeenten:
        return query
    local = select(Area.id).where((Area.id.in_(gemeenten)) | (Area.parent_id.in_(gemeenten)))
    in_area = select(professional_areas.c.professional_id).where(
        professional_areas.c.area_id.in_(local))
    return query.where(Professional.id.in_(in_area))


@bp.route("/casussen/nieuw", methods=["GET", "POST"])
def new():
    """Intake of a pseudonymous case; the suggestion follows on the case page."""
    policy.require(policy.can_create_case)
    form = IntakeForm()
    _intake_choices(form)
    if form.validate_on_submit():
        if not form.area_id.data:
            form.area_id.errors.append(_("Wijk: kies de wijk van het huishouden."))
        else:
            slugs = dict.fromkeys(form.needs_primary.data, NeedWeight.PRIMAIR)
            slugs |= dict.fromkeys(form.needs_secondary.data, NeedWeight.SECUNDAIR)
            ids = dict(db.session.execute(
                select(Domain.slug, Domain.id).where(Domain.slug.in_(slugs))).all())
            intake = services.Intake(
                area_id=form.area_id.data,
                urgency=Urgency(form.urgency.data),
                needs={ids[s]: w for s, w in slugs.items()},
                constraints=tuple(form.constraints.data),
                client_age=form.client_age.data,
                language=form.language.data or None,
                situation=form.situation.data or "",
                involved_ids=tuple(form.involved.data),
                preferred_id=form.preferred.data or None,
            )
            try:
                case = services.create_case(db.session, current_user.professional_id, intake)
            except services.CaseError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                audit.record(db.session, current_user, "create", "case", case.id)
                db.session.commit()
                flash(_("Casus %(ref)s aangemaakt.", ref=case.reference), "success")
                return redirect(url_for("cases.detail", case_id=case.id))
    elif request.method == "POST":
        flash(_("Niet opgeslagen: kijk bij de velden hieronder wat er mis is."), "error")
    return render_template("cases/new.html", form=form), (400 if request.method == "POST" else 200)


def _free_places(case: Case) -> list | None:
    """Free places near the case, when the capacity capability is installed (else None)."""
    try:
        from netwerk.capacity.queries import free_capacity
    except ImportError:
        return None
    places = [p for p in free_capacity(db.session, case.area_id) if p.available > 0]
    from netwerk.models import Organisation

    names = dict(db.session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_({p.organisation_id for p in places}))).all()) if places else {}
    return [(p, names.get(p.organisation_id, "")) for p in places]


def _detail_context(case: Case, decision: DecisionForm | None = None,
                    action_form: ActionForm | None = None):
    weights, need_weights = _weights()
    answer = services.answer_for(db.session, case, weights, need_weights)
    ids = ({s.candidate.id for s in answer.ranking} | {i.professional_id for i in case.involvements}
           | {case.coordinator_id, case.lead_id, case.suggested_lead_id,
              case.preferred_professional_id} | {a.professional_id for a in case.actions})
    people = _professionals(ids)
    manage = policy.can_manage_case(current_user, case)
    if decision is None and manage:
        decision = DecisionForm()
    if decision is not None:
        capable = [s for s in answer.ranking if s.lead_block is None]
        shown = capable[:6]
        involved = {i.professional_id for i in case.involvements}
        shown += [s for s in capable[6:] if s.candidate.id in involved or
                  s.candidate.id == case.lead_id]
        decision.lead_id.choices = choices((s.candidate.id, s.candidate.name) for s in shown)
        if decision.lead_id.data is None:
            decision.lead_id.data = case.lead_id or (
                answer.suggested.candidate.id if answer.suggested else None)
    if action_form is None and manage:
        action_form = ActionForm()
    if action_form is not None:
        action_form.professional_id.choices = choices([(0, _("Nog niemand"))] + sorted(
            ((pid, people[pid].name) for pid in
             {i.professional_id for i in case.involvements} | {case.coordinator_id}
             if pid in people), key=lambda c: c[1]))
    return {
        "case": case, "answer": answer, "people": people, "domains": _domain_names(),
        "labels": term_labels(case.urgency.value),
        "decision": decision, "action_form": action_form, "manage": manage,
        "roles": {i.professional_id: i.role.value for i in case.involvements},
        "free_places": _free_places(case),
    }


@bp.route("/casussen/<int:case_id>")
def detail(case_id: int):
    """The case: suggestion with why, why not, back pocket, missing partners and the plan."""
    case = _case_or_404(case_id)
    context = _detail_context(case)
    audit.record(db.session, current_user, "view", "case", case.id)
    db.session.commit()
    return render_template("cases/detail.html", **context)


@bp.route("/casussen/<int:case_id>/besluit", methods=["POST"])
def decide(case_id: int):
    """Confirm the suggested lead or choose another with a reason."""
    case = _case_or_404(case_id)
    policy.require(policy.can_manage_case, case)
    form = DecisionForm()
    context = _detail_context(case, decision=form)
    form.lead_id.choices = choices((s.candidate.id, s.candidate.name)
                                   for s in context["answer"].ranking)
    if form.validate_on_submit():
        weights, need_weights = _weights()
        try:
            services.decide_lead(db.session, case, current_user, form.lead_id.data,
                                 form.reason.data, weights, need_weights)
        except services.CaseError as exc:
            db.session.rollback()
            form.reason.errors.append(str(exc))
        else:
            audit.record(db.session, current_user, "decide_lead", "case", case.id,
                         lead_id=case.lead_id, suggested_lead_id=case.suggested_lead_id)
            db.session.commit()
            flash(_("Frontsoldaat vastgelegd; de broekzak staat in het plan."), "success")
            return redirect(url_for("cases.detail", case_id=case.id) + "#plan")
    context = _detail_context(db.session.get(Case, case_id), decision=form)
    audit.record(db.session, current_user, "view", "case", case_id)
    db.session.commit()
    return render_template("cases/detail.html", **context), 400


@bp.route("/casussen/<int:case_id>/acties", methods=["POST"])
def add_action(case_id: int):
    """Add an action to the plan: who, what, by when."""
    case = _case_or_404(case_id)
    policy.require(policy.can_manage_case, case)
    form = ActionForm()
    context = _detail_context(case, action_form=form)
    if form.validate_on_submit():
        try:
            services.add_action(db.session, case, form.professional_id.data or None,
                                form.what.data, form.due.data)
        except services.CaseError as exc:
            db.session.rollback()
            form.what.errors.append(str(exc))
        else:
            audit.record(db.session, current_user, "add_action", "case", case.id)
            db.session.commit()
            return redirect(url_for("cases.detail", case_id=case.id) + "#plan")
    audit.record(db.session, current_user, "view", "case", case.id)
    db.session.commit()
    return render_template("cases/detail.html", **context), 400


@bp.route("/casussen/<int:case_id>/acties/<int:action_id>/klaar", methods=["POST"])
def toggle_action(case_id: int, action_id: int):
    """Mark an action done (or not): everyone who sees the case may."""
    case = _case_or_404(case_id)
    policy.require(policy.can_tick_plan_action, case)
    action = db.session.get(PlanAction, action_id)
    if action is None or action.case_id != case.id:
        abort(404)
    services.set_action_done(db.session, action, request.form.get("done") == "1")
    audit.record(db.session, current_user, "action_done", "case", case.id, action_id=action.id,
                 done=action.done)
    db.session.commit()
    return redirect(url_for("cases.detail", case_id=case.id) + "#plan")


@bp.route("/casussen/<int:case_id>/sluiten", methods=["POST"])
def close(case_id: int):
    """Close the case; it is deleted after CASE_RETENTION_DAYS."""
    case = _case_or_404(case_id)
    policy.require(policy.can_manage_case, case)
    if case.status != CaseStatus.GESLOTEN:
        services.close_case(db.session, case)
        audit.record(db.session, current_user, "close", "case", case.id)
        db.session.commit()
        flash(_("Casus gesloten. Hij wordt na %(days)s dagen verwijderd.",
                days=current_app.config["CASE_RETENTION_DAYS"]), "success")
    return redirect(url_for("cases.index"))
