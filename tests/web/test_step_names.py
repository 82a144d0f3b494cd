"""Steps of a process by their names in the page's language: the inbox, the task page, the case's
timeline and its diagram (English from each element's `name_en`, engine/bpmn/names.py)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from lxml import etree

from tests.web.conftest import open_page, signed_in

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _steps(page: Any) -> list[str]:
    return [
        " ".join(td.text_content().split()) for td in page.xpath('//table[@class="inbox"]/tbody/tr/td[3]')
    ]


def test_the_inbox_names_the_step_in_the_page_language(app: Flask, case: dict[str, Any]) -> None:
    browser = signed_in(app, "acceptor")

    assert _steps(open_page(browser, "/workbench?lang=en")) == ["Acceptance"]
    assert _steps(open_page(browser, "/workbench?lang=zh")) == ["受理"]


def test_the_task_page_and_its_history_name_steps_in_english(app: Flask, review_task: str) -> None:
    page = open_page(signed_in(app, "checker"), f"/workbench/tasks/{review_task}?lang=en")

    assert page.xpath("string(//h1)").startswith("Review: ")
    decided_at = page.xpath('//table[@class="decisions"]/tbody/tr/td[2]/text()')
    assert decided_at == ["Acceptance", "Acceptance"]
    activities = page.xpath('//ol[@class="timeline"]//*[@class="activity"]/text()')
    assert "Check for an instant decision" in activities and "Review" in activities
    assert not [name for name in activities if CHINESE.search(name)]


def test_the_applicants_timeline_names_steps_in_the_page_language(app: Flask, case: dict[str, Any]) -> None:
    browser = signed_in(app, "owner")
    english = open_page(browser, f"/cases/{case['id']}?lang=en")
    chinese = open_page(browser, f"/cases/{case['id']}?lang=zh")

    activity = '//ol[@class="timeline"]//*[@class="activity"]/text()'
    assert english.xpath(activity) == ["Check for an instant decision", "Acceptance"]
    assert chinese.xpath(activity) == ["判定可否即时办结", "受理"]


def test_the_diagram_is_labelled_in_the_page_language(app: Flask, case: dict[str, Any]) -> None:
    browser = signed_in(app, "owner")
    english = browser.get(f"/cases/{case['id']}/diagram.json?lang=en").get_json()
    chinese = browser.get(f"/cases/{case['id']}/diagram.json?lang=zh").get_json()

    labels = etree.fromstring(english["xml"].encode()).xpath("//@name")
    assert "Acceptance" in labels and "Not accepted" in labels  # a task and a sequence flow
    assert not [label for label in labels if CHINESE.search(label)]
    assert 'name="受理"' in chinese["xml"]
    assert english["states"] == chinese["states"]
