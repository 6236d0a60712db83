"""The basis for sharing a case (docs/security.md, finding 20): what a form names for the people
it brings in (consent of the client, or a legal ground), checked before anything changes,
recorded on the case, and withdrawn (everyone brought in on it loses access at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk import audit
from netwerk.db import utcnow
from netwerk.i18n import _
from netwerk.matching.errors import CaseError, check_free_text
from netwerk.models import BasisKind, Case, CaseBasis, CaseStatus, LegalGround

# A consent older than this is refused as a typing error (a year of 0206 instead of 2026).
CONSENT_MAX_AGE_DAYS = 5 * 366


@dataclass(frozen=True)
class BasisInput:
    """The basis a form names for the people it brings into a case: ``existing_id`` (a basis
    of the case, not withdrawn), or a new one of ``kind``: consent (``given_on`` as typed,
    ``scope``: for what) or a legal ground (``legal_ground``)."""

    existing_id: int | None = None
    kind: str = ""
    given_on: str | date | None = None
    scope: str = ""
    legal_ground: str = ""

    @classmethod
    def from_choice(cls, choice: str | None, given_on=None, scope: str | None = "",
                    legal_ground: str | None = "") -> BasisInput:
        """From the form's fields: ``choice`` is an existing basis id, ``toestemming`` or
        ``wettelijke_grond`` (anything else is no basis)."""
        choice = (choice or "").strip()
        existing = int(choice) if choice.isascii() and choice.isdigit() and len(choice) < 10 \
            else None
        return cls(existing_id=existing, kind="" if existing else choice, given_on=given_on,
                   scope=(scope or "").strip(), legal_ground=(legal_ground or "").strip())


def _names(session: Session, ids) -> str:
    from netwerk.models import Professional

    names = sorted(session.scalars(select(Professional.name).where(Professional.id.in_(ids))))
    return ", ".join(names)


def check_basis(session: Session, case: Case | None, basis: BasisInput | None,
                people: set[int], today: date | None = None) -> CaseBasis | None:
    """Validate the basis for sharing ``case`` with ``people`` (those a form brings in) and
    return it: the existing basis, or a new ``CaseBasis`` not yet added to the session. None
    when nobody is brought in. A missing or incomplete basis is a CaseError naming who would
    have been added; nothing changes."""
    if not people:
        return None
    today = today or utcnow().date()
    if basis is None or (basis.existing_id is None and not basis.kind):
        who = _names(session, people)  # only for the message
        raise CaseError(_("Grondslag: leg vast op welke grond de casus met %(who)s gedeeld "
                          "wordt: toestemming van de cliënt (wanneer, waarvoor) of een "
                          "wettelijke grond. Er is niemand toegevoegd.", who=who),
                        field="basis")
    if basis.existing_id is not None:
        found = session.get(CaseBasis, basis.existing_id)
        if found is None or case is None or found.case_id != case.id:
            raise CaseError(_("Grondslag: kies een grondslag van deze casus."), field="basis")
        if found.withdrawn_at is not None:
            raise CaseError(_("Grondslag: deze toestemming is ingetrokken; leg een nieuwe "
                              "grondslag vast."), field="basis")
        return found
    if basis.kind == BasisKind.TOESTEMMING:
        given = basis.given_on
        if isinstance(given, str):
            try:
                given = date.fromisoformat(given.strip()) if given.strip() else None
            except ValueError:
                raise CaseError(_("Toestemming gegeven op: geen geldige datum (dag-maand-jaar)."),
                                field="consent_given_on") from None
        if given is None:
            raise CaseError(_("Toestemming gegeven op: wanneer gaf de cliënt toestemming?"),
                            field="consent_given_on")
        if given > today:
            raise CaseError(_("Toestemming gegeven op: die datum ligt in de toekomst."),
                            field="consent_given_on")
        if (today - given).days > CONSENT_MAX_AGE_DAYS:
            raise CaseError(_("Toestemming gegeven op: die datum ligt meer dan vijf jaar terug; "
                              "vraag opnieuw toestemming."), field="consent_given_on")
        if not basis.scope:
            raise CaseError(_("Toestemming waarvoor: waarvoor gaf de cliënt toestemming "
                              "(bijvoorbeeld: delen met schuldhulp voor de huurachterstand)?"),
                            field="consent_scope")
        if len(basis.scope) > 300:
            raise CaseError(_("Toestemming waarvoor: hoogstens 300 tekens."),
                            field="consent_scope")
        check_free_text(_("Toestemming waarvoor"), basis.scope)
        return CaseBasis(kind=BasisKind.TOESTEMMING, consent_given_on=given,
                         consent_scope=basis.scope)
    if basis.kind == BasisKind.WETTELIJKE_GROND:
        try:
            ground = LegalGround(basis.legal_ground)
        except ValueError:
            raise CaseError(_("Wettelijke grond: kies de wettelijke grond uit de lijst."),
                            field="legal_ground") from None
        return CaseBasis(kind=BasisKind.WETTELIJKE_GROND, legal_ground=ground)
    raise CaseError(_("Grondslag: kies toestemming van de cliënt of een wettelijke grond."),
                    field="basis")


def record_basis(session: Session, case: Case, basis: CaseBasis, user) -> CaseBasis:
    """Attach a new basis to ``case`` (an existing one is returned as it is)."""
    if basis.id is None:
        basis.recorded_by_id = getattr(user, "id", None)
        case.bases.append(basis)
        session.flush()
        audit.record(session, user, "record_basis", "case", case.id, basis_id=basis.id,
                     kind=basis.kind.value,
                     legal_ground=basis.legal_ground.value if basis.legal_ground else None)
    return basis


def withdraw_basis(session: Session, case: Case, user, basis_id: int) -> list[int]:
    """The client withdraws a consent (or a legal ground ends): everyone brought in on it
    loses access at once (their involvement goes; the basis stays, marked withdrawn). A lead
    among them is no longer the lead: the coordinator decides again. Returns who lost access."""
    basis = session.get(CaseBasis, basis_id)
    if basis is None or basis.case_id != case.id:
        raise CaseError(_("Grondslag: deze grondslag hoort niet bij deze casus."))
    if basis.withdrawn_at is not None:
        raise CaseError(_("Grondslag: deze grondslag was al ingetrokken."))
    basis.withdrawn_at = utcnow()
    removed = sorted(i.professional_id for i in case.involvements if i.basis_id == basis.id)
    case.involvements = [i for i in case.involvements if i.basis_id != basis.id]
    if case.lead_id in removed:
        case.lead_id = None
        case.lead_decided_at = None
        case.lead_decided_by_id = None
        case.lead_reason = ""
        if case.status == CaseStatus.LOPEND:
            case.status = CaseStatus.OPEN
    audit.record(session, user, "withdraw_basis", "case", case.id, basis_id=basis.id,
                 professional_ids=removed)
    session.flush()
    return removed
