"""How many SQL statements and transactions the three busiest requests make, counted with
SQLAlchemy's events: applying (POST /cases, decided at once or waiting), deciding a review task
(claim + complete) and the reviewer's task page. Each count has a ceiling, today's figure: a
change that adds a round trip fails here instead of showing up later as a slower benchmark.
Lower a ceiling when you remove one (bench/README.md has what each costs in time)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from engine import Engine
from tests.web.conftest import LONG_GAP, signed_in, token

INSTANT = {**LONG_GAP, "from_month": "2026-08"}  # a short gap: approved in the first step


@dataclass
class Trips:
    """What one request cost the database."""

    statements: int = 0
    transactions: int = 0


@contextmanager
def counting(engine: Engine) -> Iterator[Trips]:
    """Count the statements sent (BEGIN, COMMIT and the driver's own included) and the
    transactions begun on the engine's database while the block runs."""
    trips = Trips()

    def statement(*_: Any) -> None:
        trips.statements += 1

    def transaction(*_: Any) -> None:
        trips.transactions += 1

    database = engine.database
    event.listen(database, "before_cursor_execute", statement)
    event.listen(database, "begin", transaction)
    try:
        yield trips
    finally:
        event.remove(database, "before_cursor_execute", statement)
        event.remove(database, "begin", transaction)


# (statements, transactions) by database, as measured on 3 December 2026 (i12a): the ceilings.
# Each request's bearer token or page session is checked in a transaction of its own; SQLite
# counts its BEGIN and COMMIT as statements (PostgreSQL's driver sends them without a cursor).
CEILINGS: dict[str, dict[str, tuple[int, int]]] = {
    "apply_instant": {"sqlite": (18, 4), "postgresql": (16, 4)},
    "apply_waiting": {"sqlite": (18, 4), "postgresql": (16, 4)},
    "decide": {"sqlite": (38, 8), "postgresql": (34, 8)},  # claim, then complete: two requests
    "task_page": {"sqlite": (39, 11), "postgresql": (30, 11)},
}


def _within(people: Engine, name: str, request: Callable[[], Any]) -> None:
    with counting(people) as trips:
        request()
    statements, transactions = CEILINGS[name][people.database.dialect.name]
    figures = f"{name}: {trips.statements} statements in {trips.transactions} transactions"
    print(figures)
    assert trips.statements <= statements and trips.transactions <= transactions, figures


@pytest.mark.parametrize(("name", "data"), [("apply_instant", INSTANT), ("apply_waiting", LONG_GAP)])
def test_applying(client: FlaskClient, people: Engine, name: str, data: dict[str, Any]) -> None:
    headers = token(client, "owner")

    def apply() -> None:
        response = client.post(
            "/api/v1/cases", json={"matter": "catchup-contribution", "data": data}, headers=headers
        )
        assert response.status_code == 201

    _within(people, name, apply)


def test_deciding(client: FlaskClient, people: Engine, case: dict[str, Any]) -> None:
    headers = token(client, "acceptor")
    task = case["open_tasks"][0]["id"]

    def decide() -> None:
        assert client.post(f"/api/v1/tasks/{task}/claim", headers=headers).status_code == 200
        done = client.post(
            f"/api/v1/tasks/{task}/complete",
            json={"data": {"decision": "approve", "comment": "材料齐全"}},
            headers=headers,
        )
        assert done.status_code == 200

    _within(people, "decide", decide)


def test_the_task_page(app: Flask, people: Engine, case: dict[str, Any]) -> None:
    browser = signed_in(app, "acceptor")
    task = case["open_tasks"][0]["id"]
    browser.get(f"/workbench/tasks/{task}")  # the catalogue and the spec are cached from then on

    _within(people, "task_page", lambda: browser.get(f"/workbench/tasks/{task}").status_code == 200)
