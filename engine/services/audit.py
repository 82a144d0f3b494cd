"""The audit trail of every state change and of every read of a person's case or record."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from engine import Engine
from engine.actors import Actor, Role
from engine.errors import Forbidden
from engine.identity import mask_identities
from engine.persistence.audit_chain import SEAL_BATCH, ChainReport, seal, verify
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
    """Add an audit row to the caller's transaction; identity numbers in `detail` are masked."""
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


def seal_log(engine: Engine) -> int:
    """Chain rows that were left unsealed (their commit's seal found another sealer at work)."""
    return seal(engine.sessions, engine.sealing)


def verify_log(engine: Engine, actor: Actor) -> ChainReport:
    """Check the whole chain (auditors, administrators and the engine's own command line).

    Rows still waiting for their seal are sealed first, so that the check covers everything
    written so far rather than stopping at the last seal (with no worker running, a row whose
    commit found another sealer at work waits for the next audited commit)."""
    if not (actor.internal or actor.roles & {Role.AUDITOR, Role.ADMIN}):
        raise Forbidden("only auditors and administrators may verify the audit log")
    while seal_log(engine) == SEAL_BATCH:
        pass
    with engine.unit_of_work(immediate=False) as uow:
        return verify(uow.session, engine.sealing)


__all__ = ["SEAL_BATCH", "record", "seal_log", "verify_log"]
