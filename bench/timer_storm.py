"""A timer storm: N timers due at once on PostgreSQL, fired by real `matterflow worker` processes.

The cases (start → 15-day timer → script → end, tests/worker_matters.py) are made by copying
one properly started case with fresh task ids; then the workers start and the clock runs until
every case has completed, and the timeline is checked for exactly one firing per case.

Usage, from the repository root: python -m bench.timer_storm [--timers N] [--workers W] [--pg URL]
Prints a Markdown table row for bench/README.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.engine_vs_raw import ROOT, fresh_pg
from engine import build_engine
from engine.clock import FrozenClock
from engine.settings import Settings
from tests import storm


def storm_run(admin_url: str, timers: int, workers: int, batch: int, poll: float) -> None:
    url = fresh_pg(admin_url)
    # made a month ago by the clock: due two weeks ago by the wall clock the workers read
    engine = build_engine(Settings(database_url=url, catalogue_root=ROOT), clock=FrozenClock(_month_ago()))
    engine.migrate()
    started = time.perf_counter()
    storm.waiting_cases(engine, timers)
    with create_engine(engine.database.url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    print(f"made {timers:,} waiting cases in {time.perf_counter() - started:.0f} s")
    with tempfile.TemporaryDirectory() as logs:
        started = time.perf_counter()
        with storm.workers(url, Path(logs), workers, batch=batch, poll=poll):
            storm.wait_until(lambda: not storm.timers_left(engine), timeout=3600, every=0.2)
            elapsed = time.perf_counter() - started
        shares = storm.fired_by(Path(logs))
    completed, firings, doubled = storm.completed_once(engine)
    engine.close()
    print("| timers | workers | batch | seconds | timers/s | completed | fired | fired twice | shares |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| {timers:,} | {workers} | {batch} | {elapsed:.1f} | {timers / elapsed:,.0f} "
        f"| {completed:,} | {firings:,} | {doubled} | {', '.join(f'{s:,}' for s in shares)} |"
    )


def _month_ago() -> datetime:
    return datetime.now(UTC) - timedelta(days=30)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--timers", type=int, default=100_000)
    options.add_argument("--workers", type=int, default=2)
    options.add_argument("--batch", type=int, default=200)
    options.add_argument("--poll", type=float, default=1.0, help="the worker's own default")
    options.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = options.parse_args()
    storm_run(args.pg, args.timers, args.workers, args.batch, args.poll)


if __name__ == "__main__":
    main()
