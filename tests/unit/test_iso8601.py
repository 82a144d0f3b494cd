"""ISO 8601 as Camunda Modeler writes it, read by matterflow rather than as Python."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.bpmn import TimerTextInvalid, due_from_expression, parse_cycle, parse_moment, parse_period
from engine.calendar import WorkingCalendar

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("P15D", timedelta(days=15)),
        ("PT15D", timedelta(days=15)),  # days written after the T, as modellers do
        ("pt36h", timedelta(hours=36)),
        ("P1DT12H", timedelta(days=1, hours=12)),
        ("P2W", timedelta(days=14)),
    ],
)
def test_durations(text: str, after: timedelta) -> None:
    assert parse_period(text).after(MONDAY) == MONDAY + after


def test_months_follow_the_calendar() -> None:
    assert parse_period("P1M").after(datetime(2026, 1, 31, tzinfo=UTC)) == datetime(2026, 2, 28, tzinfo=UTC)


def test_dates_without_an_offset_are_beijing_time() -> None:
    assert parse_moment("2026-12-01T09:00:00+08:00") == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert parse_moment("2026-12-01T09:00:00") == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def test_cycles_with_and_without_a_start() -> None:
    hourly = parse_cycle("R3/PT1H")
    assert [hourly.occurrence(n, MONDAY) for n in range(3)] == [
        MONDAY + timedelta(hours=h) for h in (1, 2, 3)
    ]
    assert hourly.has_occurrence(2) and not hourly.has_occurrence(3)
    monthly = parse_cycle("R/2026-12-01T09:00:00+08:00/P1M")
    assert monthly.occurrence(1, MONDAY) == datetime(2027, 1, 1, 1, 0, tzinfo=UTC)
    assert monthly.has_occurrence(10_000)


def test_working_days_count_on_the_calendar() -> None:
    calendar = WorkingCalendar(holidays=frozenset({datetime(2026, 11, 25).date()}))
    assert parse_period("P5D", working_days=True).after(MONDAY, calendar) == MONDAY + timedelta(days=8)
    with pytest.raises(TimerTextInvalid):
        parse_period("P1M", working_days=True).after(MONDAY, calendar)


@pytest.mark.parametrize("text", ["15 days", "R3", "2026-13-01T00:00:00", ""])
def test_nonsense_is_refused(text: str) -> None:
    with pytest.raises(TimerTextInvalid):
        (parse_cycle if text.startswith("R") else parse_period if text[:1] in "P1" else parse_moment)(text)


def test_due_dates_of_user_tasks() -> None:
    assert due_from_expression("P5D", MONDAY) == MONDAY + timedelta(days=5)
    assert due_from_expression("'2026-12-01T09:00:00+08:00'", MONDAY) == datetime(2026, 12, 1, 1, tzinfo=UTC)
    assert due_from_expression("${due}", MONDAY) is None
