"""Real `matterflow worker` processes on PostgreSQL: many at once, and one killed mid-batch.

The cases are created with the test's clock a month in the past, so that their timers are due
by the wall clock the worker processes read.
"""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from engine import Engine
from engine.clock import FrozenClock
from tests import storm

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime.now(UTC) - timedelta(days=30))


def test_three_workers_fire_ten_thousand_due_timers_exactly_once(engine: Engine, tmp_path: Path) -> None:
    storm.waiting_cases(engine, 10_000)

    with storm.workers(engine.settings.database_url, tmp_path, 3):
        assert storm.wait_until(lambda: storm.completed_once(engine)[0] == 10_000, timeout=240)

    assert storm.completed_once(engine) == (10_000, 10_000, 0)
    shares = storm.fired_by(tmp_path)
    assert sum(shares) == 10_000
    assert all(share > 0 for share in shares), f"the work was not shared: {shares}"


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(engine: Engine, tmp_path: Path) -> None:
    storm.waiting_cases(engine, 3_000)

    with storm.workers(engine.settings.database_url, tmp_path, 1, batch=500) as [worker]:
        assert storm.wait_until(
            lambda: storm.completed_once(engine)[0] > 0 and _stepping_a_batch(engine), timeout=120, every=0.01
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    completed_at_kill = storm.completed_once(engine)[0]
    assert 0 < completed_at_kill < 3_000
    assert completed_at_kill % 500 == 0  # whole batches only: the one in flight left no trace
    assert _timers_due(engine) == 3_000 - completed_at_kill  # its timers are due again

    with storm.workers(engine.settings.database_url, tmp_path, 1, batch=500):  # the restart
        assert storm.wait_until(lambda: storm.completed_once(engine)[0] == 3_000, timeout=120)

    assert storm.completed_once(engine) == (3_000, 3_000, 0)


def test_a_worker_asked_to_stop_finishes_its_batch_and_leaves_the_rest(
    engine: Engine, tmp_path: Path
) -> None:
    storm.waiting_cases(engine, 5_000)

    with storm.workers(engine.settings.database_url, tmp_path, 1, batch=100) as [worker]:
        assert storm.wait_until(lambda: storm.completed_once(engine)[0] > 0, timeout=120, every=0.05)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)  # not the minutes that draining every due timer would take
    stopped_at = storm.completed_once(engine)[0]
    assert 0 < stopped_at < 5_000 and stopped_at % 100 == 0
    assert _timers_due(engine) == 5_000 - stopped_at
    assert storm.fired_by(tmp_path) == [stopped_at]  # and it said so in its log


def _stepping_a_batch(engine: Engine) -> bool:
    """The worker's connection holds row locks in an open transaction (it has a transaction id)
    and waits on its own process: it has claimed a batch of timers and is stepping the cases."""
    with engine.database.connect() as connection:
        return bool(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL "
                    "AND state = 'idle in transaction'"
                )
            )
        )


def _timers_due(engine: Engine) -> int:
    with engine.database.connect() as connection:
        return int(connection.scalar(text("SELECT count(*) FROM due_timers")) or 0)
