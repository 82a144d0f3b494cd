"""Due dates: ISO 8601 as Camunda Modeler writes it, and statutory limits in working days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import isodate


def add_working_days(start: datetime, days: int) -> datetime:
    """`days` working days after `start`, skipping Saturdays and Sundays.

    Regional holiday calendars (and the make-up working weekends that come with them) are
    not modelled yet; see docs/engine.md.
    """
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def due_from_expression(expression: str | None, now: datetime) -> datetime | None:
    """`camunda:dueDate` as an ISO date-time ('2026-12-01T09:00:00+08:00') or a duration
    after now ('P5D', 'PT36H'); None when absent or not ISO 8601."""
    if not expression:
        return None
    text = expression.strip().strip("'\"")
    try:
        if text.startswith("P"):
            duration = isodate.parse_duration(text)
            delta: timedelta = (
                duration.totimedelta(start=now) if hasattr(duration, "totimedelta") else duration
            )
            return now + delta
        moment: datetime = isodate.parse_datetime(text)
    except (isodate.ISO8601Error, ValueError):
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
