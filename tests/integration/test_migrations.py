"""The alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from engine import Engine
from engine.persistence.models import Base
from engine.persistence.schema import is_current


def test_migrations_from_empty_reach_head_and_match_the_models(engine: Engine) -> None:
    assert is_current(engine.database)
    with engine.database.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrating_twice_changes_nothing(engine: Engine) -> None:
    engine.migrate()
    assert is_current(engine.database)
