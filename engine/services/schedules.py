"""Periodic matters: a timer start event starts a new case each time it fires.

Each timer start event of a matter's published version has one `schedules` row saying when its
next case starts. Publishing a new version replaces the rows (the new version's expressions
count from the moment it is seen). Occurrences missed while no worker ran start one case, not
one per missed period. The case belongs to the system, in the national organisation, and begins
like every case (engine/casework/beginning.py).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import Engine
from engine.actors import SYSTEM
from engine.bpmn import TimerStart, parse_cycle, parse_moment, parse_period
from engine.casework.beginning import begin_case
from engine.errors import Conflict
from engine.persistence.claims import claimable
from engine.persistence.models import Matter, ProcessVersion, Schedule
from engine.persistence.uow import UnitOfWork

log = logging.getLogger(__name__)
_MAX_SKIPPED = 10_000  # occurrences skipped in one go after a long stop, a bound not a limit


def sync_schedules(engine: Engine) -> int:
    """One row per timer start event of every published version; return how many were added."""
    now = engine.clock.now()
    try:
        with engine.unit_of_work() as uow:
            added = _sync(engine, uow.session, now)
            uow.commit()
    except Conflict:
        return 0  # another worker added the same rows first
    return added


def _sync(engine: Engine, session: Session, now: datetime) -> int:
    published = session.execute(
        select(Matter.id, ProcessVersion).join(ProcessVersion, ProcessVersion.id == Matter.current_version_id)
    ).all()
    existing = {(row.version_id, row.element_id): row for row in session.scalars(select(Schedule))}
    added = 0
    for matter_id, version in published:
        for start in engine.parsed(version).timer_starts:
            if existing.pop((version.id, start.element_id), None) is None:
                session.add(_schedule(matter_id, version.id, start, now))
                added += 1
    for stale in existing.values():
        session.delete(stale)
    return added


def _schedule(matter_id: int, version_id: int, start: TimerStart, now: datetime) -> Schedule:
    return Schedule(
        matter_id=matter_id,
        version_id=version_id,
        element_id=start.element_id,
        origin=now,
        occurrence=0,
        next_at=occurrence_at(start, 0, now),
        last_case_id=None,
    )


def occurrence_at(start: TimerStart, index: int, origin: datetime) -> datetime | None:
    """When the index-th case of a timer start event starts; None once there are no more."""
    if start.kind == "timeCycle":
        cycle = parse_cycle(start.text)
        return cycle.occurrence(index, origin) if cycle.has_occurrence(index) else None
    if index > 0:
        return None
    return parse_moment(start.text) if start.kind == "timeDate" else parse_period(start.text).after(origin)


def start_scheduled_cases(engine: Engine, *, limit: int = 20) -> int:
    """Start the cases whose schedule is due; return how many were started."""
    now = engine.clock.now()
    with engine.unit_of_work() as uow:
        due = select(Schedule).where(Schedule.next_at <= now).order_by(Schedule.next_at).limit(limit)
        schedules = list(uow.session.scalars(claimable(uow.session, due)))
        for schedule in schedules:
            _start(engine, uow, schedule, now)
        uow.commit()
    return len(schedules)


def _start(engine: Engine, uow: UnitOfWork, schedule: Schedule, now: datetime) -> None:
    version = uow.session.get_one(ProcessVersion, schedule.version_id)
    start = next(s for s in engine.parsed(version).timer_starts if s.element_id == schedule.element_id)
    case = begin_case(uow, engine, SYSTEM, version, {}, start_event=start.element_id, note="schedule")
    schedule.last_case_id = case.id
    schedule.occurrence, schedule.next_at = _next(start, schedule, now)


def _next(start: TimerStart, schedule: Schedule, now: datetime) -> tuple[int, datetime | None]:
    index = schedule.occurrence + 1
    upcoming = occurrence_at(start, index, schedule.origin)
    for _ in range(_MAX_SKIPPED):
        if upcoming is None or upcoming > now:
            break
        index += 1
        upcoming = occurrence_at(start, index, schedule.origin)
    return index, upcoming
