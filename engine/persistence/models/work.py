"""The worker's tables: what cases wait for, what other systems sent, what is scheduled.

`message_waits` and `service_calls` are projections of the workflow state, written with it in
one transaction (like `due_timers`). `messages` keeps every message received, matched or not,
so that one arriving before its case waits is delivered later and none is dropped silently.
`schedules` say when the next case of a periodic matter starts. Workers claim due rows with
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.persistence.models.base import Base, BigId, JsonDoc, Word
from engine.vocabulary import MessageStatus


class MessageWait(Base):
    """A case waiting for a message by name; matched by case id or number, or by the key the
    case registered from its data."""

    __tablename__ = "message_waits"
    __table_args__ = (Index("ix_message_waits_name_key", "name", "correlation_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    correlation_key: Mapped[str | None] = mapped_column(String(255))


class ServiceCall(Base):
    """A call to another system a case waits on; attempts and backoff live here, not in the state."""

    __tablename__ = "service_calls"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the service task's id
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    connector: Mapped[str | None] = mapped_column(String(128))
    request: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    retries: Mapped[int | None]
    backoff_seconds: Mapped[float | None]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(index=True)
    locked_until: Mapped[datetime | None]  # a worker is calling; after this another may take over
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class StoredMessage(Base):
    """A message from another system: delivered, waiting for its case, or expired unmatched."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_status_name_key", "status", "name", "correlation_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    correlation_key: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    sender: Mapped[str] = mapped_column(String(64))
    status: Mapped[MessageStatus] = mapped_column(Word(MessageStatus, 16))
    received_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    delivered_at: Mapped[datetime | None]
    case_ids: Mapped[str] = mapped_column(Text, default="")


class Schedule(Base):
    """When the next case of a periodic matter starts (a timer start event of its current version)."""

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("version_id", "element_id", name="uq_schedules_version_element"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    element_id: Mapped[str] = mapped_column(String(255))
    origin: Mapped[datetime]  # the moment durations and open-ended cycles count from
    occurrence: Mapped[int] = mapped_column(default=0)  # how many cases it has started
    next_at: Mapped[datetime | None] = mapped_column(index=True)  # None: no more occurrences
    last_case_id: Mapped[str | None] = mapped_column(String(32))
