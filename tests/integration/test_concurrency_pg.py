"""Many clients at once, on PostgreSQL over HTTP: one winner per claim, no lost updates, no 500."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask.testing import FlaskClient

from engine import Engine
from engine.actors import SYSTEM
from engine.services import accounts, catalogue
from tests.conftest import ROOT
from tests.factories import chaoyang_applicant
from web import create_app

pytestmark = pytest.mark.postgres
PASSWORD = "Correct-Horse-7"
APPLICATION = {
    "id_number": "11010519491231002X",
    "name": "张三",
    "from_month": "2026-01",
    "to_month": "2026-10",
    "monthly_base": 5000,
    "reason": "job_change",
}


@pytest.fixture
def site(pg_engine: Engine) -> Callable[[], FlaskClient]:
    catalogue.sync_catalogue(pg_engine, SYSTEM, ROOT)
    chaoyang_applicant(pg_engine, PASSWORD)
    for n in range(20):
        accounts.create_account(
            pg_engine,
            SYSTEM,
            username=f"acceptor{n}",
            password=PASSWORD,
            roles=["reviewer"],
            posts=["acceptance"],
            org_code="110105",
        )
    app = create_app({"TESTING": True, "ENGINE": pg_engine, "SECRET_KEY": "test"})
    return app.test_client


def bearer(client: FlaskClient, username: str) -> dict[str, str]:
    grant = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).get_json()
    return {"Authorization": f"Bearer {grant['token']}"}


def apply(client: FlaskClient, owner: dict[str, str], count: int) -> list[dict[str, Any]]:
    return [
        client.post(
            "/api/v1/cases", json={"matter": "catchup-contribution", "data": APPLICATION}, headers=owner
        ).get_json()
        for _ in range(count)
    ]


def test_twenty_clients_claim_one_task_exactly_one_wins(site: Callable[[], FlaskClient]) -> None:
    client = site()
    [case] = apply(client, bearer(client, "owner"), 1)
    task_id = case["open_tasks"][0]["id"]
    reviewers = [bearer(client, f"acceptor{n}") for n in range(20)]

    def claim(headers: dict[str, str]) -> int:
        return site().post(f"/api/v1/tasks/{task_id}/claim", headers=headers).status_code

    with ThreadPoolExecutor(20) as pool:
        statuses = Counter(pool.map(claim, reviewers))

    assert statuses == Counter({200: 1, 409: 19})


def test_two_hundred_concurrent_completes_lose_nothing(site: Callable[[], FlaskClient]) -> None:
    client = site()
    cases = apply(client, bearer(client, "owner"), 200)
    reviewers = [bearer(client, f"acceptor{n}") for n in range(20)]
    work = [(c["open_tasks"][0]["id"], reviewers[i % 20]) for i, c in enumerate(cases)]
    for task_id, headers in work:
        assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=headers).status_code == 200

    def complete(item: tuple[str, dict[str, str]]) -> int:
        task_id, headers = item
        return (
            site()
            .post(
                f"/api/v1/tasks/{task_id}/complete",
                headers=headers,
                json={"data": {"decision": "approve", "comment": "受理"}},
            )
            .status_code
        )

    with ThreadPoolExecutor(20) as pool:
        statuses = Counter(pool.map(complete, work))

    assert statuses == Counter({200: 200})
    owner = bearer(client, "owner")
    for case in cases:
        after = client.get(f"/api/v1/cases/{case['id']}", headers=owner).get_json()
        assert [t["element_id"] for t in after["open_tasks"]] == ["review"]
        assert [e["kind"] for e in after["timeline"]].count("task_completed") == 1


def test_racing_retries_with_one_idempotency_key_make_one_case(site: Callable[[], FlaskClient]) -> None:
    owner = bearer(site(), "owner")
    headers = {**owner, "Idempotency-Key": "double-click-2026"}

    def submit(_: int) -> tuple[int, str]:
        response = site().post(
            "/api/v1/cases", headers=headers, json={"matter": "catchup-contribution", "data": APPLICATION}
        )
        return response.status_code, response.get_json()["id"]

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(submit, range(10)))

    assert {status for status, _ in results} == {201}
    assert len({case_id for _, case_id in results}) == 1
