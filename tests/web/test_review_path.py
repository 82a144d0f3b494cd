"""The whole review path of catchup-contribution over the HTTP API, as API.md describes it."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from engine import Engine
from tests.web.conftest import LONG_GAP, token


def _post(client: FlaskClient, path: str, who: dict[str, str], body: dict[str, Any] | None = None) -> Any:
    response = client.post(path, json=body, headers=who)
    assert response.status_code in (200, 201), (path, response.get_json())
    return response.get_json()


def test_apply_accept_return_supplement_approve(client: FlaskClient, people: Engine) -> None:
    owner, acceptor, checker = (token(client, who) for who in ("owner", "acceptor", "checker"))

    case = _post(client, "/api/v1/cases", owner, {"matter": "catchup-contribution", "data": LONG_GAP})
    assert (case["status"], case["open_tasks"][0]["element_id"]) == ("in_progress", "acceptance")

    [acceptance] = client.get("/api/v1/tasks", headers=acceptor).get_json()["tasks"]
    _post(client, f"/api/v1/tasks/{acceptance['id']}/claim", acceptor)
    case = _post(
        client,
        f"/api/v1/tasks/{acceptance['id']}/complete",
        acceptor,
        {"data": {"decision": "approve", "comment": "材料齐全，予以受理"}},
    )
    [review] = case["open_tasks"]
    assert review["element_id"] == "review"

    _post(client, f"/api/v1/tasks/{review['id']}/claim", checker)
    returned = _post(
        client,
        f"/api/v1/tasks/{review['id']}/complete",
        checker,
        {"data": {"decision": "return", "comment": "请补充2026年1月至3月的工资发放记录"}},
    )
    assert returned["status"] == "awaiting_applicant"
    assert client.get("/api/v1/tasks", headers=checker).get_json()["tasks"] == []

    supplemented = _post(
        client, f"/api/v1/cases/{case['id']}/supplement", owner, {"data": {"monthly_base": 5200}}
    )
    assert supplemented["status"] == "in_progress" and supplemented["data"]["monthly_base"] == 5200
    [again] = client.get("/api/v1/tasks", headers=checker).get_json()["tasks"]
    assert (again["id"], again["element_id"], again["assignee"]) == (review["id"], "review", None)

    _post(client, f"/api/v1/tasks/{review['id']}/claim", checker)
    done = _post(
        client,
        f"/api/v1/tasks/{review['id']}/complete",
        checker,
        {"data": {"decision": "approve", "comment": "同意补缴"}},
    )

    assert (done["status"], done["outcome"], done["open_tasks"]) == ("completed", "approved", [])
    steps = [
        (
            e["kind"],
            e["activity"],
            e["actor"],
            e["decision"] or e["outcome"] or e["note"],
            e["comment"],
            e["fields"],
        )
        for e in done["timeline"]
    ]
    owner_id = steps[0][2]
    acceptor_id = next(step[2] for step in steps if step[0] == "task_completed")
    checker_id = next(step[2] for step in steps if step[0] == "returned")
    assert steps == [
        ("started", None, owner_id, "", "", []),
        ("automatic", "decide_instant", "system", "", "", []),
        ("task_opened", "acceptance", None, "acceptance", "", []),
        ("task_completed", "acceptance", acceptor_id, "approve", "材料齐全，予以受理", []),
        ("task_opened", "review", None, "review", "", []),
        ("returned", "review", checker_id, "return", "请补充2026年1月至3月的工资发放记录", []),
        ("supplemented", None, owner_id, "", "", ["monthly_base"]),
        ("task_completed", "review", checker_id, "approve", "同意补缴", []),
        ("completed", None, "system", "approved", "", []),
    ]
    assert len({owner_id, acceptor_id, checker_id}) == 3


def test_supplement_is_only_for_a_returned_case_and_its_owner(
    client: FlaskClient, case: dict[str, Any]
) -> None:
    owner, neighbour, acceptor = (token(client, who) for who in ("owner", "neighbour", "acceptor"))
    path = f"/api/v1/cases/{case['id']}/supplement"

    assert client.post(path, json={"data": {"monthly_base": 1}}, headers=owner).status_code == 409
    assert client.post(path, json={"data": {"monthly_base": 1}}, headers=neighbour).status_code == 404
    assert client.post(path, json={"data": {"monthly_base": 1}}, headers=acceptor).status_code == 403


def test_reject_and_return_need_a_comment(client: FlaskClient, case: dict[str, Any]) -> None:
    acceptor = token(client, "acceptor")
    task_id = case["open_tasks"][0]["id"]
    _post(client, f"/api/v1/tasks/{task_id}/claim", acceptor)
    for decision in ("reject", "return"):
        response = client.post(
            f"/api/v1/tasks/{task_id}/complete", json={"data": {"decision": decision}}, headers=acceptor
        )
        assert response.status_code == 422 and "comment" in response.get_json()["error"]["fields"]


def test_withdraw_until_a_decision_is_taken(client: FlaskClient, people: Engine) -> None:
    owner, acceptor = token(client, "owner"), token(client, "acceptor")
    first = _post(client, "/api/v1/cases", owner, {"matter": "catchup-contribution", "data": LONG_GAP})
    second = _post(client, "/api/v1/cases", owner, {"matter": "catchup-contribution", "data": LONG_GAP})

    withdrawn = _post(client, f"/api/v1/cases/{first['id']}/withdraw", owner)
    assert (withdrawn["status"], withdrawn["open_tasks"]) == ("withdrawn", [])
    task_id = second["open_tasks"][0]["id"]
    _post(client, f"/api/v1/tasks/{task_id}/claim", acceptor)
    _post(client, f"/api/v1/tasks/{task_id}/complete", acceptor, {"data": {"decision": "approve"}})
    assert client.post(f"/api/v1/cases/{second['id']}/withdraw", headers=owner).status_code == 409
    assert [t["case_id"] for t in client.get("/api/v1/tasks", headers=acceptor).get_json()["tasks"]] == []


def test_a_retried_application_with_the_same_key_is_one_case(client: FlaskClient, people: Engine) -> None:
    owner = token(client, "owner")
    body = {"matter": "catchup-contribution", "data": LONG_GAP}
    headers = {**owner, "Idempotency-Key": "7d1f6a0e-retry-test"}

    first = client.post("/api/v1/cases", json=body, headers=headers)
    again = client.post("/api/v1/cases", json=body, headers=headers)
    other = client.post("/api/v1/cases", json=body, headers={**owner, "Idempotency-Key": "another-key"})

    assert first.status_code == again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert other.get_json()["id"] != first.get_json()["id"]
    listed = client.get("/api/v1/cases", headers=owner).get_json()["cases"]
    assert len(listed) == 2


def test_a_key_sent_again_with_a_different_application_is_refused(
    client: FlaskClient, people: Engine
) -> None:
    owner = token(client, "owner")
    headers = {**owner, "Idempotency-Key": "reused-for-another-application"}
    first = client.post(
        "/api/v1/cases", json={"matter": "catchup-contribution", "data": LONG_GAP}, headers=headers
    )
    changed = {**LONG_GAP, "monthly_base": LONG_GAP["monthly_base"] + 1000}
    refused = client.post(
        "/api/v1/cases", json={"matter": "catchup-contribution", "data": changed}, headers=headers
    )
    reordered = dict(reversed(LONG_GAP.items()))
    retried = client.post(
        "/api/v1/cases", json={"matter": "catchup-contribution", "data": reordered}, headers=headers
    )

    assert first.status_code == 201
    assert refused.status_code == 422
    assert "Idempotency-Key" in refused.get_json()["error"]["fields"]
    assert retried.status_code == 201 and retried.get_json()["id"] == first.get_json()["id"]
    assert len(client.get("/api/v1/cases", headers=owner).get_json()["cases"]) == 1


def test_the_diagram_marks_progress_for_those_who_may_see_the_case(
    client: FlaskClient, case: dict[str, Any]
) -> None:
    diagram = client.get(f"/api/v1/cases/{case['id']}/diagram", headers=token(client, "owner")).get_json()

    assert diagram["xml"].lstrip().startswith("<bpmn:definitions")
    assert diagram["states"]["decide_instant"] == "completed"
    assert diagram["states"]["acceptance"] == "active"
    assert diagram["states"]["review"] == "upcoming"
    hidden = client.get(f"/api/v1/cases/{case['id']}/diagram", headers=token(client, "neighbour"))
    assert hidden.status_code == 404
