"""The reviewer's task page: the matter, the application by its form's labels, earlier decisions."""

from __future__ import annotations

from typing import Any

import lxml.html
from flask import Flask

from engine import Engine
from engine.actors import SYSTEM
from engine.services import accounts
from tests.web.conftest import ACCEPTED, ASKED, PASSWORD, decide, signed_in


def _open(app: Flask, task_id: str, language: str) -> Any:
    response = signed_in(app, "checker").get(f"/workbench/tasks/{task_id}?lang={language}")
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


def _application(page: Any) -> dict[str, str]:
    terms = page.xpath('//dl[contains(@class, "application")]/dt')
    return {dt.text_content().strip(): dt.getnext().text_content().strip() for dt in terms}


def test_the_application_reads_by_the_forms_labels_and_nothing_else(app: Flask, review_task: str) -> None:
    english, chinese = _open(app, review_task, "en"), _open(app, review_task, "zh")

    assert english.xpath('string(//*[@data-testid="matter"])') == "Contribution catch-up"
    assert _application(english) == {
        "Citizen ID number": "11010519491231002X",
        "Name": "张三",
        "First month to pay": "2026-01",
        "Last month to pay": "2026-10",
        "Monthly contribution base (CNY)": "5200",
        "Reason for the catch-up": "Change of job",
    }
    assert chinese.xpath('string(//*[@data-testid="matter"])') == "补缴社会保险费"
    assert _application(chinese)["补缴原因"] == "工作变动"


def test_earlier_decisions_say_who_decided_what_and_why(app: Flask, review_task: str) -> None:
    page = _open(app, review_task, "en")

    rows = page.xpath('//table[@class="decisions"]/tbody/tr')
    decided = [[td.text_content().strip() for td in row.xpath("td")][1:] for row in rows]
    assert decided == [
        ["Acceptance", "acceptor", "Returned for supplement", ASKED],
        ["Acceptance", "acceptor", "Approved", ACCEPTED],
    ]


def test_earlier_decisions_name_the_reviewer_as_their_account_does(
    app: Flask, people: Engine, case: dict[str, Any]
) -> None:
    accounts.create_account(
        people,
        SYSTEM,
        username="li.si",
        display_name="李四",
        password=PASSWORD,
        roles=["reviewer"],
        org_code="110105",
        posts=["acceptance"],
    )
    client = app.test_client()
    review_task = decide(client, "li.si", case["open_tasks"][0]["id"], "approve", ACCEPTED)["open_tasks"][0][
        "id"
    ]

    page = _open(app, review_task, "en")

    assert page.xpath('string(//table[@class="decisions"]/tbody/tr/td[3])').strip() == "李四"
