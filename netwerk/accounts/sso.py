"""Single sign-on over OpenID Connect with Authlib: discovery, PKCE (S256), state and nonce.

An account is matched on the *verified* e-mail claim. An unknown address gets no access, or
(``OIDC_UNKNOWN_EMAIL = "aanmelden"``) a join request when its domain belongs to an
organisation. With ``OIDC_ROLE_MAP`` the group claim sets the account's role."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk.audit import record
from netwerk.db import utcnow
from netwerk.errors import UserError
from netwerk.history import record_change
from netwerk.i18n import _
from netwerk.models import Role, User

_OAUTH_EXT = "netwerk_oauth"


def configured(app: Flask) -> bool:
    c = app.config
    return bool(c.get("OIDC_ISSUER") and c.get("OIDC_CLIENT_ID") and c.get("OIDC_CLIENT_SECRET"))


def client(app: Flask):
    """The Authlib client of this app, registered on first use."""
    oauth = app.extensions.get(_OAUTH_EXT)
    if oauth is None:
        from authlib.integrations.flask_client import OAuth

        oauth = OAuth(app)
        issuer = app.config["OIDC_ISSUER"].rstrip("/")
        oauth.register(
            "netwerk", client_id=app.config["OIDC_CLIENT_ID"],
            client_secret=app.config["OIDC_CLIENT_SECRET"],
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email", "code_challenge_method": "S256"})
        app.extensions[_OAUTH_EXT] = oauth
    return oauth.netwerk


def role_from_groups(claims: dict[str, Any], claim: str, mapping: dict[str, str]) -> Role | None:
    """The highest role any of the user's groups maps to, or None without a mapping hit."""
    groups = claims.get(claim) or []
    if isinstance(groups, str):
        groups = [groups]
    order = list(Role)
    found = [Role(mapping[g]) for g in groups if g in mapping and mapping[g] in {r.value for r in Role}]
    return max(found, key=order.index) if found else None


def match_account(session: Session, claims: dict[str, Any], groups_claim: str,
                  role_map: dict[str, str]) -> User:
    """The active account of the verified e-mail claim (its role from the groups, when
    mapped); raises UserError otherwise."""
    email = (claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is not True:
        raise UserError(_("De inlogdienst gaf geen bevestigd e-mailadres door."))
    user = session.scalar(select(User).where(User.email == email))
    if user is None or not user.active:
        raise UserError(_("Er is geen actief account voor %(email)s. Vraag een beheerder om "
                          "een uitnodiging.", email=email))
    role = role_from_groups(claims, groups_claim, role_map) if role_map else None
    if role is not None and role != user.role:
        record_change(session, None, user, "role", user.role, role)
        user.role = role
    user.last_login_at = utcnow()
    record(session, user, "login", "user", user.id, method="sso")
    session.flush()
    return user
