"""The audit log records changes and reads of cases, and its chain shows any later edit."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from engine import Engine
from engine.actors import SYSTEM, Actor
from engine.cli import main
from engine.errors import NotFound
from engine.persistence.models import AuditEvent
from engine.services import accounts, audit, cases, diagrams
from engine.worker import Worker
from tests.factories import reviewer

APPLICATION = {
    "id_number": "11010519491231002X",
    "name": "张三",
    "from_month": "2026-01",
    "to_month": "2026-10",
    "monthly_base": 5000,
    "reason": "job_change",
}


def _events(engine: Engine) -> list[AuditEvent]:
    with engine.unit_of_work(immediate=False) as uow:
        return list(uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def test_changes_and_reads_are_recorded_with_who_and_where(loaded: Engine, applicant: Actor) -> None:
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=APPLICATION)
    looking = reviewer("li.si", "acceptance")
    cases.get_case(
        loaded, Actor(id=looking.id, roles=looking.roles, org_code="110105", ip="10.1.2.3"), case.id
    )

    events = [(e.actor_id, e.action, e.subject_id, e.ip) for e in _events(loaded) if e.subject_type == "case"]

    assert events == [("zhang.san", "case.start", case.id, None), ("li.si", "case.read", case.id, "10.1.2.3")]
    assert all(e.hash and e.seq for e in _events(loaded))
    assert audit.verify_log(loaded, SYSTEM).ok


def test_identity_numbers_in_details_are_masked(engine: Engine) -> None:
    accounts.create_account(
        engine,
        SYSTEM,
        username="zhang.san",
        password="Correct-Horse-7",
        roles=["applicant"],
        org_code="000000",
        identity="11010519491231002X",
    )
    [created] = [e for e in _events(engine) if e.action == "account.create"]
    assert json.loads(created.detail)["identity"] == "110105********002X"
    assert "11010519491231002X" not in created.detail


def test_the_table_refuses_updates_and_deletes(loaded: Engine, applicant: Actor) -> None:
    cases.start_case(loaded, applicant, matter="catchup-contribution", data=APPLICATION)
    for statement in ("UPDATE audit_events SET action = 'nothing'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), loaded.database.begin() as connection:
            connection.execute(text(statement))


def _edit_behind_the_triggers(engine: Engine, statement: str) -> None:
    """What someone with direct database access could do: switch the guard off, then edit."""
    with engine.database.begin() as connection:
        if engine.database.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
            connection.execute(text(statement))
            connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))
        else:
            connection.execute(text("DROP TRIGGER audit_events_seal_only"))
            connection.execute(text("DROP TRIGGER audit_events_no_delete"))
            connection.execute(text(statement))


TAMPERING = {
    "edited": "UPDATE audit_events SET actor_id = 'someone.else' WHERE seq = 2",
    "deleted": "DELETE FROM audit_events WHERE seq = 2",
    "last-deleted": "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)",
}


def _named(tampering: str, rows: list[AuditEvent]) -> str:
    """What verify must say, naming the place: the edited row, the row after the deleted one,
    or (nothing after the last) the sequence number the chain ends at and the head's."""
    return {
        "edited": f"row {rows[1].id}: the row's content was changed after it was sealed",
        "deleted": f"row {rows[2].id}: a row before this one is missing",
        "last-deleted": f"rows after seq {rows[-2].seq} are missing (head says {rows[-1].seq})",
    }[tampering]


@pytest.mark.parametrize("tampering", list(TAMPERING))
def test_verify_names_the_row_after_tampering(
    loaded: Engine, applicant: Actor, tampering: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=APPLICATION)
    cases.get_case(loaded, applicant, case.id)
    cases.get_case(loaded, applicant, case.id)
    rows = _events(loaded)
    named = _named(tampering, rows)

    _edit_behind_the_triggers(loaded, TAMPERING[tampering])
    report = audit.verify_log(loaded, SYSTEM)

    assert not report.ok and report.problem in named
    assert report.row_id == {"edited": rows[1].id, "deleted": rows[2].id}.get(tampering)

    monkeypatch.setenv("DATABASE_URL", loaded.settings.database_url)
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1 and named in result.output, result.output


def test_verify_passes_on_a_clean_log_from_the_command_line(
    loaded: Engine, applicant: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases.start_case(loaded, applicant, matter="catchup-contribution", data=APPLICATION)
    monkeypatch.setenv("DATABASE_URL", loaded.settings.database_url)
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output


def _reads(engine: Engine) -> list[tuple[str, str, str, dict[str, object]]]:
    return [
        (e.actor_id, e.action, e.subject_id, json.loads(e.detail))
        for e in _events(engine)
        if e.action in ("case.list", "case.read_diagram")
    ]


def test_listing_cases_records_which_cases_were_shown(loaded: Engine, applicant: Actor) -> None:
    first = cases.start_case(loaded, applicant, matter="catchup-contribution", data=APPLICATION)
    second = cases.start_case(loaded, applicant, matter="catchup-contribution", data=APPLICATION)
    looking = reviewer("li.si", "acceptance")

    shown = cases.list_cases(loaded, looking, status="in_progress")
    nothing = cases.list_cases(loaded, looking, matter="personal-info-change")

    assert {c.id for c in shown} == {first.id, second.id} and nothing == []
    shown_ids = [c.id for c in shown]
    assert _reads(loaded) == [
        ("li.si", "case.list", "page-1", {"cases": shown_ids, "page": 1, "status": "in_progress"})
    ]
    assert audit.verify_log(loaded, SYSTEM).ok


def test_reading_a_cases_diagram_is_recorded(loaded: Engine, applicant: Actor) -> None:
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=APPLICATION)

    diagrams.case_diagram(loaded, reviewer("li.si", "acceptance"), case.id)
    with pytest.raises(NotFound):
        diagrams.case_diagram(loaded, reviewer("zhao.liu", "acceptance", org="110108"), case.id)

    assert _reads(loaded) == [("li.si", "case.read_diagram", case.id, {})]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_rows_left_while_another_sealer_works_are_sealed_by_the_worker(
    loaded: Engine, applicant: Actor
) -> None:
    """A commit's seal does not queue behind another sealer; the worker chains what it left."""
    with loaded.database.connect() as other_sealer:
        other_sealer.execute(text("BEGIN"))
        other_sealer.execute(text("SELECT pg_advisory_xact_lock(20261122)"))
        cases.start_case(loaded, applicant, matter="catchup-contribution", data=APPLICATION)
        assert [e.action for e in _events(loaded) if e.seq is None] == ["case.start"]
        other_sealer.execute(text("ROLLBACK"))

    assert Worker(loaded).run_once()["audit seal"] == 1
    assert all(e.seq is not None for e in _events(loaded))
    assert audit.verify_log(loaded, SYSTEM).ok


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_verifying_seals_what_was_left_and_checks_it_too(loaded: Engine, applicant: Actor) -> None:
    """With no worker running, a row whose seal found another sealer at work is still checked."""
    with loaded.database.connect() as other_sealer:
        other_sealer.execute(text("BEGIN"))
        other_sealer.execute(text("SELECT pg_advisory_xact_lock(20261122)"))
        cases.start_case(loaded, applicant, matter="catchup-contribution", data=APPLICATION)
        other_sealer.execute(text("ROLLBACK"))

    report = audit.verify_log(loaded, SYSTEM)

    assert report.ok
    assert report.rows == len(_events(loaded))
    assert all(e.seq is not None for e in _events(loaded))
