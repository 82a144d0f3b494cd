"""Calling other systems for waiting service tasks: claim, call outside any transaction, record.

A worker claims due calls by taking a lease on them (`locked_until`, claimed with SKIP LOCKED),
commits, and only then calls, so that no database lock is held while another system answers.
The answer is recorded in a second transaction as a step of the case (advance_case), which
also removes the call; a failure is retried later with a doubling backoff, and the last failure
gives the call up: an incident on the service task that staff retry with cases.retry_case
(optionally with corrected data), which makes the call afresh. A worker that dies mid-call
leaves its lease to expire; another then calls again with the same Idempotency-Key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from engine import Engine
from engine.bpmn import CaseRun
from engine.casework.happenings import Happening
from engine.casework.progress import STEP_LOADS, advance_case
from engine.connectors import CallFailed, Connector, Connectors
from engine.persistence.claims import claimable
from engine.persistence.models import Case, ServiceCall
from engine.vocabulary import CaseStatus, TimelineKind

log = logging.getLogger(__name__)
LEASE_MARGIN = timedelta(minutes=2)
DEFAULT = Connector(name="", url="")  # retries and backoff when no connector says otherwise


@dataclass(frozen=True)
class ClaimedCall:
    id: str
    case_id: str
    element_id: str
    connector: str | None
    request: dict[str, Any]
    attempt: int
    retries: int | None
    backoff_seconds: float | None


@dataclass(frozen=True)
class CallResult:
    """An answer, or a failure with whether trying again may help."""

    answer: Any = None
    error: str | None = None
    retryable: bool = False


def claim_calls(engine: Engine, connectors: Connectors, *, limit: int = 1) -> list[ClaimedCall]:
    """Lease up to `limit` due calls of running cases to this worker for the length of a call
    each (run_due_calls takes one at a time, so that no lease runs out while others are made).
    A case waiting for the applicant makes no calls until it is supplemented."""
    now = engine.clock.now()
    free = or_(ServiceCall.locked_until.is_(None), ServiceCall.locked_until <= now)
    due = (
        select(ServiceCall)
        .join(Case, Case.id == ServiceCall.case_id)
        .where(ServiceCall.next_attempt_at <= now, free, Case.status == CaseStatus.IN_PROGRESS)
    )
    with engine.unit_of_work() as uow:
        rows = list(
            uow.session.scalars(
                claimable(uow.session, due.order_by(ServiceCall.next_attempt_at).limit(limit), of=ServiceCall)
            )
        )
        for row in rows:
            row.attempts += 1
            timeout = (connectors.get(row.connector) or DEFAULT).timeout
            row.locked_until = now + timedelta(seconds=timeout) + LEASE_MARGIN
        uow.commit()
        return [_claimed(row) for row in rows]


def _claimed(row: ServiceCall) -> ClaimedCall:
    return ClaimedCall(
        row.id,
        row.case_id,
        row.element_id,
        row.connector,
        dict(row.request),
        row.attempts,
        row.retries,
        row.backoff_seconds,
    )


def perform(connectors: Connectors, call: ClaimedCall) -> CallResult:
    """Make the call; no database work here."""
    connector = connectors.get(call.connector)
    if connector is None:
        return CallResult(error=f"no connector named {call.connector!r} is configured in this environment")
    try:
        return CallResult(answer=connector.call(call.request, idempotency_key=f"{call.case_id}:{call.id}"))
    except CallFailed as failure:
        return CallResult(error=failure.message, retryable=failure.retryable)


def record(engine: Engine, connectors: Connectors, call: ClaimedCall, result: CallResult) -> None:
    """Apply a call's result to its case, unless the call moved on meanwhile (its lease ran out
    and another worker took it, or the case stopped waiting)."""
    with engine.unit_of_work() as uow:
        case = uow.session.get(Case, call.case_id, with_for_update=True, options=STEP_LOADS)
        row = next((c for c in case.calls if c.id == call.id), None) if case else None
        if case is None or row is None or row.attempts != call.attempt:
            return  # the call moved on: another worker took it, or the case stopped waiting
        if case.status != CaseStatus.IN_PROGRESS:
            return
        now = engine.clock.now()
        if result.error is None:
            answered = TimelineKind.CALL_ANSWERED
            _step(engine, case, call, lambda run: run.complete_call(call.id, result.answer), answered, "")
        elif result.retryable and call.attempt <= _retries(connectors, call):
            _retry_later(row, call, connectors, result.error, now)
        else:
            note = f"attempt {call.attempt}: {result.error}"
            _step(
                engine,
                case,
                call,
                lambda run: run.give_up_call(call.id, result.error or ""),
                TimelineKind.CALL_FAILED,
                note,
            )
        uow.commit()


def _retries(connectors: Connectors, call: ClaimedCall) -> int:
    return call.retries if call.retries is not None else (connectors.get(call.connector) or DEFAULT).retries


def _retry_later(
    row: ServiceCall, call: ClaimedCall, connectors: Connectors, error: str, now: datetime
) -> None:
    base = call.backoff_seconds or (connectors.get(call.connector) or DEFAULT).backoff_seconds
    row.next_attempt_at = now + timedelta(seconds=base * 2 ** (call.attempt - 1))
    row.locked_until, row.last_error = None, error[:2000]
    log.info(
        "call %s of case %s failed (attempt %s), retrying: %s", call.id, call.case_id, call.attempt, error
    )


def _step(engine: Engine, case: Case, call: ClaimedCall, act: Any, kind: TimelineKind, note: str) -> None:
    version = case.version
    parsed, state = engine.parsed(version), case.state

    def prepare() -> CaseRun:
        run = CaseRun.resume(parsed, state)
        act(run)
        return run

    advance_case(
        engine,
        case,
        prepare,
        [Happening(kind, "system", note=note or (call.connector or ""), activity=call.element_id)],
    )


def run_due_calls(engine: Engine, connectors: Connectors, *, limit: int = 20) -> int:
    """Claim, perform and record up to `limit` due calls, one after another; return how many
    were made."""
    made = 0
    while made < limit:
        claimed = claim_calls(engine, connectors)
        if not claimed:
            break
        record(engine, connectors, claimed[0], perform(connectors, claimed[0]))
        made += 1
    return made
