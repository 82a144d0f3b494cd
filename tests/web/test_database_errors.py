"""A database error in a request is logged without the statement's parameters: they carry
identity numbers, names and other case data, which must not end up in a log file."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from engine import Engine
from tests.web.conftest import LONG_GAP, token

REFUSE = {
    "sqlite": [
        "CREATE TRIGGER refuse_cases BEFORE INSERT ON cases BEGIN SELECT RAISE(ABORT, 'refused'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_case() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'refused'; END $$",
        "CREATE TRIGGER refuse_cases BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION refuse_case()",
    ],
}
ALLOW = {
    "sqlite": ["DROP TRIGGER refuse_cases"],
    "postgresql": ["DROP TRIGGER refuse_cases ON cases", "DROP FUNCTION refuse_case()"],
}


@pytest.fixture
def refusing(people: Engine) -> Iterator[Engine]:
    """The database refuses every new case (a trigger); dropped afterwards, since PostgreSQL
    test databases outlive the test."""
    dialect = people.database.dialect.name
    with people.database.begin() as connection:
        for statement in REFUSE[dialect]:
            connection.execute(text(statement))
    yield people
    with people.database.begin() as connection:
        for statement in ALLOW[dialect]:
            connection.execute(text(statement))


def test_a_failed_insert_is_logged_without_the_case_data(
    client: FlaskClient, refusing: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    headers = token(client, "owner")

    with caplog.at_level(logging.ERROR):
        response = client.post(
            "/api/v1/cases", json={"matter": "catchup-contribution", "data": LONG_GAP}, headers=headers
        )

    assert response.status_code == 500
    assert "unhandled error on POST /api/v1/cases" in caplog.text
    assert "refused" in caplog.text  # the database's own message is kept
    for value in (LONG_GAP["id_number"], LONG_GAP["name"]):
        assert value not in caplog.text
        assert value not in response.get_data(as_text=True)
