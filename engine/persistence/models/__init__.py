"""All tables; importing this package registers them on Base.metadata."""

from engine.persistence.models.base import Base
from engine.persistence.models.cases import Case, DueTimer, HumanTask, Incident, TimelineEvent
from engine.persistence.models.catalogue import Matter, ProcessVersion

__all__ = [
    "Base",
    "Case",
    "DueTimer",
    "HumanTask",
    "Incident",
    "Matter",
    "ProcessVersion",
    "TimelineEvent",
]
