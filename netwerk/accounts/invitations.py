"""Invitations by e-mail: a link that sets a password, usable once, until it expires; sending
a new one revokes the old. Without mail configured the link is shown to the beheerder."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netwerk.accounts.passwords import check_new_password
from netwerk.audit import record
from netwerk.db import utcnow
from netwerk.errors import UserError
from netwerk.history import record_change
from netwerk.i18n import _
from netwerk.models import AccountInvitation, Professional, Role, User
from netwerk.models.account import hash_secret, new_link_token


def normalise_email(raw: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise UserError(_("E-mailadres: dit is geen geldig e-mailadres."), "email") from exc


def invite(session: Session, by: Any, email: str, role: Role, days: int,
           professional: Professional | None = None,
           organisation_admin: bool = False) -> tuple[AccountInvitation, str]:
    """A new invitation (older open ones for the address are revoked); returns it and the
    token for the link (only its hash is stored)."""
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise UserError(_("E-mailadres: er is al een account met dit adres."), "email")
    if professional is not None and session.scalar(
            select(User.id).where(User.professional_id == professional.id)) is not None:
        raise UserError(_("Persoon: deze persoon heeft al een account."), "professional_id")
    now = utcnow()
    session.execute(update(AccountInvitation).where(
        AccountInvitation.email == email, AccountInvitation.used_at.is_(None),
        AccountInvitation.revoked_at.is_(None)).values(revoked_at=now))
    token = new_link_token()
    invitation = AccountInvitation(
        email=email, role=role, organisation_admin=organisation_admin,
        professional_id=professional.id if professional else None,
        token_hash=hash_secret(token), invited_by_id=getattr(by, "id", None),
        created_at=now, expires_at=now + timedelta(days=days))
    session.add(invitation)
    session.flush()
    record(session, by, "invite", "account_invitation", invitation.id, email=email,
           role=role.value)
    return invitation, token


def open_invitation(session: Session, token: str) -> AccountInvitation | None:
    """The invitation of a link if it can still be used (not used, revoked or expired)."""
    invitation = session.scalar(select(AccountInvitation).where(
        AccountInvitation.token_hash == hash_secret(token or "")))
    if invitation is None or invitation.used_at or invitation.revoked_at:
        return None
    if invitation.expires_at <= utcnow():
        return None
    return invitation


def accept(session: Session, invitation: AccountInvitation, password: str, again: str) -> User:
    """Make the account of an invitation with the chosen password; the link is used up."""
    check_new_password(password, again, [invitation.email])
    if session.scalar(select(User.id).where(User.email == invitation.email)) is not None:
        raise UserError(_("Er is al een account met dit adres; meld je aan."))
    user = User(email=invitation.email, role=invitation.role,
                organisation_admin=invitation.organisation_admin,
                professional_id=invitation.professional_id)
    user.set_password(password)
    session.add(user)
    invitation.used_at = utcnow()
    session.flush()
    record_change(session, invitation.invited_by_id, user, "aangemaakt", None, user.email)
    record(session, user.id, "invitation_accepted", "user", user.id)
    session.flush()
    return user


def send_invitation(app_config: dict, email: str, link: str,
                    session: Session | None = None) -> str | None:
    """Put the link in the mail outbox (sent by a job after the commit, retried when the
    server fails); without ``MAIL_URL`` return the link for the beheerder to pass on (the
    message never carries anything but the link; its body is emptied once sent)."""
    url = app_config.get("MAIL_URL")
    if not url:
        return link
    from netwerk.db import db
    from netwerk.notify import outbox

    outbox.queue(session or db.session, f"link:{hash_secret(link)}", email,
                 _("Je uitnodiging voor netwerk"),
                 _("Je bent uitgenodigd voor netwerk. Kies je wachtwoord via deze link "
                   "(één keer te gebruiken):\n\n%(link)s\n", link=link))
    return None
