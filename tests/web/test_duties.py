"""Separation of duties and reassignment by a supervisor."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from engine.actors import SYSTEM
from engine.services import accounts
from tests.web.conftest import LONG_GAP, PASSWORD, decide, open_page, signed_in, token

NAME_CHANGE = {
    "id_number": LONG_GAP["id_number"],
    "name": "张三",
    "field": "name",  # a key item: review, then a second review by someone else (approval)
    "new_value": "张叁",
    "reason": "更名",
}


@pytest.fixture
def staff(people: Engine) -> dict[str, str]:
    """A reviewer holding every post, a second one, and their supervisor: username → account id."""
    lead = accounts.create_account(
        people,
        SYSTEM,
        username="lead",
        password=PASSWORD,
        roles=["reviewer"],
        org_code="110105",
        posts=["review"],
    )
    ids = {"lead": lead.id}
    for name in ("both", "second"):
        ids[name] = accounts.create_account(
            people,
            SYSTEM,
            username=name,
            password=PASSWORD,
            roles=["reviewer"],
            org_code="110105",
            posts=["acceptance", "review", "approval"],
            supervisor="lead",
        ).id
    return ids


def _accept(client: FlaskClient, case: dict[str, Any], who: dict[str, str]) -> str:
    task_id = case["open_tasks"][0]["id"]
    assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=who).status_code == 200
    done = client.post(
        f"/api/v1/tasks/{task_id}/complete",
        headers=who,
        json={"data": {"decision": "approve", "comment": "受理"}},
    ).get_json()
    review_id: str = done["open_tasks"][0]["id"]
    return review_id


def test_whoever_accepted_may_not_also_review(
    client: FlaskClient, case: dict[str, Any], staff: dict[str, str]
) -> None:
    both, second = token(client, "both"), token(client, "second")
    review_id = _accept(client, case, both)

    refused = client.post(f"/api/v1/tasks/{review_id}/claim", headers=both)
    allowed = client.post(f"/api/v1/tasks/{review_id}/claim", headers=second)

    assert refused.status_code == 403 and "may not also decide" in refused.get_json()["error"]["message"]
    assert allowed.status_code == 200


def test_the_inbox_and_the_task_page_say_whose_review_it_is_not(
    app: Flask, client: FlaskClient, case: dict[str, Any], staff: dict[str, str]
) -> None:
    """The reviewer who accepted still sees the review among their posts' tasks, marked as
    another's to decide and with no claim button, instead of being offered it and refused."""
    review_id = _accept(client, case, token(client, "both"))

    def listed(who: str) -> dict[str, Any]:
        tasks = client.get("/api/v1/tasks", headers=token(client, who)).get_json()["tasks"]
        found: dict[str, Any] = next(task for task in tasks if task["id"] == review_id)
        return found

    assert "may not also decide" in listed("both")["barred_because"]
    assert listed("second")["barred_because"] is None
    for who, barred in (("both", True), ("second", False)):
        browser = signed_in(app, who)
        inbox = open_page(browser, "/workbench?lang=en")
        row = inbox.xpath(f'//tr[td/a[contains(@href, "{review_id}")]]')[0]
        assert bool(row.xpath('.//*[@data-testid="barred"]')) is barred
        page = open_page(browser, f"/workbench/tasks/{review_id}?lang=en")
        assert bool(page.xpath('//*[@data-testid="barred"]')) is barred
        assert bool(page.xpath('//button[text()="Claim this task"]')) is not barred


def test_a_supervisor_reassigns_but_not_to_the_one_who_accepted(
    client: FlaskClient, case: dict[str, Any], staff: dict[str, str]
) -> None:
    both, second, lead = token(client, "both"), token(client, "second"), token(client, "lead")
    review_id = _accept(client, case, both)
    assert client.post(f"/api/v1/tasks/{review_id}/claim", headers=second).status_code == 200

    to_acceptor = client.post(f"/api/v1/tasks/{review_id}/reassign", json={"to": "both"}, headers=lead)
    by_stranger = client.post(
        f"/api/v1/tasks/{review_id}/reassign", json={"to": "lead"}, headers=token(client, "checker")
    )
    to_lead = client.post(f"/api/v1/tasks/{review_id}/reassign", json={"to": "lead"}, headers=lead)

    assert to_acceptor.status_code == 403
    assert by_stranger.status_code == 404
    assert to_lead.status_code == 200 and to_lead.get_json()["assignee"] == staff["lead"]


def test_whoever_reviewed_a_key_change_may_not_also_approve_it(
    client: FlaskClient, people: Engine, staff: dict[str, str]
) -> None:
    applied = client.post(
        "/api/v1/cases",
        json={"matter": "personal-info-change", "data": NAME_CHANGE},
        headers=token(client, "owner"),
    ).get_json()
    [review] = applied["open_tasks"]
    reviewed = decide(client, "both", review["id"], "approve", "与共享户籍信息一致")
    [approval] = reviewed["open_tasks"]
    assert (review["element_id"], approval["element_id"]) == ("review", "approval")

    refused = client.post(f"/api/v1/tasks/{approval['id']}/claim", headers=token(client, "both"))
    approved = decide(client, "second", approval["id"], "approve", "复核同意")

    assert refused.status_code == 403 and "may not also decide" in refused.get_json()["error"]["message"]
    assert (approved["status"], approved["outcome"]) == ("completed", "approved")


def test_after_a_reassignment_the_previous_holder_may_not_decide(
    client: FlaskClient, case: dict[str, Any], staff: dict[str, str]
) -> None:
    task_id = case["open_tasks"][0]["id"]
    second, both = token(client, "second"), token(client, "both")
    assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=second).status_code == 200
    moved = client.post(
        f"/api/v1/tasks/{task_id}/reassign", json={"to": "both"}, headers=token(client, "lead")
    )
    assert moved.status_code == 200 and moved.get_json()["assignee"] == staff["both"]
    decision = {"data": {"decision": "approve", "comment": "受理"}}

    late = client.post(f"/api/v1/tasks/{task_id}/complete", json=decision, headers=second)
    released = client.post(f"/api/v1/tasks/{task_id}/unclaim", headers=second)
    done = client.post(f"/api/v1/tasks/{task_id}/complete", json=decision, headers=both)

    assert (late.status_code, released.status_code, done.status_code) == (409, 409, 200)
    accepted = [e for e in done.get_json()["timeline"] if e["activity"] == "acceptance"]
    assert [e["actor"] for e in accepted if e["kind"] == "task_completed"] == [staff["both"]]


def test_nobody_decides_their_own_application(client: FlaskClient, people: Engine) -> None:
    accounts.create_account(
        people,
        SYSTEM,
        username="staff.applicant",
        password=PASSWORD,
        roles=["applicant", "reviewer"],
        posts=["acceptance"],
        org_code="110105",
        identity="110105198001010016",
    )
    mine = token(client, "staff.applicant")
    case = client.post(
        "/api/v1/cases",
        json={"matter": "catchup-contribution", "data": {**LONG_GAP, "id_number": "110105198001010016"}},
        headers=mine,
    ).get_json()
    task_id = case["open_tasks"][0]["id"]
    claimed = client.post(f"/api/v1/tasks/{task_id}/claim", headers=mine)
    assert claimed.status_code == 403 and "applied for" in claimed.get_json()["error"]["message"]
