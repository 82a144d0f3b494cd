"""A case's timeline in words: every kind of entry, a decision as the decision and its comment,
the outcome, and supplied fields by their form labels, in the page's language."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import ACCEPTED, ASKED, decide, open_page, signed_in
from tests.web.test_materials import png, upload
from web.timeline import entry_title

# Every kind the engine writes (engine/services: Happening(kind, ...)).
KINDS = (
    "started",
    "automatic",
    "task_opened",
    "task_completed",
    "returned",
    "supplemented",
    "material_added",
    "message",
    "timer",
    "call_answered",
    "call_failed",
    "incident",
    "retried",
    "reassigned",
    "completed",
    "withdrawn",
)


def _entries(page: Any) -> list[tuple[str, str, str]]:
    """(kind, what is said to have happened, the note) for each entry of the page's timeline."""
    return [
        (str(li.get("class")), li.xpath('string(*[@class="what"])'), li.xpath('string(*[@class="note"])'))
        for li in page.xpath('//ol[@class="timeline"]/li')
    ]


@pytest.fixture
def closed_case(app: Flask, client: FlaskClient, case: dict[str, Any], review_task: str) -> str:
    """The case returned once, supplemented, accepted, given a material, then approved at review."""
    assert upload(signed_in(app, "owner"), case["id"], "工资记录.png", png()).status_code == 302
    decide(client, "checker", review_task, "approve", "同意补缴")
    return str(case["id"])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "task_completed": [f"Approved: {ACCEPTED}", "Approved: 同意补缴"],
                "returned": [ASKED],
                "supplemented": ["Monthly contribution base (CNY)"],
                "material_added": ["工资记录.png"],
                "completed": ["Approved"],
            },
        ),
        (
            "zh",
            {
                "task_completed": [f"已通过：{ACCEPTED}", "已通过：同意补缴"],
                "returned": [ASKED],
                "supplemented": ["月缴费基数（元）"],
                "material_added": ["工资记录.png"],
                "completed": ["已通过"],
            },
        ),
    ],
)
def test_the_timeline_tells_decisions_outcome_and_fields_in_words(
    app: Flask, closed_case: str, language: str, expected: dict[str, list[str]]
) -> None:
    entries = _entries(open_page(signed_in(app, "owner"), f"/cases/{closed_case}?lang={language}"))

    notes: dict[str, list[str]] = {}
    for kind, _, note in entries:
        if note:
            notes.setdefault(kind, []).append(note)
    assert notes == expected
    assert all(what and what != kind for kind, what, _ in entries)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_kind_of_entry_has_words(app: Flask, language: str) -> None:
    with app.test_request_context(f"/?lang={language}"):
        titles = {kind: entry_title(kind) for kind in KINDS}

    assert [kind for kind, title in titles.items() if title == kind] == []
    assert entry_title("something_new") == "something_new"
    if language == "zh":
        assert [kind for kind, title in titles.items() if title.isascii()] == []
