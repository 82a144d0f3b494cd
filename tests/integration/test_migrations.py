"""The alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from engine import Engine
from engine.actors import Actor
from engine.casework import timeline
from engine.casework.happenings import Happening
from engine.persistence.models import Base
from engine.persistence.schema import alembic_config, is_current
from engine.services import cases
from engine.views import TimelineEntry
from engine.vocabulary import Decision, Outcome, TimelineKind
from tests.integration.test_cases import INSTANT


def test_migrations_from_empty_reach_head_and_match_the_models(engine: Engine) -> None:
    assert is_current(engine.database)
    with engine.database.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrating_twice_changes_nothing(engine: Engine) -> None:
    engine.migrate()
    assert is_current(engine.database)


# What each kind of entry wrote into `note` before i12a_0001 gave it columns of its own.
OLD_NOTES = {
    Happening(TimelineKind.DECIDED, "r1", decision=Decision.APPROVE, comment="材料齐全"): "approve: 材料齐全",
    Happening(TimelineKind.DECIDED, "r1", decision=Decision.REJECT): "reject",
    Happening(TimelineKind.DECIDED, "r1", comment="no decision on this form"): "no decision on this form",
    Happening(
        TimelineKind.RETURNED, "r1", decision=Decision.RETURN, comment="请补充工资记录"
    ): "请补充工资记录",
    Happening(TimelineKind.SUPPLEMENTED, "owner", fields=("monthly_base", "reason")): "monthly_base, reason",
    Happening(TimelineKind.RETRIED, "admin", fields=("amount",)): "corrected: amount",
    Happening(TimelineKind.RETRIED, "admin"): "",
    Happening(TimelineKind.COMPLETED, "system", outcome=Outcome.APPROVED): "approved",
    Happening(TimelineKind.COMPLETED, "system"): "",
    Happening(TimelineKind.MESSAGE, "system", note="payment_confirmed"): "payment_confirmed",
}


def test_timeline_fields_move_out_of_the_note_and_back(loaded: Engine, applicant: Actor) -> None:
    """i12a_0001 turns the old note protocols into columns, and its downgrade turns them back."""
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=INSTANT)
    with loaded.unit_of_work() as uow:
        timeline.record(uow.session, case.id, loaded.clock.now(), OLD_NOTES)
        uow.commit()
    written = _entries(loaded, case.id)

    _alembic(loaded, command.downgrade, "i11_0002")
    with loaded.database.connect() as connection:
        notes = connection.execute(
            text("SELECT note FROM timeline_events WHERE case_id = :case ORDER BY id"), {"case": case.id}
        ).scalars()
        assert list(notes)[-len(OLD_NOTES) :] == list(OLD_NOTES.values())
    _alembic(loaded, command.upgrade, "head")

    assert _entries(loaded, case.id) == written
    moved = [(e.kind, e.note, e.decision, e.comment, e.outcome, e.fields) for e in written[-len(OLD_NOTES) :]]
    assert moved == [
        (h.kind, h.note, h.decision, h.comment or "", h.outcome, h.fields or ()) for h in OLD_NOTES
    ]


def _entries(engine: Engine, case_id: str) -> tuple[TimelineEntry, ...]:
    with engine.unit_of_work(immediate=False) as uow:
        return timeline.entries(uow.session, case_id)


def _alembic(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    config = alembic_config()
    with engine.database.begin() as connection:
        config.attributes["connection"] = connection
        step(config, revision)
