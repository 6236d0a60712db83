"""Who may see and do what: the one place where access is decided.

Views call these functions (or ``require``); templates get them as ``policy``. A rule that
lists also has an SQL twin beside it (``can_view_case`` and ``visible_case_filter``,
``can_add_capacity`` and ``addable_service_filter``): every list filters with the twin, every
single object is checked with the predicate, and tests/web/test_policy_twins.py proves the two
agree for every principal of the access matrix. The routes' rules per principal are in
tests/web/test_access_matrix.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, exists, false, or_, true

from netwerk.models.enums import CapacityEventKind, HoldStatus, Role

if TYPE_CHECKING:
    from netwerk.models import Capacity, Case, Professional, User


def has_role(user: User, *roles: Role) -> bool:
    """True for a signed-in user with one of ``roles``; a beheerder has every role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role == Role.BEHEERDER or user.role in roles


def is_admin(user: User) -> bool:
    return has_role(user)  # only the beheerder passes with no roles named


def can_view_directory(user: User) -> bool:
    """Every signed-in professional sees the directory (names, roles, work numbers)."""
    return bool(user and user.is_authenticated)


def can_edit_professional(user: User, professional: Professional) -> bool:
    """Professionals edit their own details; the organisatiebeheerder of their organisation
    and a beheerder edit them too (the form cannot move anyone to another organisation)."""
    if is_admin(user):
        return True
    if not user.is_authenticated:
        return False
    return (user.professional_id == professional.id
            or can_manage_organisation(user, professional.organisation_id))


def can_update_capacity(user: User, capacity: Capacity) -> bool:
    """Staff of the organisation offering the capacity, and a beheerder."""
    if is_admin(user):
        return True
    prof = user.professional if user.is_authenticated else None
    return prof is not None and prof.organisation_id == capacity.service.organisation_id


def can_add_capacity(user: User, organisation_id: int) -> bool:
    """Adding a count for a service: the organisation's staff and a beheerder."""
    if is_admin(user):
        return True
    prof = user.professional if user.is_authenticated else None
    return prof is not None and prof.organisation_id == organisation_id


def addable_service_filter(user: User) -> ColumnElement[bool]:
    """SQL twin of ``can_add_capacity``: the services ``user`` may add a count for."""
    from netwerk.models import Service

    if is_admin(user):
        return true()
    prof = user.professional if user is not None and user.is_authenticated else None
    if prof is None:
        return false()
    return Service.organisation_id == prof.organisation_id


def can_claim_capacity(user: User, capacity: Capacity) -> bool:
    """Any signed-in professional may claim a free place (a beheerder too); the claim is logged."""
    if is_admin(user):
        return True
    return bool(user and user.is_authenticated and user.professional_id is not None)


def can_release_capacity(user: User, capacity: Capacity, amount: int = 1) -> bool:
    """The organisation's staff and a beheerder; others only what they hold themselves: their
    open and confirmed holds less what they released since (releasing an open hold withdraws
    it)."""
    if can_update_capacity(user, capacity):
        return True
    if not (user and user.is_authenticated):
        return False
    confirmed = sum(h.amount for h in capacity.holds if h.user_id == user.id
                    and h.status in (HoldStatus.OPEN, HoldStatus.CONFIRMED))
    released = sum(e.delta for e in capacity.events
                   if e.user_id == user.id and e.kind == CapacityEventKind.RELEASE)
    return confirmed - released >= max(amount, 1)


# -- holds (issue 16) ------------------------------------------------------------------------

def can_answer_hold(user: User, capacity: Capacity) -> bool:
    """Confirming or declining a hold on a capacity, and seeing its open holds: the staff of
    the organisation offering it and a beheerder (as ``can_update_capacity``)."""
    return can_update_capacity(user, capacity)


def hold_answerer_filter(organisation_id: int) -> ColumnElement[bool]:
    """SQL twin of ``can_answer_hold`` on ``User``: who may answer holds on a capacity of
    ``organisation_id`` (its staff with an account, and every beheerder)."""
    from netwerk.models import Professional, User

    staff = exists().where(Professional.id == User.professional_id,
                           Professional.organisation_id == organisation_id)
    return or_(User.role == Role.BEHEERDER, staff)


def can_withdraw_hold(user: User, hold) -> bool:
    """The claimant withdraws their own hold (the provider declines instead)."""
    return bool(user and user.is_authenticated and hold.user_id == user.id)


def can_see_hold_note(user: User, hold, visible_case_ids) -> bool:
    """A hold's note and decline reason, when made for a case, are case data: only for who
    may see that case (``visible_case_ids`` from ``visible_case_filter``)."""
    return hold.case_id is None or hold.case_id in visible_case_ids


def can_read_notification(user: User, notification) -> bool:
    """An inbox message is its addressee's alone."""
    return bool(user and user.is_authenticated and notification.user_id == user.id)


def can_create_case(user: User) -> bool:
    return has_role(user, Role.COORDINATOR)


def can_view_case(user: User, case: Case) -> bool:
    """Only the case's coordinator, the professionals involved in it, and a beheerder.

    Colleagues of an involved professional's organisation do not see it (seed 000).
    """
    if is_admin(user):
        return True
    if not user.is_authenticated or user.professional_id is None:
        return False
    if case.coordinator_id == user.professional_id:
        return True
    return any(i.professional_id == user.professional_id and _not_opposing(user, case, i)
               for i in case.involvements)


# -- opposing parties (matching, issue 13) -------------------------------------------------
# Someone of an organisation with an opposing interest in the case (the landlord who evicts, a
# creditor) sees nothing of it, even when involved, until the coordinator admits them
# explicitly (CaseInvolvement.opposing_admitted). Predicate and SQL twin side by side.

def _not_opposing(user: User, case: Case, involvement) -> bool:
    if involvement.opposing_admitted:
        return True
    professional = getattr(user, "professional", None)
    org_id = getattr(professional, "organisation_id", None)
    return org_id is None or org_id not in {o.id for o in case.opposing}


def _not_opposing_sql(user: User) -> ColumnElement[bool]:
    from netwerk.models import CaseInvolvement, case_opposing

    professional = getattr(user, "professional", None)
    org_id = getattr(professional, "organisation_id", None)
    if org_id is None:
        return true()
    # Correlated to the involvement (the enclosing EXISTS), not to the outer case row.
    opposing = exists().where(case_opposing.c.case_id == CaseInvolvement.case_id,
                              case_opposing.c.organisation_id == org_id)
    return or_(CaseInvolvement.opposing_admitted.is_(True), ~opposing)

# -- end of opposing parties ---------------------------------------------------------------


def visible_case_filter(user: User) -> ColumnElement[bool]:
    """SQL twin of ``can_view_case``: a WHERE clause on ``Case`` for the cases ``user`` sees."""
    from netwerk.models import Case, CaseInvolvement

    if is_admin(user):
        return true()
    if user is None or not user.is_authenticated or user.professional_id is None:
        return false()
    pid = user.professional_id
    involved = exists().where(CaseInvolvement.case_id == Case.id,
                              CaseInvolvement.professional_id == pid,
                              _not_opposing_sql(user))
    return or_(Case.coordinator_id == pid, involved)


def require_case(user: User, case: Case | None, case_id: int, on_refused=None) -> Case:
    """The case when ``user`` may see it; otherwise 404, the same answer as for an id that does
    not exist, so ids cannot be enumerated (docs/security.md, finding 3). A refusal of an
    existing case is passed to ``on_refused(case)`` first (the caller audits it)."""
    if case is None:
        abort(404)
    if not can_view_case(user, case):
        if on_refused is not None:
            on_refused(case)
        abort(404)
    return case


def can_manage_case(user: User, case: Case) -> bool:
    """Deciding the lead, editing needs and closing: the coordinator and a beheerder."""
    if is_admin(user):
        return True
    return (
        has_role(user, Role.COORDINATOR)
        and user.professional_id is not None
        and case.coordinator_id == user.professional_id
    )


def can_tick_plan_action(user: User, case: Case) -> bool:
    """Marking a plan action done: everyone who may see the case (its people work the plan)."""
    return can_view_case(user, case)


def shown_count(total: int, hidden: int, minimum: int) -> int:
    """A count of open cases as shown to someone: exact when they may see every case counted
    (``hidden`` is 0), else left out (0) below ``minimum`` (NETWERK_MIN_COUNT): a "(1)" next to
    a need in a wijk right after an intake tells an outsider who it is (finding 2)."""
    if hidden <= 0 or total >= minimum:
        return total
    return 0


def can_see_tie_provenance(user: User, case_id: int | None, visible_case_ids) -> bool:
    """Whether the origin of a tie made in a case (that it was, and when) may be shown: to a
    beheerder, and to who may see that case (``visible_case_ids`` from the SQL twin
    ``visible_case_filter``); a case tie whose case is gone or unknown, to a beheerder only."""
    return is_admin(user) or (case_id is not None and case_id in visible_case_ids)


def can_view_audit(user: User) -> bool:
    """The audit log (/beheer/audit) and its CSV: a beheerder only."""
    return is_admin(user)


def can_view_network(user: User) -> bool:
    """The network map, its analysis, exports and work sessions: every signed-in professional."""
    return bool(user and user.is_authenticated)


def can_facilitate(user: User) -> bool:
    """Creating and editing work sessions (attendance, invitations, ties made there) and
    editing an area's sector checklist."""
    return has_role(user, Role.FACILITATOR)


def can_check_in(user: User) -> bool:
    """Checking oneself in at a work session from one's own phone (the table's QR code), and
    then adding one's own ties and invitations there: a signed-in account linked to an active
    professional, for that professional only (never for someone else)."""
    prof = getattr(user, "professional", None) if user and user.is_authenticated else None
    return prof is not None and bool(prof.active)


def require(check: Callable[..., bool], *args) -> None:
    """Abort with 403 unless ``check(current_user, *args)`` holds."""
    if not check(current_user, *args):
        abort(403)


def can_import(user: User) -> bool:
    """Bringing a network in (upload page, all-or-nothing import): a beheerder only."""
    return is_admin(user)


def can_view_import_run(user: User) -> bool:
    """An import's page and progress: the beheerders (who started it and the others: an
    import changes the whole network, any beheerder may need to see how it went)."""
    return is_admin(user)


def can_export(user: User) -> bool:
    """Downloading the whole network (HSDS export): a beheerder only."""
    return is_admin(user)


def can_use_api(user: User) -> bool:
    """The read-only API shows what the directory pages show: any active signed-in user.

    Cases are never exposed in the API, whatever the role.
    """
    return bool(user and user.is_authenticated and user.is_active)


def can_view_capacities(user: User) -> bool:
    """Capacities (/plek) are visible to every signed-in professional."""
    return bool(user and user.is_authenticated)


# --- beheer (issue 17): beheerders everything, an organisatiebeheerder their organisation ----
def managed_organisation_id(user: User) -> int | None:
    """The organisation an organisatiebeheerder manages: that of their own professional."""
    if not (user and getattr(user, "is_authenticated", False) and user.organisation_admin):
        return None
    prof = user.professional
    return prof.organisation_id if prof is not None else None


def can_enter_beheer(user: User) -> bool:
    """/beheer/: a beheerder, or an organisatiebeheerder (for their own organisation)."""
    return is_admin(user) or managed_organisation_id(user) is not None


def can_manage_organisation(user: User, organisation_id: int | None) -> bool:
    """Editing an organisation, its people, services, accounts and join requests."""
    if is_admin(user):
        return True
    return organisation_id is not None and managed_organisation_id(user) == organisation_id


def managed_organisation_filter(user: User, column) -> ColumnElement[bool]:
    """SQL twin of ``can_manage_organisation`` on a column holding an organisation id."""
    if is_admin(user):
        return true()
    org = managed_organisation_id(user)
    return false() if org is None else column == org


def can_manage_reference_data(user: User) -> bool:
    """Capacity types and areas serve everyone: a beheerder only."""
    return is_admin(user)


# --- "klopt niet" reports and checking a record (issue 14, numbers people can trust) -------
# A record's owner checks it: for a person, the professional themself, an
# organisatiebeheerder of their organisation, and a beheerder; for an organisation, its
# organisatiebeheerder and a beheerder. They confirm it ("klopt nog"), close a report on it
# ("klopt toch"), see its change history and who reported what.

def can_report_record(user: User) -> bool:
    """Saying "klopt niet" about any person or organisation: everyone signed in."""
    return bool(user and getattr(user, "is_authenticated", False))


def can_check_professional(user: User, professional: Professional) -> bool:
    """Confirming a person's details, closing reports on them, reading their history."""
    if is_admin(user):
        return True
    if not (user and getattr(user, "is_authenticated", False)):
        return False
    if user.professional_id is not None and user.professional_id == professional.id:
        return True
    org = managed_organisation_id(user)
    return org is not None and org == professional.organisation_id


def can_check_organisation(user: User, organisation_id: int) -> bool:
    """Closing reports on an organisation and reading its history."""
    return can_manage_organisation(user, organisation_id)


def can_resolve_report(user: User, report) -> bool:
    """The owner of the reported record (see above) closes the report."""
    if report.professional_id is not None:
        return can_check_professional(user, report.professional)
    return can_check_organisation(user, report.organisation_id)


def resolvable_report_filter(user: User) -> ColumnElement[bool]:
    """SQL twin of ``can_resolve_report``: a WHERE clause on ``RecordReport`` (a report on a
    person ``checkable_professional_filter`` admits, or on the organisation one manages)."""
    from sqlalchemy import select

    from netwerk.models import Professional, RecordReport

    if is_admin(user):
        return true()
    if not (user and getattr(user, "is_authenticated", False)):
        return false()
    people = select(Professional.id).where(checkable_professional_filter(user))
    clauses: list[ColumnElement[bool]] = [RecordReport.professional_id.in_(people)]
    org = managed_organisation_id(user)
    if org is not None:
        clauses.append(RecordReport.organisation_id == org)
    return or_(*clauses)


def checkable_professional_filter(user: User) -> ColumnElement[bool]:
    """SQL twin of ``can_check_professional``: a WHERE clause on ``Professional``."""
    from netwerk.models import Professional

    if is_admin(user):
        return true()
    if not (user and getattr(user, "is_authenticated", False)):
        return false()
    clauses = []
    if user.professional_id is not None:
        clauses.append(Professional.id == user.professional_id)
    org = managed_organisation_id(user)
    if org is not None:
        clauses.append(Professional.organisation_id == org)
    return or_(*clauses) if clauses else false()


def can_sync_address_books(user: User) -> bool:
    """CardDAV (netwerk/carddav): any active account with an app password; the books hold what
    the directory shows every signed-in professional, never cases."""
    return bool(user and user.is_active)


def can_read_address_book(login: str, owner: str) -> bool:
    """The address books under ``/carddav/<owner>/`` are their owner's alone: ``login`` (the
    e-mail CardDAV accepted) must be ``owner`` exactly — no one reads another's books, a
    beheerder neither."""
    return bool(login) and login == owner
