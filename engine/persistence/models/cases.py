"""Cases and their projections: open human tasks, due timers, timeline and incidents.

The workflow state in `cases.state` is the truth; every other table here (and the message waits
and service calls of work.py) is a projection of it written in the same transaction, so that
lists, inboxes and the worker never restore a workflow to find what is due. The timeline is
only ever appended to, through the unit of work's journal (persistence/journal.py), and read
with a query of its own: it is no collection of the case.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.persistence.models.base import Base, BigId, JsonDoc, JsonOrNull, Word, words_of
from engine.persistence.models.catalogue import Matter, ProcessVersion
from engine.vocabulary import CaseStatus, Decision, Outcome, TimelineKind

if TYPE_CHECKING:
    from engine.persistence.models.work import MessageWait, ServiceCall


class Case(Base):
    """One application for one matter, pinned to the process version it started on."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_applicant_created", "applicant_id", "created_at"),
        Index("ix_cases_org_status", "org_code", "status"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    applicant_id: Mapped[str] = mapped_column(String(64))
    org_code: Mapped[str] = mapped_column(String(12))
    status: Mapped[CaseStatus] = mapped_column(Word(CaseStatus, 24))
    outcome: Mapped[Outcome | None] = mapped_column(Word(Outcome, 16))
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    state: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(default=1)  # optimistic locking: persistence/revisions.py
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # promised decision date: applied + time limit in working days, + time awaiting the applicant
    due_at: Mapped[datetime | None]

    matter: Mapped[Matter] = relationship()
    version: Mapped[ProcessVersion] = relationship()
    tasks: Mapped[list[HumanTask]] = relationship(
        cascade="all, delete-orphan", order_by="HumanTask.created_at"
    )
    timers: Mapped[list[DueTimer]] = relationship(cascade="all, delete-orphan")
    message_waits: Mapped[list[MessageWait]] = relationship(cascade="all, delete-orphan")
    calls: Mapped[list[ServiceCall]] = relationship(cascade="all, delete-orphan")
    incidents: Mapped[list[Incident]] = relationship(cascade="all, delete-orphan", order_by="Incident.id")


OPEN_UNCLAIMED = "assignee IS NULL AND returned_at IS NULL"
SHARED = "candidate_groups LIKE '%,%'"


class HumanTask(Base):
    """An open user task; deleted when it is completed (the timeline keeps the history)."""

    __tablename__ = "human_tasks"
    __table_args__ = (
        # The inbox: one ordered index walk per post over the open, unclaimed tasks.
        Index(
            "ix_human_tasks_inbox",
            "candidate_groups",
            "due_at",
            "id",
            postgresql_where=text(OPEN_UNCLAIMED),
            sqlite_where=text(OPEN_UNCLAIMED),
        ),
        # The few tasks offered to several posts at once ("acceptance,review").
        Index(
            "ix_human_tasks_shared", "due_at", "id", postgresql_where=text(SHARED), sqlite_where=text(SHARED)
        ),
        Index("ix_human_tasks_assignee", "assignee", "due_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    form_key: Mapped[str | None] = mapped_column(String(255))
    candidate_groups: Mapped[str] = mapped_column(String(255))
    org_code: Mapped[str] = mapped_column(String(12), index=True)
    assignee: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime]
    # set while the case waits for the applicant to supply what the reviewer asked for
    returned_at: Mapped[datetime | None]

    @property
    def posts(self) -> tuple[str, ...]:
        """The posts the task is offered to (`candidate_groups`, one indexed text)."""
        return words_of(self.candidate_groups)


class DueTimer(Base):
    """A timer event a case waits on; the worker claims the due ones and fires them."""

    __tablename__ = "due_timers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    due_at: Mapped[datetime] = mapped_column(index=True)
    # an unexpected error while firing (not a process fault, which is an incident) postpones it
    failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class TimelineEvent(Base):
    """What happened to a case, when, by whom: the trackable history applicants see."""

    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    kind: Mapped[TimelineKind] = mapped_column(Word(TimelineKind, 32))
    activity: Mapped[str | None] = mapped_column(String(255))
    activity_name: Mapped[str | None] = mapped_column(String(255))
    actor: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")  # free text: a message's name, an error
    # what a reviewer decided and wrote (a decision, a return), and what the process decided
    decision: Mapped[Decision | None] = mapped_column(Word(Decision, 16))
    comment: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[Outcome | None] = mapped_column(Word(Outcome, 16))
    # the case-data fields the entry changed: supplied by the applicant, corrected by staff
    fields: Mapped[list[str] | None] = mapped_column(JsonOrNull)


class Incident(Base):
    """A step that failed and was rolled back; open until a retry gets past it."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    file: Mapped[str] = mapped_column(String(255), default="")
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(64))
