"""Working-day calendars: the national file in processes/_calendars and the regional layers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from engine.calendar import load_calendars
from tests.conftest import ROOT

NATIONAL_DAY = date(2026, 10, 1)
MAKE_UP_SATURDAY = date(2026, 10, 10)


def test_the_national_calendar_has_the_state_councils_holidays_and_make_up_days() -> None:
    national = load_calendars(ROOT / "processes" / "_calendars").for_region("110105")
    assert not national.is_working_day(NATIONAL_DAY)
    assert national.is_working_day(MAKE_UP_SATURDAY)
    assert not national.is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    # Wednesday 30 September + 1 working day: the National Day week off, then Thursday 8 October
    start = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
    assert national.add_working_days(start, 1) == datetime(2026, 10, 8, 2, 0, tzinfo=UTC)


def test_a_region_adds_its_own_days_for_itself_and_everything_below_it(tmp_path: Path) -> None:
    (tmp_path / "000000.yaml").write_text("holidays: [2026-10-01]\n", "utf-8")
    (tmp_path / "110000.yaml").write_text("holidays: [2026-11-02]\n", "utf-8")  # Beijing
    (tmp_path / "110105.yaml").write_text("holidays: [2026-11-03]\nworkdays: [2026-11-07]\n", "utf-8")
    calendars = load_calendars(tmp_path)

    chaoyang, office, haidian, shanghai = (
        calendars.for_region(code) for code in ("110105", "110105001", "110108", "310101")
    )
    for calendar in (chaoyang, office, haidian, shanghai):
        assert not calendar.is_working_day(date(2026, 10, 1))
    assert [c.is_working_day(date(2026, 11, 2)) for c in (chaoyang, haidian, shanghai)] == [
        False,
        False,
        True,
    ]
    assert [c.is_working_day(date(2026, 11, 3)) for c in (chaoyang, office, haidian)] == [False, False, True]
    assert chaoyang.is_working_day(date(2026, 11, 7)) and not haidian.is_working_day(date(2026, 11, 7))


def test_without_calendar_files_only_weekends_are_off(tmp_path: Path) -> None:
    calendar = load_calendars(tmp_path / "missing").for_region("110105")
    assert calendar.is_working_day(NATIONAL_DAY)
    assert not calendar.is_working_day(MAKE_UP_SATURDAY)
