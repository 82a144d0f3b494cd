"""The moment and the working calendar a step runs at, for the timers evaluated during it.

SpiffWorkflow asks a timer "have you fired?" deep inside its own calls, with no way to pass
anything along. The service that runs a step says once, around it, what time it is (the
engine's clock, frozen in tests) and which region's calendar counts working days; the timer
definitions read it here. Outside a step (a diagram driven in a unit test) it is the wall clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime

from engine.calendar import WorkingCalendar


@dataclass(frozen=True)
class StepTime:
    now: datetime
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    started_by: str | None = None  # the timer start event a scheduled case begins at


_CURRENT: ContextVar[StepTime | None] = ContextVar("matterflow_step_time", default=None)


@contextmanager
def stepping(moment: StepTime) -> Iterator[StepTime]:
    """Run the block as of `moment`."""
    token = _CURRENT.set(moment)
    try:
        yield moment
    finally:
        _CURRENT.reset(token)


def current() -> StepTime:
    return _CURRENT.get() or StepTime(datetime.now(UTC))
