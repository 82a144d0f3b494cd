"""All tables; importing this package registers them on Base.metadata."""

from engine.persistence.models.accounts import Account, ApiToken, LoginAttempt, Organisation
from engine.persistence.models.audit import AuditEvent, AuditHead
from engine.persistence.models.base import Base
from engine.persistence.models.cases import Case, DueTimer, HumanTask, Incident, TimelineEvent
from engine.persistence.models.catalogue import Matter, ProcessVersion
from engine.persistence.models.materials import Material
from engine.persistence.models.notifications import Notification
from engine.persistence.models.requests import IdempotencyKey
from engine.persistence.models.work import MessageWait, Schedule, ServiceCall, StoredMessage

__all__ = [
    "Account",
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Case",
    "DueTimer",
    "HumanTask",
    "IdempotencyKey",
    "Incident",
    "LoginAttempt",
    "Material",
    "Matter",
    "MessageWait",
    "Notification",
    "Organisation",
    "ProcessVersion",
    "Schedule",
    "ServiceCall",
    "StoredMessage",
    "TimelineEvent",
]
