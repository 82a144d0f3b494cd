"""Each role against each case and task endpoint, over HTTP with bearer tokens.

A case is visible to its owner, to reviewers of its region and the regions above, and to
auditors; everyone else gets 404, exactly as for a case that does not exist. Those who may see
a case but not do a thing to it get 403; a task is visible only to those who may decide it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from engine import Engine
from engine.actors import SYSTEM
from engine.services import accounts
from tests.web.conftest import LONG_GAP, PASSWORD, PEOPLE, apply_over_api, token

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
        assert response.get_json() == {"error": {"code": "case_not_found", "message": "no such case"}}


LISTED = {
    "owner": 1,
    "neighbour": 0,
    "employer": 0,
    "acceptor": 1,
    "city-acceptor": 1,
    "other-district": 0,
    "auditor": 1,
}


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


ROLES = (
    "owner",
    "neighbour",
    "employer",
    "acceptor",
    "other-district",
    "auditor",
    "admin",
    "system",
    "anonymous",
)

# the role's account: another department's system, which sends messages (test_messages_api.py)
# and does nothing else: it applies for no one, reads no one's case (404) and decides no task
ACCOUNT = {"system": "exchange"}


def statuses(default: int, **others: int) -> dict[str, int]:
    """The status each role gets: `default`, except where named (dashes written as _)."""
    return {role: others.get(role.replace("-", "_"), default) for role in ROLES}


@pytest.fixture
def crew(people: Engine) -> Engine:
    """PEOPLE, plus another department's system account and a reviewer with a supervisor."""
    for username, spec in {
        "exchange": {"roles": ["system"], "org_code": "000000"},
        "lead": {"roles": ["reviewer"], "org_code": "110105", "posts": ["acceptance"]},
        "junior": {
            "roles": ["reviewer"],
            "org_code": "110105",
            "posts": ["acceptance"],
            "supervisor": "lead",
        },
    }.items():
        accounts.create_account(people, SYSTEM, username=username, password=PASSWORD, **spec)
    return people


def _held_by(who: str) -> Callable[[FlaskClient], dict[str, Any]]:
    def held(client: FlaskClient) -> dict[str, Any]:
        case = apply_over_api(client)
        claimed = client.post(
            f"/api/v1/tasks/{case['open_tasks'][0]['id']}/claim", headers=token(client, who)
        )
        assert claimed.status_code == 200
        return case

    return held


def _returned(client: FlaskClient) -> dict[str, Any]:
    case = _held_by("acceptor")(client)
    decision = {"decision": "return", "comment": "请补充工资发放记录"}
    path = f"/api/v1/tasks/{case['open_tasks'][0]['id']}/complete"
    assert client.post(path, json={"data": decision}, headers=token(client, "acceptor")).status_code == 200
    return case


def _application(who: str) -> dict[str, Any]:
    """An application in the applicant's own name (units apply with their own code)."""
    own = PEOPLE.get(who, {}).get("identity", LONG_GAP["id_number"])
    return {"matter": "catchup-contribution", "data": {**LONG_GAP, "id_number": own}}


# endpoint: (method, path, the case's state first, body for the role, status by role)
MATRIX: dict[
    str, tuple[str, str, Callable[[FlaskClient], dict[str, Any]], Callable[[str], Any], dict[str, int]]
] = {
    "POST /cases": (
        "post",
        "/api/v1/cases",
        apply_over_api,
        _application,
        # units may not apply for a person's matter; schedules start cases inside the engine
        statuses(403, owner=201, neighbour=201, anonymous=401),
    ),
    "GET /cases": (
        "get",
        "/api/v1/cases",
        apply_over_api,
        lambda who: None,
        statuses(200, admin=403, system=403, anonymous=401),
    ),
    "GET /cases/{id}": (
        "get",
        "/api/v1/cases/{case}",
        apply_over_api,
        lambda who: None,
        statuses(404, owner=200, acceptor=200, auditor=200, anonymous=401),
    ),
    "POST /cases/{id}/withdraw": (
        "post",
        "/api/v1/cases/{case}/withdraw",
        apply_over_api,
        lambda who: None,
        statuses(404, owner=200, acceptor=403, auditor=403, anonymous=401),
    ),
    # a retry is for the administrators of the case's region (a case with no incident: 409);
    # for everyone else, even those who may read the case, it does not exist
    "POST /cases/{id}/retry": (
        "post",
        "/api/v1/cases/{case}/retry",
        apply_over_api,
        lambda who: {},
        statuses(404, admin=409, anonymous=401),
    ),
    "POST /cases/{id}/supplement": (
        "post",
        "/api/v1/cases/{case}/supplement",
        _returned,
        lambda who: {"data": {"note": "已补充工资发放记录"}},
        statuses(404, owner=200, acceptor=403, auditor=403, anonymous=401),
    ),
    "GET /cases/{id}/diagram": (
        "get",
        "/api/v1/cases/{case}/diagram",
        apply_over_api,
        lambda who: None,
        statuses(404, owner=200, acceptor=200, auditor=200, anonymous=401),
    ),
    "GET /tasks?scope=available": (
        "get",
        "/api/v1/tasks?scope=available",
        apply_over_api,
        lambda who: None,
        statuses(403, acceptor=200, other_district=200, anonymous=401),
    ),
    "GET /tasks?scope=mine": (
        "get",
        "/api/v1/tasks?scope=mine",
        _held_by("acceptor"),
        lambda who: None,
        statuses(403, acceptor=200, other_district=200, anonymous=401),
    ),
    "POST /tasks/{id}/claim": (
        "post",
        "/api/v1/tasks/{task}/claim",
        apply_over_api,
        lambda who: None,
        statuses(404, acceptor=200, anonymous=401),
    ),
    "POST /tasks/{id}/unclaim": (
        "post",
        "/api/v1/tasks/{task}/unclaim",
        _held_by("acceptor"),
        lambda who: None,
        statuses(404, acceptor=200, anonymous=401),
    ),
    "POST /tasks/{id}/complete": (
        "post",
        "/api/v1/tasks/{task}/complete",
        _held_by("acceptor"),
        lambda who: {"data": {"decision": "approve", "comment": "材料齐全"}},
        statuses(404, acceptor=200, anonymous=401),
    ),
    "POST /tasks/{id}/reassign": (
        "post",
        "/api/v1/tasks/{task}/reassign",
        _held_by("junior"),
        lambda who: {"to": "acceptor"},
        statuses(404, anonymous=401),  # only the holder's supervisor (below) reassigns
    ),
}


@pytest.mark.parametrize(("endpoint", "who"), [(endpoint, who) for endpoint in MATRIX for who in ROLES])
def test_each_role_on_each_case_and_task_endpoint(
    client: FlaskClient, crew: Engine, endpoint: str, who: str
) -> None:
    method, path, prepare, body, expected = MATRIX[endpoint]
    case = prepare(client)
    headers = {} if who == "anonymous" else token(client, ACCOUNT.get(who, who))

    url = path.format(case=case["id"], task=case["open_tasks"][0]["id"])
    response = getattr(client, method)(url, json=body(who), headers=headers)

    assert response.status_code == expected[who], response.get_json()
    if response.status_code >= 400:
        assert set(response.get_json()["error"]) >= {"code", "message"}


def test_the_holders_supervisor_reassigns(client: FlaskClient, crew: Engine) -> None:
    task_id = apply_over_api(client)["open_tasks"][0]["id"]
    held = client.post(f"/api/v1/tasks/{task_id}/claim", headers=token(client, "junior")).get_json()

    response = client.post(
        f"/api/v1/tasks/{task_id}/reassign", json={"to": "acceptor"}, headers=token(client, "lead")
    )

    assert response.status_code == 200
    assert response.get_json()["assignee"] not in (None, held["assignee"])
