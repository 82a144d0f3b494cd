"""Times on pages in the zone of the case's region (Asia/Shanghai for Beijing), not in UTC."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from engine.clock import FrozenClock
from tests.conftest import START
from tests.web.conftest import apply_over_api, open_page, signed_in

BEIJING = ZoneInfo("Asia/Shanghai")


def _apply_at(client: FlaskClient, clock: FrozenClock, moment: datetime) -> dict[str, Any]:
    clock.advance(moment - clock.now())
    return apply_over_api(client)


@pytest.fixture
def early_case(client: FlaskClient, people: Engine, clock: FrozenClock) -> dict[str, Any]:
    """An application made at 01:30 UTC: 09:30 in Beijing."""
    return _apply_at(client, clock, START.replace(hour=1, minute=30))


def test_the_case_its_timeline_and_my_cases_show_beijing_time(app: Flask, early_case: dict[str, Any]) -> None:
    assert early_case["created_at"].startswith("2026-11-23T01:30")
    browser = signed_in(app, "owner")
    case = open_page(browser, f"/cases/{early_case['id']}?lang=en")
    listed = open_page(browser, "/cases?lang=en")

    applied = case.xpath('//dl[@class="facts"]/dd[3]/text()')
    assert applied == ["2026-11-23 09:30"]
    assert set(case.xpath('//ol[@class="timeline"]//time/text()')) == {"2026-11-23 09:30"}
    assert listed.xpath("//tbody/tr/td[3]/text()") == ["2026-11-23 09:30"]


def test_the_task_page_shows_beijing_time(app: Flask, early_case: dict[str, Any]) -> None:
    task_id = early_case["open_tasks"][0]["id"]
    page = open_page(signed_in(app, "acceptor"), f"/workbench/tasks/{task_id}?lang=en")

    assert "2026-11-23 09:30" in page.xpath('//dl[@class="facts"]/dd/text()')


def test_the_inbox_shows_the_day_due_in_beijing(
    app: Flask, client: FlaskClient, people: Engine, clock: FrozenClock
) -> None:
    """Applied at 20:00 UTC, so due at 20:00 UTC of a day that is already the next one in Beijing."""
    late = _apply_at(client, clock, START.replace(hour=20))
    due = datetime.fromisoformat(late["open_tasks"][0]["due_at"])
    page = open_page(signed_in(app, "acceptor"), "/workbench?lang=en")

    [shown] = page.xpath('//table[@class="inbox"]//td[5]/time/text()')
    assert shown == due.astimezone(BEIJING).date().isoformat() != due.date().isoformat()
