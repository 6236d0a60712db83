"""Joining by organisation e-mail: an organisation registers the e-mail domains it owns;
someone with such an address asks to join, proves the address by a link, fills in their own
record, and becomes active when an organisatiebeheerder (or a beheerder) approves.

Personal mail providers never count as an organisation's domain (``PERSONAL_DOMAINS``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk.accounts.editing import EditRejected, new_key
from netwerk.accounts.invitations import normalise_email
from netwerk.accounts.passwords import check_new_password
from netwerk.audit import record
from netwerk.db import utcnow
from netwerk.errors import UserError
from netwerk.history import record_change
from netwerk.i18n import _
from netwerk.interchange.importer import run_import
from netwerk.interchange.reading import Source
from netwerk.models import EmailDomain, JoinRequest, Organisation, Professional, Role, User
from netwerk.models.account import hash_secret, new_link_token

# The kept list: addresses anyone can get. A domain ending in one of these never joins.
PERSONAL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.nl", "outlook.com", "outlook.nl",
    "live.com", "live.nl", "msn.com", "ziggo.nl", "kpnmail.nl", "kpnplanet.nl", "planet.nl",
    "home.nl", "hetnet.nl", "xs4all.nl", "upcmail.nl", "chello.nl", "casema.nl", "quicknet.nl",
    "tele2.nl", "online.nl", "zeelandnet.nl", "icloud.com", "me.com", "mac.com", "yahoo.com",
    "yahoo.nl", "ymail.com", "rocketmail.com", "aol.com", "gmx.com", "gmx.net", "gmx.de",
    "web.de", "mail.com", "protonmail.com", "proton.me", "pm.me", "tutanota.com", "hey.com",
    "zoho.com", "yandex.com", "telfort.nl", "caiway.nl", "solcon.nl", "freedom.nl",
})
DOMAIN_RE = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def is_personal(domain: str, extra: Iterable[str] = ()) -> bool:
    domain = domain.lower().strip(".")
    kept = PERSONAL_DOMAINS | set(extra)
    return domain in kept or domain.startswith("yahoo.") or any(
        domain.endswith("." + d) for d in kept)


def add_domain(session: Session, user: Any, organisation: Organisation, raw: str,
               extra: Iterable[str] = ()) -> EmailDomain:
    domain = (raw or "").strip().lower().lstrip("@")
    if not DOMAIN_RE.match(domain):
        raise UserError(_("Domein: dit is geen domeinnaam (bijvoorbeeld wijkteam.nl)."), "domain")
    if is_personal(domain, extra):
        raise UserError(_("Domein: %(d)s is een adres dat iedereen kan krijgen; zo'n domein kan "
                          "geen organisatie registreren.", d=domain), "domain")
    if session.scalar(select(EmailDomain.id).where(EmailDomain.domain == domain)):
        raise UserError(_("Domein: dit domein is al geregistreerd."), "domain")
    row = EmailDomain(organisation_id=organisation.id, domain=domain)
    session.add(row)
    record_change(session, user, organisation, "e-maildomein", None, domain)
    session.flush()
    return row


def remove_domain(session: Session, user: Any, row: EmailDomain) -> None:
    record_change(session, user, row.organisation, "e-maildomein", row.domain, None)
    session.delete(row)
    session.flush()


def organisation_for(session: Session, email: str, extra: Iterable[str] = ()) -> Organisation | None:
    domain = email.rsplit("@", 1)[-1].lower()
    if is_personal(domain, extra):
        return None
    row = session.scalar(select(EmailDomain).where(EmailDomain.domain == domain))
    return row.organisation if row is not None else None


def request_join(session: Session, raw_email: str, hours: int,
                 extra: Iterable[str] = ()) -> tuple[JoinRequest | None, str | None]:
    """A join request and its link token, or (None, None) when the address cannot join this
    way (the page says the same either way, so it tells nobody which addresses exist)."""
    email = normalise_email(raw_email)
    domain = email.rsplit("@", 1)[-1]
    if is_personal(domain, extra):
        raise UserError(_("E-mailadres: met een persoonlijk adres (zoals gmail of hotmail) kun "
                          "je je niet zelf aanmelden. Vraag een beheerder om een uitnodiging."),
                        "email")
    organisation = organisation_for(session, email, extra)
    if organisation is None or session.scalar(select(User.id).where(User.email == email)):
        return None, None
    token = new_link_token()
    now = utcnow()
    join = JoinRequest(email=email, organisation_id=organisation.id,
                       token_hash=hash_secret(token), created_at=now,
                       expires_at=now + timedelta(hours=hours))
    session.add(join)
    session.flush()
    record(session, None, "join_requested", "join_request", join.id, email=email)
    return join, token


def open_request(session: Session, token: str) -> JoinRequest | None:
    join = session.scalar(select(JoinRequest).where(
        JoinRequest.token_hash == hash_secret(token or "")))
    if join is None or join.status != "pending" or join.expires_at <= utcnow():
        return None
    return join


def fill_in(session: Session, join: JoinRequest, form: dict[str, str], password: str,
            again: str) -> None:
    """The person's own record (checked as the import checks a professional), and a password;
    waits for approval."""
    record_ = {"name": form.get("name", "").strip(), "role": form.get("role", "").strip(),
               "mobile": form.get("mobile", "").strip(), "wijken": form.get("wijken", ""),
               "domains": form.get("domains", ""),
               "organisation_key": join.organisation.external_id or ""}
    _dry_run_person(session, record_)
    check_new_password(password, again, [join.email, record_["name"]])
    join.name = record_["name"]
    join.record = record_ | {"password_hash": _hash(password)}
    join.verified_at = utcnow()
    join.status = "verified"
    record(session, None, "join_verified", "join_request", join.id)
    session.flush()


def _hash(password: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password)


def _dry_run_person(session: Session, record_: dict[str, str]) -> None:
    data = {"professionals": [{"key": "aanmelding", "email": "", **record_}]}
    report = run_import(session, [Source("aanmelding.json", json.dumps(data).encode())],
                        dry_run=True)
    if not report.ok:
        problems: dict[str | None, list[str]] = {}
        for p in report.problems:
            problems.setdefault(p.column, []).append(p.message)
        raise EditRejected(problems)


def approve(session: Session, by: Any, join: JoinRequest) -> User:
    """Make the professional (through the import) and the active account."""
    if join.status != "verified":
        raise UserError(_("Deze aanmelding wacht niet op goedkeuring."))
    data = dict(join.record)
    password_hash = data.pop("password_hash")
    key = new_key("professionals", data)
    person = {"key": key, "email": join.email, **data}
    report = run_import(session, [Source("aanmelding.json",
                                         json.dumps({"professionals": [person]}).encode())])
    if not report.ok or not report.applied:
        raise UserError(report.problems[0].reason if report.problems else _("niet opgeslagen"))
    professional = session.scalar(select(Professional).where(Professional.external_id == key))
    assert professional is not None  # the import just wrote it
    user = User(email=join.email, role=Role.MEDEWERKER, professional_id=professional.id,
                password_hash=password_hash)
    session.add(user)
    join.status, join.decided_by_id, join.decided_at = "approved", getattr(by, "id", None), utcnow()
    join.record = {k: v for k, v in join.record.items() if k != "password_hash"}
    session.flush()
    join.user_id = user.id
    record_change(session, by, professional, "aangemaakt", None, professional.name)
    record_change(session, by, user, "aangemaakt", None, user.email)
    record(session, by, "join_approved", "join_request", join.id, user_id=user.id)
    session.flush()
    return user


def reject(session: Session, by: Any, join: JoinRequest) -> None:
    join.status, join.decided_by_id, join.decided_at = "rejected", getattr(by, "id", None), utcnow()
    join.record = {k: v for k, v in join.record.items() if k != "password_hash"}
    record(session, by, "join_rejected", "join_request", join.id)
    session.flush()
