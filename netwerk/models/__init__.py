"""All models, importable from one place (``from netwerk.models import Professional``)."""

from netwerk.models.account import (
    AccountInvitation,
    Change,
    EmailDomain,
    JoinRequest,
    RecoveryCode,
)
from netwerk.models.api_token import ApiToken
from netwerk.models.app_password import AppPassword
from netwerk.models.area import Area, area_and_descendant_ids
from netwerk.models.audit import AuditEntry
from netwerk.models.capacity import (
    Capacity,
    CapacityEvent,
    CapacityHold,
    CapacitySubscription,
    CapacityType,
)
from netwerk.models.case import Case, CaseInvolvement, CaseNeed, PlanAction, case_opposing
from netwerk.models.enums import (
    AreaKind,
    BasisKind,
    CapacityEventKind,
    CapacityUnit,
    CaseStatus,
    ConstraintTag,
    HoldStatus,
    Indication,
    InvolvementRole,
    LegalGround,
    NeedWeight,
    ReportReason,
    ReportResolution,
    Role,
    RuleKind,
    Sector,
    TieKind,
    TieSource,
    Urgency,
)
from netwerk.models.favourite import Favourite
from netwerk.models.notification import (
    JobRun,
    MailMessage,
    Notification,
    NotificationPreference,
)
from netwerk.models.organisation import (
    Domain,
    EligibilityRule,
    Organisation,
    Service,
    describe_rule,
    service_areas,
    service_domains,
)
from netwerk.models.professional import (
    Professional,
    Tie,
    professional_areas,
    professional_domains,
)
from netwerk.models.recent import RecentlyOpened
from netwerk.models.report import RecordReport
from netwerk.models.table import DataVersion, NodePosition
from netwerk.models.trust import CaseBasis, ReferenceCounter, UserSession
from netwerk.models.user import User
from netwerk.models.worksession import AreaSectorChecklist, Attendance, Invitation, WorkSession

__all__ = [
    "AccountInvitation", "Change", "EmailDomain", "JoinRequest", "RecoveryCode",
    "ApiToken", "AppPassword", "Area", "AreaKind", "AreaSectorChecklist", "Attendance", "AuditEntry", "Capacity",
    "CapacityEvent", "CapacityEventKind", "CapacityType", "CapacityUnit", "Case",
    "CaseInvolvement", "CaseNeed", "CaseStatus", "ConstraintTag", "Domain", "EligibilityRule",
    "Indication", "Invitation", "InvolvementRole", "NeedWeight", "Organisation", "PlanAction",
    "Professional", "RecentlyOpened", "Role", "RuleKind", "Sector", "Service", "Tie", "TieKind", "TieSource",
    "Urgency", "User", "WorkSession", "area_and_descendant_ids", "case_opposing", "describe_rule",
    "professional_areas", "professional_domains", "service_areas", "service_domains",
    "BasisKind", "CaseBasis", "DataVersion", "NodePosition", "Favourite", "LegalGround",
    "ReferenceCounter", "UserSession", "RecordReport", "ReportReason", "ReportResolution",
    "CapacityHold", "CapacitySubscription", "HoldStatus", "JobRun", "MailMessage",
    "Notification", "NotificationPreference",
]
