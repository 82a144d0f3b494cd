"""On PostgreSQL the audit trail cannot be wiped or rewritten silently: TRUNCATE is refused, and
when a superuser takes the guards away, a wipe, a rewind and a re-chained row each make
`matterflow audit verify` exit 1 saying what it found, because the chain is keyed with a key
the database does not hold and each seal's head was written to a checkpoint file."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Connection, make_url, select, text
from sqlalchemy.exc import DBAPIError

from engine import Engine, build_engine
from engine.actors import SYSTEM
from engine.cli import main
from engine.persistence.audit_chain import GENESIS, content_hash
from engine.persistence.models import AuditEvent
from engine.services import audit, cases
from tests.factories import person
from tests.integration.test_audit import APPLICATION

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)]


@pytest.fixture
def trail(loaded: Engine) -> Engine:
    """A few sealed audit rows, one seal (and one checkpoint) after another."""
    applicant = person("zhang.san")
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=APPLICATION)
    for _ in range(3):
        cases.get_case(loaded, applicant, case.id)
    assert audit.verify_log(loaded, SYSTEM).ok
    return loaded


def _verify(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", engine.settings.database_url)
    result = CliRunner().invoke(main, ["audit", "verify"])
    return result.exit_code, result.output


def _behind_the_guards(engine: Engine, change: Callable[[Connection], None]) -> None:
    """What a superuser can do: switch every trigger off for the session, then change things."""
    with engine.database.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        change(connection)


@pytest.mark.parametrize("table", ["audit_events", "audit_head"])
def test_truncating_the_audit_tables_is_refused(trail: Engine, table: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"), trail.database.begin() as connection:
        connection.execute(text(f"TRUNCATE {table} CASCADE"))
    assert audit.verify_log(trail, SYSTEM).ok


def test_a_wipe_is_found(trail: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    sealed = audit.verify_log(trail, SYSTEM).rows
    _behind_the_guards(trail, lambda c: c.execute(text("TRUNCATE audit_events, audit_head")))

    code, output = _verify(trail, monkeypatch)

    assert code == 1, output
    assert "rows after seq 0 are missing: a checkpoint of" in output and f"recorded seq {sealed}" in output


def test_a_rewind_is_found(trail: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last two rows deleted and the head set back to the row before: a consistent chain,
    only shorter than its checkpoints say."""
    sealed = audit.verify_log(trail, SYSTEM).rows

    def rewind(connection: Connection) -> None:
        connection.execute(text("DELETE FROM audit_events WHERE seq > :keep"), {"keep": sealed - 2})
        connection.execute(
            text(
                "UPDATE audit_head SET seq = :keep, hash = (SELECT hash FROM audit_events WHERE seq = :keep)"
            ),
            {"keep": sealed - 2},
        )

    _behind_the_guards(trail, rewind)
    code, output = _verify(trail, monkeypatch)

    assert code == 1, output
    assert f"rows after seq {sealed - 2} are missing: a checkpoint of" in output


def _rechain(engine: Engine, key: bytes | None, legacy: bool = False) -> None:
    """Edit the second row, then recompute its hash and every later one (and the head) so the
    chain is consistent again: under `key`, or unkeyed from the first row on after declaring
    every row one sealed before the chain was keyed."""
    with engine.sessions() as session:
        session.execute(text("SET LOCAL session_replication_role = replica"))
        rows = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        rows[1].actor_id = "someone.else"
        start = 0 if legacy else 1
        previous = GENESIS if legacy else str(rows[0].hash)
        for row in rows[start:]:
            row.prev_hash = previous
            row.hash = previous = content_hash(previous, row, None if legacy else key)
        session.flush()
        session.execute(
            text("UPDATE audit_head SET hash = :hash, legacy_seq = :legacy"),
            {"hash": previous, "legacy": rows[-1].seq if legacy else 0},
        )
        session.commit()


@pytest.mark.parametrize(
    ("how", "found"),
    [
        ("without-the-key", "the row's content was changed after it was sealed"),
        ("with-the-key", "the chain was rewritten: seq 2 differs from its checkpoint of"),
        ("as-legacy-rows", "differs from its checkpoint of"),
    ],
)
def test_a_rechained_row_is_found(
    trail: Engine, monkeypatch: pytest.MonkeyPatch, how: str, found: str
) -> None:
    """Without the key the edited row's hash cannot be made; with it (an insider who has it) or
    by passing the rows off as sealed before the chain was keyed, the checkpoints still differ."""
    key = {"without-the-key": b"a guessed key", "with-the-key": trail.sealing.key}.get(how)
    _rechain(trail, key, legacy=how == "as-legacy-rows")

    code, output = _verify(trail, monkeypatch)

    assert code == 1, output
    assert found in output


def test_the_checkpoints_are_outside_the_database(trail: Engine, audit_checkpoints: Path) -> None:
    lines = audit_checkpoints.read_text().splitlines()
    sealed = audit.verify_log(trail, SYSTEM)
    assert lines and f"seq={sealed.rows} hash={sealed.head_hash}" in lines[-1]


APP_ROLE = Path(__file__).resolve().parents[2] / "docs" / "app-role.sql"


def test_the_application_role_of_the_docs_runs_cases_but_cannot_touch_the_audit_tables(
    trail: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/security.md's separate owner: the server's role works, and holds no right to
    truncate, delete, rewrite or disable the guards of the audit trail."""
    role = f"mf_app_{os.getpid()}"
    with trail.database.begin() as connection:
        connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        connection.execute(text(APP_ROLE.read_text().replace("matterflow_app", f'"{role}"')))
    app_url = make_url(trail.settings.database_url).set(username=role)
    app = build_engine(replace(trail.settings, database_url=app_url.render_as_string(hide_password=False)))
    try:
        case = cases.start_case(app, person("zhang.san"), matter="catchup-contribution", data=APPLICATION)
        assert cases.get_case(app, person("zhang.san"), case.id).id == case.id
        assert audit.verify_log(app, SYSTEM).ok
        for statement in (
            "TRUNCATE audit_events",
            "DELETE FROM audit_events",
            "UPDATE audit_events SET actor_id = 'x'",
            "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
            "DROP TRIGGER audit_events_no_truncate ON audit_events",
            "SET session_replication_role = replica",
        ):
            with (
                pytest.raises(DBAPIError, match=r"permission denied|must be owner"),
                app.database.begin() as c,
            ):
                c.execute(text(statement))
    finally:
        app.close()
        with trail.database.begin() as connection:
            connection.execute(text(f'DROP OWNED BY "{role}"'))
            connection.execute(text(f'DROP ROLE "{role}"'))
