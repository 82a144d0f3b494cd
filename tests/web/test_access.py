"""Each role against each case and task endpoint, over HTTP with bearer tokens.

A case is visible to its owner, to reviewers of its region and the regions above, and to
auditors; everyone else gets 404, exactly as for a case that does not exist.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import LONG_GAP, token

READ = {
    "owner": 200,
    "neighbour": 404,
    "employer": 404,
    "acceptor": 200,
    "city-acceptor": 200,
    "other-district": 404,
    "checker": 200,
    "auditor": 200,
    "policy": 404,
    "admin": 404,
}


@pytest.mark.parametrize(("who", "status"), sorted(READ.items()))
def test_reading_a_case(client: FlaskClient, case: dict[str, Any], who: str, status: int) -> None:
    response = client.get(f"/api/v1/cases/{case['id']}", headers=token(client, who))
    assert response.status_code == status
    if status == 404:
        assert response.get_json() == {"error": {"code": "not_found", "message": "no such case"}}


LISTED = {"owner": 1, "neighbour": 0, "acceptor": 1, "city-acceptor": 1, "other-district": 0, "auditor": 1}


@pytest.mark.parametrize(("who", "count"), sorted(LISTED.items()))
def test_listing_cases(client: FlaskClient, case: dict[str, Any], who: str, count: int) -> None:
    response = client.get("/api/v1/cases", headers=token(client, who))
    assert response.status_code == 200
    assert [c["id"] for c in response.get_json()["cases"]] == [case["id"]] * count


INBOX = {"acceptor": 1, "city-acceptor": 1, "other-district": 0, "checker": 0}


@pytest.mark.parametrize(("who", "count"), sorted(INBOX.items()))
def test_inbox_shows_tasks_of_the_posts_in_the_region(
    client: FlaskClient, case: dict[str, Any], who: str, count: int
) -> None:
    response = client.get("/api/v1/tasks?scope=available", headers=token(client, who))
    assert response.status_code == 200
    assert len(response.get_json()["tasks"]) == count


REGION = {
    ("city-acceptor", "110105"): (200, 1),  # a district of the city
    ("city-acceptor", "110108"): (200, 0),  # another district: nothing there
    ("city-acceptor", "120000"): (403, 0),  # another province
    ("acceptor", "110000"): (403, 0),  # the city above the district reviewer
    ("acceptor", "1101"): (422, 0),  # no division code
}


@pytest.mark.parametrize(("who", "region", "status", "count"), [(*k, *v) for k, v in sorted(REGION.items())])
def test_inbox_narrowed_to_a_region_within_ones_own(
    client: FlaskClient, case: dict[str, Any], who: str, region: str, status: int, count: int
) -> None:
    response = client.get(f"/api/v1/tasks?region={region}", headers=token(client, who))
    assert response.status_code == status
    if status == 200:
        found = response.get_json()["tasks"]
        assert [(t["case_number"], t["matter"]) for t in found] == [(case["number"], case["matter"])] * count


CLAIM = {
    "acceptor": 200,
    "city-acceptor": 200,
    "other-district": 404,
    "checker": 404,
    "owner": 404,
    "auditor": 404,
    "admin": 404,
}


@pytest.mark.parametrize(("who", "status"), sorted(CLAIM.items()))
def test_claiming_a_task(client: FlaskClient, case: dict[str, Any], who: str, status: int) -> None:
    task_id = case["open_tasks"][0]["id"]
    response = client.post(f"/api/v1/tasks/{task_id}/claim", headers=token(client, who))
    assert response.status_code == status


def test_only_the_holder_completes_and_others_see_a_conflict(
    client: FlaskClient, case: dict[str, Any]
) -> None:
    task_id = case["open_tasks"][0]["id"]
    assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=token(client, "acceptor")).status_code == 200

    second = client.post(f"/api/v1/tasks/{task_id}/claim", headers=token(client, "city-acceptor"))
    stranger = client.post(
        f"/api/v1/tasks/{task_id}/complete",
        json={"data": {"decision": "approve"}},
        headers=token(client, "other-district"),
    )
    bad = client.post(
        f"/api/v1/tasks/{task_id}/complete",
        json={"data": {"decision": "maybe"}},
        headers=token(client, "acceptor"),
    )
    done = client.post(
        f"/api/v1/tasks/{task_id}/complete",
        json={"data": {"decision": "approve"}},
        headers=token(client, "acceptor"),
    )

    assert (second.status_code, stranger.status_code, bad.status_code, done.status_code) == (
        409,
        404,
        422,
        200,
    )
    assert bad.get_json()["error"]["fields"] == {"decision": ["Must be one of: approve, reject, return."]}
    assert done.get_json()["open_tasks"][0]["element_id"] == "review"


@pytest.mark.parametrize("who", ["acceptor", "auditor", "admin", "policy"])
def test_only_applicants_and_units_apply(client: FlaskClient, people: object, who: str) -> None:
    response = client.post(
        "/api/v1/cases", json={"matter": "catchup-contribution", "data": LONG_GAP}, headers=token(client, who)
    )
    assert response.status_code == 403


def test_case_endpoints_need_a_token(client: FlaskClient, case: dict[str, Any]) -> None:
    for method, path in (
        ("get", "/api/v1/cases"),
        ("get", f"/api/v1/cases/{case['id']}"),
        ("get", "/api/v1/tasks"),
        ("post", "/api/v1/cases"),
    ):
        response = getattr(client, method)(path, headers={"Authorization": "Bearer not-a-token"})
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
