"""Claiming due work so that many workers share it and none takes a row twice."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

S = TypeVar("S", bound=Select[Any])


def claimable(session: Session, statement: S, *, of: Any = None) -> S:
    """`FOR UPDATE SKIP LOCKED` on PostgreSQL: rows another worker holds are passed over, and
    ours stay locked until our transaction ends (or our process dies). SQLite has one writer at a
    time; the unit of work's write lock is the claim there."""
    if session.get_bind().dialect.name != "postgresql":
        return statement
    return statement.with_for_update(skip_locked=True, of=of)
