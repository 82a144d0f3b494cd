"""Times on pages as people of the case's region read their clocks.

The engine stores and returns UTC; a region's working calendar names its time zone
(engine/calendar.py: Asia/Shanghai unless processes/_calendars says otherwise), the same zone
its working days and due dates are counted in, so the pages show times in it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from web.context import engine

MINUTE = "%Y-%m-%d %H:%M"
DAY = "%Y-%m-%d"


def region_zone(region: str) -> ZoneInfo:
    """The time zone of a region (a division code), from its working calendar."""
    return ZoneInfo(engine().calendars.for_region(region).zone)


def local_time(at: datetime, region: str, pattern: str = MINUTE) -> str:
    """`at` on the clocks of `region`, written with `pattern`; a naive time is taken as UTC."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(region_zone(region)).strftime(pattern)


def local_date(at: datetime, region: str) -> str:
    """The day `at` falls on in `region`."""
    return local_time(at, region, DAY)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(local_time=local_time, local_date=local_date)
