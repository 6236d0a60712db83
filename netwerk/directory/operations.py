"""Directory writes: a professional's own details (with their change history), "klopt nog",
"klopt niet" reports and closing them, favourites, and the audit of a profile listing cases.
They flush, never commit; the view commits once per request. Plain functions over a Session,
no Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netwerk import audit
from netwerk.db import rowcount, utcnow
from netwerk.errors import UserError
from netwerk.history import record_diff
from netwerk.i18n import _
from netwerk.models import (
    Area,
    Case,
    Domain,
    Favourite,
    Organisation,
    Professional,
    RecordReport,
    ReportReason,
    ReportResolution,
    User,
)
from netwerk.models.enums import REPORT_REASON_LABELS
from netwerk.models.report import NOTE_MAX
from netwerk.notify import notify
from netwerk.phone import InvalidPhoneNumber, normalize
from netwerk.privacy import find_identifiers
from netwerk.text import bad_character


def confirm(session: Session, user, professional: Professional,
            now: datetime | None = None) -> int:
    """"Klopt nog": the details were checked and are still right. Open reports on the person
    are closed as "klopt toch"; returns how many."""
    now = now or utcnow()
    professional.verified_at = now
    closed = resolve_open_reports(session, user, professional=professional,
                                  resolution=ReportResolution.KLOPT_TOCH, now=now)
    audit.record(session, user, "confirm_record", "professional", professional.id,
                 reports_closed=closed)
    session.flush()
    return closed


@dataclass
class ProfessionalUpdate:
    name: str
    role: str
    mobile: str | None
    landline: str | None
    email: str | None
    languages: list[str]
    area_ids: list[int]
    domain_ids: list[int]
    photo: bytes | None = None
    remove_photo: bool = False
    seen_version: int | None = None  # the version the form showed; None: unknown, refused


class StaleEdit(UserError):
    """Someone saved this record after the form was opened: nothing is written, the form shows
    the current values."""

    def __init__(self) -> None:
        super().__init__(_("Niet opgeslagen: iemand anders heeft deze gegevens intussen "
                           "gewijzigd. Hieronder staan de huidige gegevens; breng je wijziging "
                           "opnieuw aan."), None)


class UpdateError(UserError):
    """Refused input: ``errors`` maps a form field to a Dutch message naming it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()), next(iter(errors), None))


def _claim_version(session: Session, professional: Professional, seen: int | None) -> None:
    """Raise the record's version from ``seen`` in ONE conditional UPDATE checked by rowcount
    (as capacity counts do): of two saves made from the same form version exactly one gets
    through, on SQLite and PostgreSQL; the other raises StaleEdit."""
    if seen is None:
        raise StaleEdit()
    result = session.execute(
        update(Professional)
        .where(Professional.id == professional.id, Professional.version == seen)
        .values(version=Professional.version + 1)
        .execution_options(synchronize_session=False))
    if rowcount(result) != 1:
        raise StaleEdit()
    session.expire(professional, ["version"])


def _snapshot(professional: Professional) -> dict[str, str]:
    """The person as the change history writes it: the same fields and notation as a beheer
    edit (netwerk/accounts/editing.py), so either history reads alike and beheer can undo a
    change made here."""
    from netwerk.accounts.editing import KINDS

    return KINDS["professionals"].snapshot(professional)


def update_professional(
    session: Session, professional: Professional, data: ProfessionalUpdate,
    now: datetime | None = None, user=None,
) -> None:
    """Apply ``data`` to ``professional`` and mark it verified; all or nothing.

    Everything is checked before anything is assigned, so a refused number leaves the record
    untouched (raises UpdateError naming the fields). Each changed field becomes a row of the
    change history (by ``user``), a new or removed photo too; saving closes the open reports
    on the person ("aangepast").
    """
    errors: dict[str, str] = {}
    numbers: dict[str, str | None] = {}
    for key, label, mobile in (
        ("mobile", _("Mobiel nummer"), True),
        ("landline", _("Vast nummer"), False),
    ):
        try:
            numbers[key] = normalize(getattr(data, key), field=label, mobile=mobile)
        except InvalidPhoneNumber as exc:
            errors[key] = _("%(label)s: %(reason)s", label=label, reason=exc.reason)
    if not data.name.strip():
        errors["name"] = _("Naam: vul een naam in.")
    if numbers.get("mobile") and numbers.get("mobile") == numbers.get("landline"):
        errors["landline"] = _("Vast nummer: is hetzelfde als het mobiele nummer.")
    if numbers.get("mobile"):
        taken = session.scalar(
            select(Professional.name).where(
                Professional.mobile == numbers["mobile"], Professional.id != professional.id
            )
        )
        if taken:
            errors["mobile"] = _("Mobiel nummer: dit nummer staat al bij %(name)s.", name=taken)
    areas = list(session.scalars(select(Area).where(Area.id.in_(data.area_ids)))) if data.area_ids else []
    domains = (
        list(session.scalars(select(Domain).where(Domain.id.in_(data.domain_ids))))
        if data.domain_ids else []
    )
    if errors:
        raise UpdateError(errors)
    _claim_version(session, professional, data.seen_version)
    before = _snapshot(professional)
    before_photo = professional.photo_updated_at is not None
    professional.name = data.name.strip()
    professional.role = data.role.strip()
    professional.mobile = numbers["mobile"]
    professional.landline = numbers["landline"]
    professional.email = (data.email or "").strip() or None
    professional.languages = data.languages or ["nl"]
    professional.areas = areas
    professional.domains = domains
    now = now or utcnow()
    if data.photo is not None:
        professional.photo = data.photo
        professional.photo_updated_at = now
    elif data.remove_photo:
        professional.photo = None
        professional.photo_updated_at = None  # None means "no photo": pages show initials
    professional.verified_at = now
    changes = record_diff(session, user, professional, before, _snapshot(professional))
    if data.photo is not None:
        changes += record_diff(session, user, professional, {}, {"foto": _("nieuw")})
    elif data.remove_photo and before_photo:
        changes += record_diff(session, user, professional, {"foto": _("ja")}, {})
    resolve_open_reports(session, user, professional=professional,
                         resolution=ReportResolution.AANGEPAST, now=now)
    session.flush()


def record_case_listing(session: Session, viewer, professional_id: int, cases: list[Case]) -> None:
    """A profile listed these cases to ``viewer``: each listing is a case access, audited."""
    for case in cases:
        audit.record(session, viewer, "view_case_listing", "case", case.id,
                     via="directory.person", professional_id=professional_id)


def set_favourite(session: Session, user, professional: Professional, on: bool) -> bool:
    """Mark or unmark ``professional`` as one of ``user``'s favourites; returns the new state.

    Idempotent: marking twice keeps one row (two tabs, a double tap), unmarking what is not
    marked changes nothing.
    """
    existing = session.scalar(
        select(Favourite).where(Favourite.user_id == user.id,
                                Favourite.professional_id == professional.id)
    )
    if on and existing is None:
        try:
            with session.begin_nested():
                session.add(Favourite(user_id=user.id, professional_id=professional.id))
        except IntegrityError:
            pass  # the other tap won: the favourite is there
    elif not on and existing is not None:
        session.delete(existing)
    session.flush()
    return on


# -- "klopt niet": reports on a person or an organisation -------------------------------------
# Client identifiers have no place in a remark about a professional's details; a number or an
# e-mail address may (the right number, the new address), so those two kinds pass.
REFUSED_IN_NOTE = {"bsn", "iban", "adres", "geboortedatum"}


class ReportError(UserError):
    """A report refused with a Dutch message naming its field (``reason`` or ``note``)."""


@dataclass
class Filed:
    report: RecordReport
    new: bool  # False: this reporter's open report on the record was already there


def check_note(note: str | None) -> str:
    """The remark as stored: trimmed, at most NOTE_MAX characters, no control characters and
    no client identifiers (raises ReportError on the field ``note``)."""
    text = " ".join((note or "").split())
    if len(text) > NOTE_MAX:
        raise ReportError(_("Toelichting: houd het kort (hoogstens %(max)s tekens).",
                            max=NOTE_MAX), "note")
    if bad_character(text, multiline=False) is not None:
        raise ReportError(_("Toelichting: ongeldig teken; typ de tekst opnieuw zonder "
                            "onzichtbare tekens."), "note")
    found = [i for i in find_identifiers(text) if i.kind in REFUSED_IN_NOTE]
    if found:
        raise ReportError(_("Toelichting: zet hier geen gegevens van cliënten in "
                            "(%(what)s).", what=found[0].describe()), "note")
    return text


def file_report(session: Session, user, *, reason: str | None, note: str | None = None,
                professional: Professional | None = None,
                organisation: Organisation | None = None,
                now: datetime | None = None) -> Filed:
    """Record ``user``'s report that a person's or an organisation's details are wrong.

    One open report per reporter per record: reporting again (two taps, two tabs, a day
    later) keeps the first report and returns it with ``new`` False. The report is audited
    and handed to ``report_filed`` (where the owners will be told)."""
    if professional is not None and organisation is None:
        target = {"professional_id": professional.id}
    elif organisation is not None and professional is None:
        target = {"organisation_id": organisation.id}
    else:
        raise ValueError("report either a professional or an organisation")
    try:
        kind = ReportReason(reason or "")
    except ValueError:
        raise ReportError(_("Reden: kies wat er niet klopt."), "reason") from None
    text = check_note(note)
    if kind is ReportReason.ANDERS and not text:
        raise ReportError(_("Toelichting: schrijf kort wat er niet klopt."), "note")
    existing = _open_report_of(session, user, **target)
    if existing is not None:
        return Filed(existing, new=False)
    report = RecordReport(reporter_id=user.id, reason=kind, note=text,
                          created_at=now or utcnow(), **target)
    try:
        with session.begin_nested():
            session.add(report)
    except IntegrityError:  # the other tap won: its report is the one
        winner = _open_report_of(session, user, **target)
        if winner is None:  # refused for another reason than an open report of the same user
            raise
        return Filed(winner, new=False)
    object_type, object_id = next(iter(target.items()))
    audit.record(session, user, "report_record", object_type.removesuffix("_id"), object_id,
                 reason=kind.value)
    session.flush()
    report_filed(session, report)
    return Filed(report, new=True)


def _open_report_of(session: Session, user, **target) -> RecordReport | None:
    query = select(RecordReport).where(RecordReport.reporter_id == user.id,
                                       RecordReport.resolved_at.is_(None))
    for column, value in target.items():
        query = query.where(getattr(RecordReport, column) == value)
    return session.scalar(query)


def report_filed(session: Session, report: RecordReport) -> list[User]:
    """A report was filed: tell the accounts that should hear of it — the person themself, the
    organisatiebeheerders of the organisation, else the beheerders — never the reporter.

    They are told with kind ``report`` (netwerk/notify): the inbox line names the record and
    the fixed reason; the free text of "anders" stays in the app (the queue
    /verifieren/meldingen), and the e-mail carries only that there is a report and the link.
    Returns the accounts told."""
    organisation_id = report.organisation_id
    query = select(User).where(User.active)
    if report.professional_id is not None:
        person = session.get_one(Professional, report.professional_id)
        organisation_id = person.organisation_id
        own = list(session.scalars(query.where(User.professional_id == person.id)))
    else:
        own = []
    admins = list(session.scalars(
        query.where(User.organisation_admin.is_(True))
        .join(Professional, User.professional_id == Professional.id)
        .where(Professional.organisation_id == organisation_id)))
    if not own and not admins:
        from netwerk.models import Role

        admins = list(session.scalars(query.where(User.role == Role.BEHEERDER)))
    seen, recipients = {report.reporter_id}, []
    for account in own + admins:
        if account.id not in seen:
            seen.add(account.id)
            recipients.append(account)
    notify(session, [a.id for a in recipients], "report", "/verifieren/meldingen",
           _report_line(session, report), key=f"report:{report.id}")
    return recipients


def _report_line(session: Session, report: RecordReport) -> str:
    """The inbox line of a report: which record and the chosen reason (not the free text)."""
    reason = str(REPORT_REASON_LABELS[ReportReason(report.reason)])
    if report.professional_id is not None:
        name = session.get_one(Professional, report.professional_id).name
        return _("Melding over %(name)s: %(reason)s", name=name, reason=reason)
    org = session.get_one(Organisation, report.organisation_id)
    return _("Melding over %(name)s: %(reason)s", name=org.name, reason=reason)


def resolve_report(session: Session, user, report: RecordReport,
                   now: datetime | None = None) -> bool:
    """"Klopt toch": the owner checked the reported record and it is right. False when the
    report was already closed (by someone else, or by an edit) — nothing changes then."""
    now = now or utcnow()
    table = RecordReport.__table__
    result = session.execute(
        update(table).where(table.c.id == report.id, table.c.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_id=user.id,
                resolution=ReportResolution.KLOPT_TOCH.value)
        .execution_options(synchronize_session=False))
    session.expire(report)
    if rowcount(result) != 1:
        return False
    if report.professional_id is not None:
        person = session.get_one(Professional, report.professional_id)
        person.verified_at = now  # checked just now
    object_type = "professional" if report.professional_id is not None else "organisation"
    audit.record(session, user, "resolve_report", object_type,
                 report.professional_id or report.organisation_id, report_id=report.id,
                 resolution=ReportResolution.KLOPT_TOCH.value)
    session.flush()
    return True


def resolve_open_reports(session: Session, user, *, professional: Professional | None = None,
                         organisation: Organisation | None = None,
                         organisation_id: int | None = None, professional_id: int | None = None,
                         resolution: ReportResolution = ReportResolution.AANGEPAST,
                         now: datetime | None = None) -> int:
    """Close every open report on one record (it was edited or confirmed); returns how many."""
    table = RecordReport.__table__
    if professional is not None:
        professional_id = professional.id
    if organisation is not None:
        organisation_id = organisation.id
    where = table.c.professional_id == professional_id if professional_id is not None \
        else table.c.organisation_id == organisation_id
    result = session.execute(
        update(table).where(where, table.c.resolved_at.is_(None))
        .values(resolved_at=now or utcnow(), resolved_by_id=getattr(user, "id", None),
                resolution=resolution.value)
        .execution_options(synchronize_session=False))
    return rowcount(result)
