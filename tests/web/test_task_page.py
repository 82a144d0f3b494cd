"""The reviewer's task page: the matter, the application by its form's labels, earlier decisions."""

from __future__ import annotations

from typing import Any

import lxml.html
from flask import Flask

from tests.web.conftest import ACCEPTED, ASKED, signed_in


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
