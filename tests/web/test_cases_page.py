"""An applicant's "My cases" page: every case reachable by pages, named by matter, filtered by status."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from tests.web.conftest import LONG_GAP, signed_in, token

WITHDRAWN = 2


@pytest.fixture
def applications(client: FlaskClient, people: Engine) -> list[dict[str, Any]]:
    """23 catch-up applications of 'owner', more than one page; the first two withdrawn."""
    owner = token(client, "owner")
    made = [
        client.post("/api/v1/cases", json={"matter": "catchup-contribution", "data": LONG_GAP}, headers=owner)
        for _ in range(23)
    ]
    assert {response.status_code for response in made} == {201}
    for response in made[:WITHDRAWN]:
        client.post(f"/api/v1/cases/{response.get_json()['id']}/withdraw", headers=owner)
    return [response.get_json() for response in made]


def _open(browser: FlaskClient, path: str) -> Any:
    response = browser.get(path)
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


def _rows(page: Any) -> list[list[str]]:
    return [[" ".join(td.text_content().split()) for td in tr.xpath("td")] for tr in page.xpath("//tbody/tr")]


def test_every_case_is_reachable_page_by_page_and_named_by_its_matter(
    app: Flask, applications: list[dict[str, Any]]
) -> None:
    browser = signed_in(app, "owner")
    first = _open(browser, "/cases?lang=en")
    [onward] = first.xpath('//nav[@class="pager"]//a[@rel="next"]/@href')
    second = _open(browser, onward)

    assert first.xpath('string(//*[@data-testid="case-count"])') == "23 cases"
    assert (len(_rows(first)), len(_rows(second))) == (20, 3)
    numbers = {row[0] for row in _rows(first) + _rows(second)}
    assert numbers == {a["number"] for a in applications}
    assert {row[1] for row in _rows(first)} == {"Contribution catch-up"}
    assert {row[1] for row in _rows(_open(browser, "/cases?lang=zh"))} == {"补缴社会保险费"}


def test_the_status_filter_narrows_the_list_and_paging_keeps_it(
    app: Flask, applications: list[dict[str, Any]]
) -> None:
    browser = signed_in(app, "owner")
    withdrawn = _open(browser, "/cases?lang=en&status=withdrawn")
    running = _open(browser, "/cases?lang=en&status=in_progress")
    closed = _open(browser, "/cases?lang=en&status=completed")

    assert {row[0] for row in _rows(withdrawn)} == {a["number"] for a in applications[:WITHDRAWN]}
    assert {row[3] for row in _rows(withdrawn)} == {"Withdrawn"}
    assert withdrawn.xpath('//select[@id="status"]/option[@selected]/@value') == ["withdrawn"]
    assert running.xpath('string(//*[@data-testid="case-count"])') == "21 cases"
    assert "status=in_progress" in running.xpath('//a[@rel="next"]/@href')[0]
    assert _rows(closed) == [] and "None of your cases has this status." in closed.text_content()


def test_nobody_else_sees_the_cases(app: Flask, applications: list[dict[str, Any]]) -> None:
    page = _open(signed_in(app, "neighbour"), "/cases?lang=en")

    assert _rows(page) == [] and "You have not applied for anything yet." in page.text_content()
