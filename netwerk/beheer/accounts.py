"""Beheer of accounts: the list, invitations (the link is shown when no mail is configured),
role, link to a professional, organisatiebeheerder, deactivation; join requests."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from netwerk.accounts import invitations, joining
from netwerk.auth import policy
from netwerk.beheer import bp, queries
from netwerk.beheer.records import LABELS, SECTIONS, _may_section
from netwerk.db import db
from netwerk.errors import UserError
from netwerk.history import changes_of, record_change
from netwerk.i18n import _
from netwerk.models import AccountInvitation, JoinRequest, Professional, Role, User
from netwerk.web import arg_page, commit_or_flash, get_or_404, parse_id


@bp.app_context_processor
def _beheer_helpers():
    return {"beheer_sections": lambda: [s for s in SECTIONS if _may_section(s)]}


def _org_of_user(user: User) -> int | None:
    return user.professional.organisation_id if user.professional else None


def _roles_for_current() -> list[Role]:
    """A beheerder gives any role; an organisatiebeheerder up to coordinator."""
    if policy.is_admin(current_user):
        return list(Role)
    return [Role.MEDEWERKER, Role.COORDINATOR]


def _people_choices() -> list[Professional]:
    stmt = select(Professional).where(
        policy.managed_organisation_filter(current_user, Professional.organisation_id),
        Professional.active.is_(True)).order_by(Professional.name).limit(2000)
    return list(db.session.scalars(stmt))


def _parse_role(raw: str | None) -> Role:
    try:
        role = Role(raw or "")
    except ValueError:
        raise UserError(_("Rol: kies een rol."), "role") from None
    if role not in _roles_for_current():
        abort(403)
    return role


def _parse_professional(raw: str | None) -> Professional | None:
    if not raw:
        return None
    pid = parse_id(raw)
    prof = db.session.get(Professional, pid) if pid else None
    if prof is None:
        raise UserError(_("Persoon: onbekende persoon."), "professional_id")
    policy.require(policy.can_manage_organisation, prof.organisation_id)
    return prof


@bp.get("/accounts")
def accounts_list():
    q = (request.args.get("q") or "").strip()[:100]
    page = queries.listing(db.session, current_user, "users", q, arg_page())
    pending = db.session.scalars(select(AccountInvitation).where(
        AccountInvitation.used_at.is_(None), AccountInvitation.revoked_at.is_(None))
        .order_by(AccountInvitation.created_at.desc()).limit(50)).all()
    if not policy.is_admin(current_user):
        pending = [i for i in pending if i.professional is not None and policy
                   .can_manage_organisation(current_user, i.professional.organisation_id)]
    return render_template("beheer/accounts.html", page=page, q=q, pending=pending)


@bp.route("/accounts/uitnodigen", methods=["GET", "POST"])
def invite():
    """Invite an address with a role; a new invitation revokes the open one."""
    errors: dict[str, str] = {}
    values = dict(request.form) if request.method == "POST" else {}
    link = None
    status = 200
    if request.method == "POST":
        try:
            role = _parse_role(request.form.get("role"))
            prof = _parse_professional(request.form.get("professional_id"))
            if prof is None and not policy.is_admin(current_user):
                raise UserError(_("Persoon: kies de persoon van je organisatie."),
                                "professional_id")
            org_admin = request.form.get("organisation_admin") == "ja"
            invitation, token = invitations.invite(
                db.session, current_user, request.form.get("email", ""), role,
                current_app.config["INVITATION_DAYS"], prof, org_admin)
        except UserError as exc:
            db.session.rollback()
            errors[exc.field or "email"] = exc.message
            status = 400
        else:
            url = url_for("accounts.accept_invitation", token=token, _external=True)
            link = invitations.send_invitation(current_app.config, invitation.email, url)
            db.session.commit()
            if link is None:
                flash(_("De uitnodiging is verstuurd naar %(email)s.", email=invitation.email),
                      "success")
                return redirect(url_for("beheer.accounts_list"), 303)
            values = {}
    return render_template("beheer/invite.html", errors=errors, values=values,
                           roles=_roles_for_current(), people=_people_choices(), link=link,
                           days=current_app.config["INVITATION_DAYS"]), status


@bp.post("/uitnodigingen/<int:invitation_id>/opnieuw")
def resend(invitation_id: int):
    """Send a new link; the old one stops working."""
    old = get_or_404(db.session, AccountInvitation, invitation_id)
    if not policy.is_admin(current_user) and (old.professional is None or not policy
                                              .can_manage_organisation(
                                                  current_user, old.professional.organisation_id)):
        abort(403)
    invitation, token = invitations.invite(
        db.session, current_user, old.email, old.role, current_app.config["INVITATION_DAYS"],
        old.professional, old.organisation_admin)
    url = url_for("accounts.accept_invitation", token=token, _external=True)
    link = invitations.send_invitation(current_app.config, invitation.email, url)
    db.session.commit()
    if link is None:
        flash(_("Een nieuwe uitnodiging is verstuurd; de oude link werkt niet meer."), "success")
        return redirect(url_for("beheer.accounts_list"), 303)
    return render_template("beheer/invite.html", errors={}, values={},
                           roles=_roles_for_current(), people=_people_choices(), link=link,
                           days=current_app.config["INVITATION_DAYS"])


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
def account(user_id: int):
    """One account: role, the professional it belongs to, organisatiebeheerder, active."""
    user = get_or_404(db.session, User, user_id)
    if not policy.can_manage_organisation(current_user, _org_of_user(user)):
        abort(403)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            role = _parse_role(request.form.get("role"))
            prof = _parse_professional(request.form.get("professional_id"))
            active = request.form.get("active") == "ja"
            org_admin = request.form.get("organisation_admin") == "ja"
            if user.id == current_user.id and (not active or role != user.role):
                raise UserError(_("Je kunt je eigen rol of account hier niet wijzigen."), "role")
            if prof is not None and prof.id != user.professional_id and db.session.scalar(
                    select(User.id).where(User.professional_id == prof.id)):
                raise UserError(_("Persoon: deze persoon heeft al een account."),
                                "professional_id")
        except UserError as exc:
            errors[exc.field or "role"] = exc.message
            status = 400
        else:
            record_change(db.session, current_user, user, "role", user.role, role)
            record_change(db.session, current_user, user, "professional_id",
                          user.professional_id, prof.id if prof else None)
            record_change(db.session, current_user, user, "active", user.active, active)
            record_change(db.session, current_user, user, "organisation_admin",
                          user.organisation_admin, org_admin)
            if user.active and not active:
                user.session_version = (user.session_version or 0) + 1  # signed out now
            user.role, user.professional_id = role, prof.id if prof else None
            user.active, user.organisation_admin = active, org_admin
            db.session.commit()
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("beheer.account", user_id=user_id), 303)
    return render_template("beheer/account.html", user=user, errors=errors,
                           roles=_roles_for_current(), people=_people_choices(),
                           history=changes_of(db.session, "users", user.id), labels=LABELS), status


@bp.get("/aanmeldingen")
def join_requests():
    stmt = select(JoinRequest).where(
        JoinRequest.status == "verified",
        policy.managed_organisation_filter(current_user, JoinRequest.organisation_id)
    ).order_by(JoinRequest.created_at)
    return render_template("beheer/join_requests.html",
                           requests=db.session.scalars(stmt.limit(200)).all())


def _join_for_decision(join_id: int) -> JoinRequest:
    join = get_or_404(db.session, JoinRequest, join_id)
    policy.require(policy.can_manage_organisation, join.organisation_id)
    return join


@bp.post("/aanmeldingen/<int:join_id>/goedkeuren")
def approve_join(join_id: int):
    join = _join_for_decision(join_id)
    commit_or_flash(lambda: joining.approve(db.session, current_user, join),
                    _("Goedgekeurd: het account is actief."))
    return redirect(url_for("beheer.join_requests"), 303)


@bp.post("/aanmeldingen/<int:join_id>/afwijzen")
def reject_join(join_id: int):
    join = _join_for_decision(join_id)
    if join.status != "verified":
        abort(404)
    joining.reject(db.session, current_user, join)
    db.session.commit()
    flash(_("Afgewezen."), "info")
    return redirect(url_for("beheer.join_requests"), 303)
