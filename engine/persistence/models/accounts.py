"""Organisations (the region tree), accounts, their tokens and login attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.persistence.models.base import Base, BigId, words_of


class Organisation(Base):
    """A node of national > province > city > district > office, keyed by its division code."""

    __tablename__ = "organisations"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("organisations.code"), index=True)
    created_at: Mapped[datetime]


class Account(Base):
    """A person or system that signs in; roles and posts decide what it may see and do."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[str] = mapped_column(String(128))
    posts: Mapped[str] = mapped_column(String(255), default="")
    org_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"), index=True)
    identity_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    supervisor_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))  # where an unlock code is mailed
    unlock_code_hash: Mapped[str | None] = mapped_column(String(64))  # sha256 of the one-time code
    unlock_code_expires_at: Mapped[datetime | None]

    @property
    def role_names(self) -> tuple[str, ...]:
        return words_of(self.roles)

    @property
    def post_names(self) -> tuple[str, ...]:
        return words_of(self.posts)


class ApiToken(Base):
    """A bearer token or page session; only its sha256 is stored, so a leaked table is useless."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class LoginAttempt(Base):
    """Every sign-in try, for throttling by address and for the audit of failures."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_ip_at", "ip", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    succeeded: Mapped[bool]
