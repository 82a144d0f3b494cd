"""Firing due timers, and starting the cases of periodic matters, safely on many workers.

The `due_timers` rows say which cases have a timer due; a worker claims a batch of them with
their case rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so other workers take other cases),
runs one step per case through advance_case, and commits the batch at once. A worker that dies
mid-batch commits nothing: the locks go with its connection and the rows are due again for the
next worker. Firing is decided by the workflow state, so a timer fires exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import Engine
from engine.bpmn import CaseRun
from engine.casework.happenings import Happening
from engine.casework.progress import advance_case, step_loads
from engine.persistence.claims import claimable
from engine.persistence.models import Case, DueTimer, ProcessVersion
from engine.vocabulary import CaseStatus, TimelineKind

log = logging.getLogger(__name__)
BATCH = 200
RETRY_BACKOFF = timedelta(minutes=1)


def fire_due_timers(engine: Engine, *, limit: int = BATCH) -> int:
    """Fire the timers due now in up to `limit` cases; return how many cases were stepped.

    An unexpected error (not a process fault, which is an incident) undoes the batch, which is
    then fired case by case so that only the broken case's timers are postponed.
    """
    try:
        return _fire_batch(engine, limit)
    except Exception:
        log.exception("firing a batch of timers failed; firing them one case at a time")
    return sum(_fire_alone(engine) for _ in range(limit))


def _fire_batch(engine: Engine, limit: int) -> int:
    now = engine.clock.now()
    with engine.unit_of_work() as uow:
        cases = claim_cases(engine, uow.session, now, limit)
        for case in cases:
            fire(engine, case, now)
        uow.commit()
    return len(cases)


def _fire_alone(engine: Engine) -> int:
    now = engine.clock.now()
    case_id = None
    try:
        with engine.unit_of_work() as uow:
            cases = claim_cases(engine, uow.session, now, 1)
            if not cases:
                return 0
            case_id = cases[0].id
            fire(engine, cases[0], now)
            uow.commit()
    except Exception as exc:
        if case_id is None:
            raise
        log.exception("firing the timers of case %s failed; postponed", case_id)
        _postpone(engine, case_id, now, f"{type(exc).__name__}: {exc}")
    return 1


def claim_cases(engine: Engine, session: Session, now: datetime, limit: int) -> list[Case]:
    """Lock up to `limit` cases with a timer due, and their due timers, for this transaction.
    A case waiting for the applicant is passed over: its clock has stopped (applications.py)."""
    due = (
        select(DueTimer.case_id, Case.version_id)
        .join(Case, Case.id == DueTimer.case_id)
        .where(DueTimer.due_at <= now, Case.status != CaseStatus.AWAITING_APPLICANT)
        .order_by(DueTimer.due_at)
        .limit(limit)
    )
    claimed = dict(session.execute(claimable(session, due, of=[DueTimer, Case])).tuples().all())
    if not claimed:
        return []
    versions = (session.get_one(ProcessVersion, version_id) for version_id in set(claimed.values()))
    loads = step_loads(kind for version in versions for kind in engine.parsed(version).waits_for)
    return list(session.scalars(select(Case).where(Case.id.in_(claimed)).options(*loads)))


def fire(engine: Engine, case: Case, now: datetime) -> None:
    """One step: the timers due on this case fire and the workflow runs on."""
    due = [timer for timer in case.timers if timer.due_at <= now]
    if not case.status.is_open:
        for timer in due:
            case.timers.remove(timer)  # a closed case waits for nothing
        return
    version = case.version
    parsed, state = engine.parsed(version), case.state
    advance_case(
        engine,
        case,
        _firing(lambda: CaseRun.resume(parsed, state)),
        [Happening(TimelineKind.TIMER, "system", activity=timer.element_id) for timer in due],
    )


def _firing(resume: Callable[[], CaseRun]) -> Callable[[], CaseRun]:
    def prepare() -> CaseRun:
        run = resume()
        run.fire_due_timers()
        return run

    return prepare


def _postpone(engine: Engine, case_id: str, now: datetime, error: str) -> None:
    with engine.unit_of_work() as uow:
        for timer in uow.session.scalars(
            select(DueTimer).where(DueTimer.case_id == case_id, DueTimer.due_at <= now)
        ):
            timer.failures += 1
            timer.last_error = error[:2000]
            timer.due_at = now + RETRY_BACKOFF * 2 ** min(timer.failures, 10)
        uow.commit()
