"""Beheer of organisations, people, services (with rules and areas), capacity types and areas.

One set of views serves every kind: the list (search ``q``, ``page``), a new record, one
record (its form, its change history with undo). Writes go through netwerk.accounts.editing
(the import's validation and writer, one change-history row per changed field)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from netwerk.accounts import editing, joining
from netwerk.accounts.editing import EditRejected
from netwerk.auth import policy
from netwerk.beheer import bp, queries
from netwerk.db import db
from netwerk.errors import UserError
from netwerk.history import FIELD_LABELS, changes_of
from netwerk.i18n import _, _l
from netwerk.models import (
    AreaKind,
    CapacityUnit,
    Change,
    EligibilityRule,
    EmailDomain,
    RuleKind,
    Sector,
)
from netwerk.web import arg_page, commit_or_flash, get_or_404

LABELS = FIELD_LABELS  # the history's labels are the form's
TEXTAREAS = {"description", "intake_route"}
MULTI = {"wijken", "domains", "areas"}


def _enum_choices(enum):
    """(value, label) per member; a label stays lazy, translated where the form is shown."""
    return [(m.value, getattr(m, "label", m.value)) for m in enum]


ENUM_CHOICES = {
    "sector": _enum_choices(Sector),
    "unit": _enum_choices(CapacityUnit),  # the unit for one: "bed", not ("bed", "bedden")
    "kind": _enum_choices(AreaKind),
    "available": [("ja", _l("ja")), ("nee", _l("nee"))],
}


@dataclass(frozen=True)
class Section:
    kind: str        # editing kind
    slug: str        # URL part
    title: object    # Dutch, plural
    one: object      # Dutch, singular
    org_scoped: bool  # an organisatiebeheerder manages their own


SECTIONS = (
    Section("organisations", "organisaties", _l("Organisaties"), _l("organisatie"), True),
    Section("professionals", "personen", _l("Personen"), _l("persoon"), True),
    Section("services", "diensten", _l("Diensten"), _l("dienst"), True),
    Section("capacity_types", "capaciteitssoorten", _l("Capaciteitssoorten"),
            _l("capaciteitssoort"), False),
    Section("areas", "gebieden", _l("Gebieden"), _l("gebied"), False),
)
BY_KIND = {s.kind: s for s in SECTIONS}


def organisation_of(kind: str, obj) -> int | None:
    if kind == "organisations":
        return obj.id
    if kind in ("professionals", "services"):
        return obj.organisation_id
    return None


def _may_section(section: Section) -> bool:
    return policy.is_admin(current_user) or (
        section.org_scoped and policy.managed_organisation_id(current_user) is not None)


def _require_object(section: Section, obj) -> None:
    if section.org_scoped:
        policy.require(policy.can_manage_organisation, organisation_of(section.kind, obj))
    else:
        policy.require(policy.can_manage_reference_data)


def _fields(section: Section) -> list[dict]:
    kind = editing.KINDS[section.kind]
    return [{"name": c, "label": LABELS.get(c, c),
             "widget": "textarea" if c in TEXTAREAS else "multi" if c in MULTI
             else "select" if c in ENUM_CHOICES or c in ("organisation_key", "parent_key")
             else "text"} for c in kind.columns]


def _form_record(section: Section) -> dict[str, str]:
    record = {}
    for c in editing.KINDS[section.kind].columns:
        if c in MULTI and f"{c}__shown" in request.form:
            record[c] = ";".join(v.strip() for v in request.form.getlist(c) if v.strip())
        elif c in request.form:
            record[c] = request.form.get(c, "")
    return record


def _check_target_org(section: Section, record: dict[str, str]) -> None:
    """An organisatiebeheerder keeps people and services inside their own organisation."""
    if section.kind in ("professionals", "services") and not policy.is_admin(current_user):
        allowed = {k for k, _n in queries.choices(db.session, current_user)["organisation_key"]}
        if record.get("organisation_key") not in allowed:
            abort(403)


def _render_form(section: Section, obj, values: dict, problems: dict, status: int = 200):
    choices = queries.choices(db.session, current_user) | ENUM_CHOICES
    extra: dict[str, object] = {}
    if obj is not None:
        extra["history"] = changes_of(db.session, section.kind, obj.id)
        if section.kind == "services":
            extra["rules"] = obj.rules
            extra["rule_kinds"] = [k.value for k in RuleKind]
        if section.kind == "organisations":
            extra["email_domains"] = db.session.query(EmailDomain).filter_by(
                organisation_id=obj.id).order_by(EmailDomain.domain).all()
    return render_template("beheer/record.html", section=section, obj=obj,
                           fields=_fields(section), values=values, problems=problems,
                           choices=choices, labels=LABELS, **extra), status


def _list_view(section: Section):
    def view():
        if not _may_section(section):
            abort(403)
        q = (request.args.get("q") or "").strip()[:100]
        page = queries.listing(db.session, current_user, section.kind, q, arg_page())
        return render_template("beheer/list.html", section=section, page=page, q=q,
                               sections=[s for s in SECTIONS if _may_section(s)])
    return view


def _new_view(section: Section):
    def view():
        if not _may_section(section) or (section.kind == "organisations"
                                         and not policy.is_admin(current_user)):
            abort(403)
        if request.method == "GET":
            values = {}
            if section.kind in ("professionals", "services"):
                own = queries.choices(db.session, current_user)["organisation_key"]
                values["organisation_key"] = request.args.get("organisatie") or (
                    own[0][0] if len(own) == 1 else "")
            return _render_form(section, None, values, {})
        record = _form_record(section)
        _check_target_org(section, record)
        try:
            obj, _changes = editing.save(db.session, current_user, section.kind, None, record)
        except EditRejected as exc:
            db.session.rollback()
            return _render_form(section, None, record, exc.problems, 400)
        db.session.commit()
        flash(_("Opgeslagen."), "success")
        return redirect(url_for(f"beheer.{section.slug}_detail", obj_id=obj.id), 303)
    return view


def _detail_view(section: Section):
    def view(obj_id: int):
        kind = editing.KINDS[section.kind]
        obj = get_or_404(db.session, kind.model, obj_id)
        _require_object(section, obj)
        if request.method == "GET":
            return _render_form(section, obj, kind.snapshot(obj), {})
        record = _form_record(section)
        _check_target_org(section, record)
        try:
            editing.save(db.session, current_user, section.kind, obj, record)
        except EditRejected as exc:
            db.session.rollback()
            obj = db.session.get(kind.model, obj_id)
            return _render_form(section, obj, record, exc.problems, 400)
        db.session.commit()
        flash(_("Opgeslagen."), "success")
        return redirect(url_for(f"beheer.{section.slug}_detail", obj_id=obj_id), 303)
    return view


for _section in SECTIONS:
    bp.add_url_rule(f"/{_section.slug}", f"{_section.slug}_list", _list_view(_section))
    bp.add_url_rule(f"/{_section.slug}/nieuw", f"{_section.slug}_new", _new_view(_section),
                    methods=["GET", "POST"])
    bp.add_url_rule(f"/{_section.slug}/<int:obj_id>", f"{_section.slug}_detail",
                    _detail_view(_section), methods=["GET", "POST"])


@bp.get("/")
def index():
    sections = [s for s in SECTIONS if _may_section(s)]
    return render_template("beheer/index.html", sections=sections)


@bp.post("/personen/<int:obj_id>/actief")
def person_active(obj_id: int):
    """Deactivate (or reactivate) a person: never deleted, the audit log refers to them."""
    kind = editing.KINDS["professionals"]
    obj = get_or_404(db.session, kind.model, obj_id)
    _require_object(BY_KIND["professionals"], obj)
    wanted = request.form.get("active")
    if wanted not in ("ja", "nee"):
        abort(400)
    editing.set_active(db.session, current_user, obj, wanted == "ja")
    db.session.commit()
    flash(_("Opgeslagen."), "success")
    return redirect(url_for("beheer.personen_detail", obj_id=obj_id), 303)


@bp.post("/wijzigingen/<int:change_id>/ongedaan")
def undo_change(change_id: int):
    """Undo one change by a new change back to its old value."""
    change = get_or_404(db.session, Change, change_id)
    section = BY_KIND.get(change.object_type)
    if section is None:
        abort(404)
    obj = get_or_404(db.session, editing.KINDS[section.kind].model, change.object_id)
    _require_object(section, obj)
    commit_or_flash(lambda: editing.undo(db.session, current_user, change),
                    _("De wijziging is ongedaan gemaakt (als nieuwe wijziging)."))
    return redirect(url_for(f"beheer.{section.slug}_detail", obj_id=change.object_id), 303)


def _add_to_record(kind: str, obj_id: int, write, problems_of, done: str):
    """Add a part to a record (a rule to a service, a mail domain to an organisation): the
    record's own access check, then ``write(obj)``; a refusal shows the record's form again
    with ``problems_of(exc)`` and changes nothing."""
    section, model = BY_KIND[kind], editing.KINDS[kind]
    obj = get_or_404(db.session, model.model, obj_id)
    _require_object(section, obj)
    try:
        write(obj)
    except UserError as exc:
        db.session.rollback()
        obj = db.session.get(model.model, obj_id)
        return _render_form(section, obj, model.snapshot(obj), problems_of(exc), 400)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(f"beheer.{section.slug}_detail", obj_id=obj_id), 303)


def _remove_part(kind: str, obj_id: int, row_model, row_id: int, parent_id: str, remove,
                 done: str):
    """Remove the part ``row_id`` of record ``obj_id`` (404 when it belongs to another record)
    after the record's own access check; ``remove(row)`` writes and audits."""
    row = get_or_404(db.session, row_model, row_id)
    if getattr(row, parent_id) != obj_id:
        abort(404)
    section = BY_KIND[kind]
    _require_object(section, get_or_404(db.session, editing.KINDS[kind].model, obj_id))
    remove(row)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(f"beheer.{section.slug}_detail", obj_id=obj_id), 303)


@bp.post("/diensten/<int:obj_id>/regels")
def add_rule(obj_id: int):
    def write(service):
        editing.add_rule(db.session, current_user, service, {
            k: request.form.get(k, "") for k in ("kind", "value", "description")})

    return _add_to_record(
        "services", obj_id, write,
        lambda exc: {f"rule_{k}": v for k, v in getattr(exc, "problems", {}).items()},
        _("Toegangsregel toegevoegd."))


@bp.post("/diensten/<int:obj_id>/regels/<int:rule_id>/verwijderen")
def remove_rule(obj_id: int, rule_id: int):
    return _remove_part("services", obj_id, EligibilityRule, rule_id, "service_id",
                        lambda rule: editing.remove_rule(db.session, current_user, rule),
                        _("Toegangsregel verwijderd."))


@bp.post("/organisaties/<int:obj_id>/domeinen")
def add_domain(obj_id: int):
    def write(org):
        joining.add_domain(db.session, current_user, org, request.form.get("domain", ""),
                           current_app.config["PERSONAL_MAIL_DOMAINS_EXTRA"])

    return _add_to_record("organisations", obj_id, write,
                          lambda exc: {"domain": [exc.message]},
                          _("E-maildomein geregistreerd."))


@bp.post("/organisaties/<int:obj_id>/domeinen/<int:domain_id>/verwijderen")
def remove_domain(obj_id: int, domain_id: int):
    return _remove_part("organisations", obj_id, EmailDomain, domain_id, "organisation_id",
                        lambda row: joining.remove_domain(db.session, current_user, row),
                        _("E-maildomein verwijderd."))
