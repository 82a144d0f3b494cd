"""Matters and their immutable process versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.persistence.models.base import Base, BigId, JsonDoc


class Matter(Base):
    """A service matter of the catalogue; its current version is the one new cases start on."""

    __tablename__ = "matters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("process_versions.id", use_alter=True, name="fk_matters_current_version")
    )
    created_at: Mapped[datetime]

    current_version: Mapped[ProcessVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class ProcessVersion(Base):
    """One deployed bundle of a matter: guide, BPMN, DMN and forms, never edited afterwards."""

    __tablename__ = "process_versions"
    __table_args__ = (
        UniqueConstraint("matter_id", "number", name="uq_process_versions_matter_number"),
        UniqueConstraint("matter_id", "sha256", name="uq_process_versions_matter_sha256"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    number: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    process_id: Mapped[str] = mapped_column(String(255))
    manifest: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    # Large and immutable: loaded only when a version is parsed or a form is first needed.
    sources: Mapped[dict[str, str]] = mapped_column(JsonDoc, deferred=True)
    forms: Mapped[dict[str, Any]] = mapped_column(JsonDoc, deferred=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]

    matter: Mapped[Matter] = relationship(foreign_keys=[matter_id])
