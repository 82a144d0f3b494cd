"""Fixtures shared by every test folder: databases (SQLite and real PostgreSQL), engines, actors.

PostgreSQL tests run against the server named by MATTERFLOW_TEST_PG_URL (default: the local
server, trust auth). Each xdist worker gets its own database, migrated once; tables are emptied
after each test. Under CI=true an unreachable server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine import Engine, build_engine
from engine.actors import SYSTEM, Actor
from engine.bundles import read_bundle_path
from engine.clock import FrozenClock
from engine.passwords import HashCost
from engine.persistence.models import Base
from engine.services import catalogue
from engine.settings import Settings
from tests.factories import person, reviewer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_ADMIN_URL = os.environ.get(
    "MATTERFLOW_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
# argon2 at its real cost takes ~60 ms and 64 MiB a hash; tests need many, not strong ones.
CHEAP_HASHES = HashCost(time_cost=1, memory_kib=1024, parallelism=1)
# Migration 0002 seeds the national root organisation; emptying the tables removes it.
RESEED_NATIONAL_ROOT = (
    "INSERT INTO organisations (code, name, level, parent_code, created_at) "
    "VALUES ('000000', '全国', 'national', NULL, now())"
)


def _pg_unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"PostgreSQL is required under CI and is unreachable: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL unreachable ({reason}); set CI=true to make this a failure")


@pytest.fixture(scope="session")
def pg_url(worker_id: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test process (one per xdist worker)."""
    name = f"matterflow_test_{worker_id}_{os.getpid()}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        _pg_unavailable(str(exc).splitlines()[0])
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    migrated = build_engine(Settings(database_url=url, catalogue_root=ROOT))
    migrated.migrate()
    migrated.close()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test that takes this runs twice: on SQLite (a new file) and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'matterflow.sqlite3'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def engine(database_url: str, clock: FrozenClock) -> Iterator[Engine]:
    """A migrated engine on an empty database (emptied again afterwards)."""
    yield from fresh_engine(database_url, clock)


@pytest.fixture
def pg_engine(pg_url: str, clock: FrozenClock) -> Iterator[Engine]:
    """Like `engine`, on PostgreSQL only: for tests of real concurrency."""
    yield from fresh_engine(pg_url, clock)


@pytest.fixture(autouse=True)
def audit_checkpoints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own checkpoint file, for its engines and the commands it runs alike: the
    PostgreSQL database of a test process outlives the test, its chain must not."""
    path = tmp_path / "audit-checkpoints.log"
    monkeypatch.setenv("MATTERFLOW_AUDIT_CHECKPOINTS", str(path))
    return path


def fresh_engine(database_url: str, clock: FrozenClock) -> Iterator[Engine]:
    settings = Settings(
        database_url=database_url,
        catalogue_root=ROOT,
        password_cost=CHEAP_HASHES,
        materials_root=Path(tempfile.mkdtemp(prefix="matterflow-materials-")),
        audit_checkpoints=Path(os.environ["MATTERFLOW_AUDIT_CHECKPOINTS"]),
    )
    built = build_engine(settings, clock=clock)
    built.migrate()
    yield built
    if built.database.dialect.name == "postgresql":
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with built.database.begin() as connection:
            # the test's own wipe: past the audit tables' guard against TRUNCATE (superuser only)
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            connection.execute(text(RESEED_NATIONAL_ROOT))
    built.close()


@pytest.fixture
def ratio(engine: Engine) -> Engine:
    """The engine with the test-only ratio-check matter published (see its matter.yaml)."""
    bundle = read_bundle_path(FIXTURES / "bundles" / "ratio-check")
    catalogue.deploy_bundle(engine, SYSTEM, bundle, publish=True)
    return engine


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    """The engine with the repository's catalogue synced."""
    catalogue.sync_catalogue(engine, SYSTEM, ROOT)
    return engine


@pytest.fixture
def applicant() -> Actor:
    return person("zhang.san")


@pytest.fixture
def acceptor() -> Actor:
    return reviewer("li.si", "acceptance")


@pytest.fixture
def checker() -> Actor:
    return reviewer("wang.wu", "review")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many PostgreSQL tests ran, so a CI log shows they were not skipped."""
    reports = [
        report
        for outcome in ("passed", "failed", "skipped", "error")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "when", "call") in ("call", "setup") and "postgres" in report.keywords
    ]
    ran = {r.nodeid for r in reports if r.outcome in ("passed", "failed") and r.when == "call"}
    skipped = {r.nodeid for r in reports if r.outcome == "skipped"}
    terminalreporter.write_line(
        f"PostgreSQL tests: {len(ran)} ran, {len(skipped)} skipped ({PG_ADMIN_URL.rsplit('@', 1)[-1]})"
    )
