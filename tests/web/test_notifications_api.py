"""The in-app inbox and staff retries over HTTP."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from engine.actors import SYSTEM
from engine.bundles import read_bundle_path
from engine.services import accounts, catalogue
from tests.conftest import FIXTURES
from tests.web.conftest import PASSWORD, token


def _claim_and_decide(client: FlaskClient, who: str, task_id: str, data: dict[str, Any]) -> None:
    headers = token(client, who)
    assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=headers).status_code == 200
    done = client.post(f"/api/v1/tasks/{task_id}/complete", headers=headers, json={"data": data})
    assert done.status_code == 200, done.get_json()


def test_the_applicant_reads_what_a_return_asks_for_and_marks_it_read(
    client: FlaskClient, case: dict[str, Any]
) -> None:
    [task] = case["open_tasks"]
    _claim_and_decide(client, "acceptor", task["id"], {"decision": "return", "comment": "请补充劳动合同"})
    owner = token(client, "owner")

    inbox = client.get("/api/v1/notifications", headers=owner).get_json()
    assert inbox["unread"] == 1
    [notice] = inbox["notifications"]
    assert (notice["kind"], notice["body"], notice["case_id"]) == (
        "case_returned",
        "请补充劳动合同",
        case["id"],
    )
    assert client.get("/api/v1/notifications", headers=token(client, "neighbour")).get_json()["unread"] == 0

    read = client.post(f"/api/v1/notifications/{notice['id']}/read", headers=owner)
    assert read.status_code == 200 and read.get_json()["read_at"] is not None
    assert client.get("/api/v1/notifications?unread=true", headers=owner).get_json()["notifications"] == []
    stranger = client.post(f"/api/v1/notifications/{notice['id']}/read", headers=token(client, "neighbour"))
    assert stranger.status_code == 404
    assert client.get("/api/v1/notifications?page=0", headers=owner).status_code == 422
    assert client.get("/api/v1/notifications").status_code == 401


def test_an_administrator_of_the_region_retries_a_failed_case_with_corrected_data(
    app: Flask, client: FlaskClient, people: Engine
) -> None:
    catalogue.deploy_bundle(
        people, SYSTEM, read_bundle_path(FIXTURES / "bundles" / "ratio-check"), publish=True
    )
    accounts.create_account(
        people, SYSTEM, username="haidian-admin", password=PASSWORD, roles=["admin"], org_code="110108"
    )
    failed = client.post(
        "/api/v1/cases",
        json={"matter": "ratio-check", "data": {"amount": 300, "months": 0}},
        headers=token(client, "owner"),
    ).get_json()
    assert [i["element_id"] for i in failed["incidents"] if i["resolved_at"] is None] == ["compute"]
    url = f"/api/v1/cases/{failed['id']}/retry"

    # the owner may read the case, but retrying is not theirs: for them it does not exist either
    assert client.post(url, json={"data": {}}, headers=token(client, "owner")).status_code == 404
    assert client.post(url, json={"data": {}}, headers=token(client, "haidian-admin")).status_code == 404
    admin = token(client, "admin")  # Beijing's, above Chaoyang
    assert client.post(url, json={"data": {"months": "three"}}, headers=admin).status_code == 422
    retried = client.post(url, json={"data": {"months": 3}}, headers=admin)

    assert retried.status_code == 200, retried.get_json()
    body = retried.get_json()
    assert [i for i in body["incidents"] if i["resolved_at"] is None] == []
    assert [t["element_id"] for t in body["open_tasks"]] == ["review"]
    assert client.post(url, json={}, headers=admin).status_code == 409  # nothing left to retry
