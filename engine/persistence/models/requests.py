"""Idempotency keys: a retried POST /cases returns the case the first attempt created."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.persistence.models.base import Base


class IdempotencyKey(Base):
    """One client-chosen key per actor, bound to the case its first use created."""

    __tablename__ = "idempotency_keys"

    actor_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    # the application the key was first sent with; None for keys kept from before it was recorded
    request_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
