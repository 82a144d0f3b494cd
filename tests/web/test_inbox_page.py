"""The workbench inbox page: real counts, a pager, rows that name the work, overdue first, filters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from engine.clock import FrozenClock
from tests.web.conftest import LONG_GAP, signed_in, token

LATE = 3  # applications old enough to be overdue when the inbox is read


@pytest.fixture
def applications(client: FlaskClient, people: Engine, clock: FrozenClock) -> list[dict[str, Any]]:
    """25 catch-up applications at the acceptance post of 110105, more than one page: the first
    three were made 40 days ago (past their 20 working days), the rest just now."""
    owner, made = token(client, "owner"), []
    for n in range(25):
        if n == LATE:
            clock.advance(timedelta(days=40))
            owner = token(client, "owner")  # the first token has expired meanwhile
        response = client.post(
            "/api/v1/cases", json={"matter": "catchup-contribution", "data": LONG_GAP}, headers=owner
        )
        assert response.status_code == 201
        made.append(response.get_json())
        clock.advance(timedelta(minutes=1))
    return made


def _open(browser: FlaskClient, path: str) -> Any:
    response = browser.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return lxml.html.fromstring(response.get_data(as_text=True))


def _count(page: Any, which: str) -> int:
    return int(page.xpath(f'string(//*[@data-testid="count-{which}"])'))


def _rows(page: Any, scope: str = "available") -> list[list[str]]:
    rows = page.xpath(f'//section[@aria-labelledby="{scope}-heading"]//tbody/tr')
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("td")] for row in rows]


def _next_page(page: Any, scope: str = "available") -> str:
    [link] = page.xpath(f'//section[@aria-labelledby="{scope}-heading"]//a[@rel="next"]/@href')
    return str(link)


def test_counts_are_every_task_and_the_pager_reaches_them_all(
    app: Flask, applications: list[dict[str, Any]]
) -> None:
    browser = signed_in(app, "acceptor")
    first = _open(browser, "/workbench?lang=en")

    assert (_count(first, "available"), _count(first, "mine"), _count(first, "overdue")) == (25, 0, LATE)
    assert "Page 1 of 2" in first.text_content()
    second = _open(browser, _next_page(first))
    assert "Page 2 of 2" in second.text_content()
    shown = [row[0] for row in _rows(first) + _rows(second)]
    assert (len(_rows(first)), len(_rows(second))) == (20, 5)
    assert sorted(shown) == sorted(a["number"] for a in applications)


def test_overdue_work_comes_first_and_each_row_names_it(
    app: Flask, applications: list[dict[str, Any]]
) -> None:
    browser = signed_in(app, "acceptor")
    english, chinese = _open(browser, "/workbench?lang=en"), _open(browser, "/workbench?lang=zh")

    rows = _rows(english)
    marked = english.xpath('//section[@aria-labelledby="available-heading"]//tbody/tr/@class')
    assert marked[:LATE] == ["overdue"] * LATE and "overdue" not in marked[LATE:]
    assert [row[0] for row in rows[:LATE]] == [a["number"] for a in applications[:LATE]]
    first, due = applications[0], applications[0]["open_tasks"][0]["due_at"][:10]
    assert rows[0] == [first["number"], "Contribution catch-up", "Acceptance", "Acceptance", f"{due} overdue"]
    assert _rows(chinese)[0][1:4] == ["补缴社会保险费", "受理", "受理"]


def test_due_by_a_day_keeps_the_tasks_due_on_that_day(app: Flask, applications: list[dict[str, Any]]) -> None:
    day = applications[0]["open_tasks"][0]["due_at"][:10]
    page = _open(signed_in(app, "acceptor"), f"/workbench?lang=en&due_before={day}")

    assert _count(page, "available") == LATE
    assert [row[0] for row in _rows(page)] == [a["number"] for a in applications[:LATE]]


def test_filters_narrow_the_list_and_paging_keeps_them(
    app: Flask, applications: list[dict[str, Any]]
) -> None:
    browser = signed_in(app, "acceptor")
    other_matter = _open(browser, "/workbench?lang=en&matter=personal-info-change")
    same_matter = _open(browser, "/workbench?lang=en&matter=catchup-contribution")

    assert _count(other_matter, "available") == 0 and "Nothing here." in other_matter.text_content()
    assert _count(same_matter, "available") == 25
    assert "matter=catchup-contribution" in _next_page(same_matter)


@pytest.mark.parametrize(("region", "count"), [("110105", 25), ("110108", 0)])
def test_a_city_reviewer_narrows_to_a_district(
    app: Flask, applications: list[dict[str, Any]], region: str, count: int
) -> None:
    page = _open(signed_in(app, "city-acceptor"), f"/workbench?lang=en&region={region}")

    assert _count(page, "available") == count
    assert page.xpath('//select[@id="region"]/option[@selected]/@value') == [region]


@pytest.mark.parametrize(("who", "region"), [("city-acceptor", "120000"), ("acceptor", "110000")])
def test_a_region_outside_ones_own_is_refused(
    app: Flask, applications: list[dict[str, Any]], who: str, region: str
) -> None:
    assert signed_in(app, who).get(f"/workbench?region={region}").status_code == 403
