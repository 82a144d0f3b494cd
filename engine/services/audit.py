"""The audit trail: sealing rows left unsealed and checking the chain.

Each use case writes its own audit row with engine/casework/audit_trail.py; this module is what
auditors and the worker do with the trail afterwards.
"""

from __future__ import annotations

from engine import Engine
from engine.actors import Actor, Role
from engine.errors import ErrorCode, Forbidden
from engine.persistence.audit_chain import SEAL_BATCH, ChainReport, seal, verify


def seal_log(engine: Engine) -> int:
    """Chain rows that were left unsealed (their commit's seal found another sealer at work)."""
    return seal(engine.sessions, engine.sealing)


def verify_log(engine: Engine, actor: Actor) -> ChainReport:
    """Check the whole chain (auditors, administrators and the engine's own command line).

    Rows still waiting for their seal are sealed first, so that the check covers everything
    written so far rather than stopping at the last seal (with no worker running, a row whose
    commit found another sealer at work waits for the next audited commit)."""
    if not (actor.internal or actor.roles & {Role.AUDITOR, Role.ADMIN}):
        raise Forbidden(
            "only auditors and administrators may verify the audit log", code=ErrorCode.AUDITORS_ONLY
        )
    while seal_log(engine) == SEAL_BATCH:
        pass
    with engine.unit_of_work(immediate=False) as uow:
        return verify(uow.session, engine.sealing)


__all__ = ["SEAL_BATCH", "seal_log", "verify_log"]
