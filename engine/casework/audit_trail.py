"""The audit row every use case adds to its own transaction: who did what to which subject."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from engine import Engine
from engine.actors import Actor
from engine.identity import mask_identities
from engine.persistence.models import AuditEvent
from engine.persistence.uow import AUDITED, UnitOfWork


def record(
    uow: UnitOfWork,
    engine: Engine,
    actor: Actor,
    action: str,
    *,
    subject_type: str,
    subject_id: str,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Add an audit row to the caller's transaction; identity numbers in `detail` are masked.
    The chain's seal is added after the commit (persistence/audit_chain.py)."""
    clean = mask_identities(detail or {})
    uow.session.add(
        AuditEvent(
            at=engine.clock.now(),
            actor_id=actor.id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=json.dumps(clean, ensure_ascii=False, sort_keys=True, default=str),
            ip=actor.ip,
            seq=None,
            prev_hash=None,
            hash=None,
        )
    )
    uow.session.info[AUDITED] = True
