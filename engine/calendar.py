"""Working days for statutory time limits: weekends, public holidays and make-up working days.

Limits such as "decided within 15 working days" are counted on the calendar of the region that
handles the case. The national calendar (the State Council's yearly holiday notice, with its
make-up working weekends) applies everywhere; a province, city or district may add its own
holidays (ethnic festivals in autonomous regions, for instance). Calendars are YAML files named
by division code in `processes/_calendars/` (see docs/engine.md); a region without a file uses
the nearest ancestor's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

NATIONAL = "000000"
CHINA = "Asia/Shanghai"


@dataclass(frozen=True)
class WorkingCalendar:
    """Which dates are working days, judged in the calendar's own time zone."""

    zone: str = CHINA
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)  # make-up working weekends

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """`days` working days after `start`, at the same local time of day."""
        local = start.astimezone(ZoneInfo(self.zone))
        current, remaining = local, days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_working_day(current.date()):
                remaining -= 1
        return current.astimezone(start.tzinfo)

    def extended(self, other: WorkingCalendar) -> WorkingCalendar:
        """This calendar with a region's own holidays and make-up days added."""
        return WorkingCalendar(
            zone=other.zone,
            holidays=(self.holidays | other.holidays) - other.workdays,
            workdays=(self.workdays | other.workdays) - other.holidays,
        )


@dataclass(frozen=True)
class Calendars:
    """Every region's calendar, layered national → province → city → district."""

    by_region: Mapping[str, WorkingCalendar] = field(default_factory=dict)

    def for_region(self, org_code: str) -> WorkingCalendar:
        calendar = self.by_region.get(NATIONAL, WorkingCalendar())
        for code in _ancestors(org_code):
            own = self.by_region.get(code)
            if own is not None:
                calendar = calendar.extended(own)
        return calendar


def _ancestors(org_code: str) -> list[str]:
    """The province, city and district codes above (and including) a division code."""
    six = org_code[:6].ljust(6, "0")
    chain = [six[:2] + "0000", six[:4] + "00", six]
    return list(dict.fromkeys(code for code in chain if code != NATIONAL))


def load_calendars(folder: Path) -> Calendars:
    """Read `<division code>.yaml` files; a missing folder means weekends only."""
    if not folder.is_dir():
        return Calendars()
    return Calendars(
        {
            path.stem: calendar_from(yaml.safe_load(path.read_text("utf-8")) or {})
            for path in folder.glob("*.yaml")
        }
    )


def calendar_from(document: Mapping[str, Any]) -> WorkingCalendar:
    """`{zone: ..., holidays: [dates or {from, to}], workdays: [dates]}`."""
    return WorkingCalendar(
        zone=str(document.get("zone", CHINA)),
        holidays=frozenset(_dates(document.get("holidays", []))),
        workdays=frozenset(_dates(document.get("workdays", []))),
    )


def _dates(entries: Iterable[Any]) -> Iterable[date]:
    for entry in entries:
        if isinstance(entry, Mapping):
            day, last = _date(entry["from"]), _date(entry["to"])
            while day <= last:
                yield day
                day += timedelta(days=1)
        else:
            yield _date(entry)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
