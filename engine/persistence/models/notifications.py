"""Notifications: the in-app inbox, and the outbox the worker sends by mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.persistence.models.base import Base, BigId, Word
from engine.vocabulary import Audience, NoticeKind


class Notification(Base):
    """A notice to one account, or to everyone holding a post or role in a region.

    A notice with an `address` is also mailed by the worker (`sent_at` once done).
    """

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient", "recipient_kind", "recipient"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    recipient_kind: Mapped[Audience] = mapped_column(Word(Audience, 16))
    recipient: Mapped[str] = mapped_column(String(64))
    org_code: Mapped[str] = mapped_column(String(12))
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NoticeKind] = mapped_column(Word(NoticeKind, 32))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    address: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None]
    send_attempts: Mapped[int] = mapped_column(default=0)
    next_send_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
