"""ISO 8601 as Camunda Modeler writes it: dates, durations and cycles for timers and due dates.

SpiffWorkflow evaluates a timer's text as Python and reads the clock itself, so an unquoted
`PT15D` fails and tests would have to move the real clock. matterflow reads the text here and
computes due times from the moment a step is given (see timing.py).

Lenient where modellers are: `PT15D` (days written after the T) means fifteen days, and a date
without an offset is Beijing time, the time every social-insurance agency works in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import isodate

from engine.calendar import CHINA, WorkingCalendar

_DAYS_AFTER_T = re.compile(r"^P([^T]*)T(\d+(?:[.,]\d+)?)D(.*)$", re.IGNORECASE)


class TimerTextInvalid(ValueError):
    """The text is not an ISO 8601 date, duration or cycle."""


@dataclass(frozen=True)
class Period:
    """A duration; counted in working days of a calendar when `working_days` is set."""

    duration: timedelta | isodate.Duration
    working_days: bool = False

    def after(self, start: datetime, calendar: WorkingCalendar | None = None, times: int = 1) -> datetime:
        """The moment `times` periods after `start`."""
        if not self.working_days:
            moment: datetime = start + self.duration * times
            return moment
        if isinstance(self.duration, isodate.Duration):
            raise TimerTextInvalid("working days cannot be counted in months or years")
        whole = timedelta(days=self.duration.days)
        moved = (calendar or WorkingCalendar()).add_working_days(start, whole.days * times)
        return moved + (self.duration - whole) * times


@dataclass(frozen=True)
class Cycle:
    """`R[n]/[start/]period`: n repetitions (None: without end), from `start` or from now."""

    repeats: int | None
    period: Period
    start: datetime | None = None

    def occurrence(self, index: int, origin: datetime, calendar: WorkingCalendar | None = None) -> datetime:
        """The index-th firing (0 = first), counted from the start, or from `origin` without one."""
        if self.start is not None:
            return self.start if index == 0 else self.period.after(self.start, calendar, index)
        return self.period.after(origin, calendar, index + 1)

    def has_occurrence(self, index: int) -> bool:
        return self.repeats is None or index < self.repeats


def parse_moment(text: str) -> datetime:
    """An ISO date-time as an aware UTC datetime."""
    try:
        moment: datetime = isodate.parse_datetime(text.strip())
    except (isodate.ISO8601Error, ValueError) as exc:
        raise TimerTextInvalid(f"{text!r} is not an ISO 8601 date-time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(CHINA))
    return moment.astimezone(UTC)


def parse_period(text: str, *, working_days: bool = False) -> Period:
    """An ISO duration ('P15D', 'PT36H', 'P1M'; 'PT15D' read as fifteen days)."""
    cleaned = text.strip().upper()
    match = _DAYS_AFTER_T.match(cleaned)
    if match:
        before, days, after = match.groups()
        cleaned = f"P{before}{days}D" + (f"T{after}" if after else "")
    try:
        duration = isodate.parse_duration(cleaned)
    except (isodate.ISO8601Error, ValueError) as exc:
        raise TimerTextInvalid(f"{text!r} is not an ISO 8601 duration") from exc
    return Period(duration, working_days)


def parse_cycle(text: str, *, working_days: bool = False) -> Cycle:
    """`R3/PT1H`, `R/P1M`, `R12/2026-12-01T09:00:00+08:00/P1M`."""
    parts = text.strip().split("/")
    head = parts[0].upper()
    if not head.startswith("R") or len(parts) not in (2, 3):
        raise TimerTextInvalid(f"{text!r} is not an ISO 8601 repeating interval (R[n]/[start/]period)")
    try:
        repeats = int(head[1:]) if head[1:] else None
    except ValueError as exc:
        raise TimerTextInvalid(f"{text!r}: the repetition count is not a number") from exc
    start = parse_moment(parts[1]) if len(parts) == 3 else None
    return Cycle(repeats, parse_period(parts[-1], working_days=working_days), start)


def due_from_expression(expression: str | None, now: datetime) -> datetime | None:
    """`camunda:dueDate` as a date-time or as a duration after now; None when absent or not ISO."""
    if not expression:
        return None
    text = expression.strip().strip("'\"")
    try:
        return parse_period(text).after(now) if text.upper().startswith("P") else parse_moment(text)
    except TimerTextInvalid:
        return None
