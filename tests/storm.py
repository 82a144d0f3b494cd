"""Many cases waiting on timers at once, and real `matterflow worker` processes to fire them.

Used by the multi-process tests and by bench/timer_storm.py. Starting thousands of cases one by
one through the service would take minutes; instead one case is started properly and its rows
are copied, each copy with fresh SpiffWorkflow task ids (the timer rows are keyed by them).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from engine import Engine
from engine.actors import Actor, Role
from engine.persistence.models import Case, DueTimer, TimelineEvent
from engine.services import cases
from tests import worker_matters as wm

MATTERFLOW = Path(sys.executable).with_name("matterflow")
_TASK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
APPLICANT = Actor(id="storm", roles=frozenset({Role.APPLICANT}), org_code="110105")


def waiting_cases(engine: Engine, count: int, *, chunk: int = 5000) -> None:
    """`count` timer-wait cases whose 15-day timer is due 15 days after the engine clock's now."""
    wm.deploy(engine, "timer-wait", "timer_wait", wm.TIMER_WAIT)
    template = cases.start_case(engine, APPLICANT, matter="timer-wait", data={}).id
    with engine.database.begin() as connection:
        case = dict(connection.execute(select(Case.__table__).where(Case.id == template)).mappings().one())
        timer = dict(
            connection.execute(select(DueTimer.__table__).where(DueTimer.case_id == template))
            .mappings()
            .one()
        )
        for start in range(1, count, chunk):
            copies = [_copy(case, timer, n) for n in range(start, min(start + chunk, count))]
            connection.execute(insert(Case.__table__), [c for c, _ in copies])
            connection.execute(insert(DueTimer.__table__), [t for _, t in copies])


def _copy(case: dict[str, Any], timer: dict[str, Any], n: int) -> tuple[dict[str, Any], dict[str, Any]]:
    fresh: dict[str, str] = {}
    state = _TASK_ID.sub(lambda m: fresh.setdefault(m.group(0), str(uuid.uuid4())), case["state"])
    copy = {**case, "id": uuid.uuid4().hex, "number": f"{case['number'][:8]}{n:012d}", "state": state}
    return copy, {**timer, "id": fresh[timer["id"]], "case_id": copy["id"]}


def completed_once(engine: Engine) -> tuple[int, int, int]:
    """(completed cases, timer firings, cases fired more than once)."""
    with engine.unit_of_work(immediate=False) as uow:
        session = uow.session
        completed = session.scalar(select(func.count()).where(Case.status == "completed"))
        fired = select(TimelineEvent.case_id).where(TimelineEvent.kind == "timer")
        firings = session.scalar(select(func.count()).select_from(fired.subquery()))
        twice = fired.group_by(TimelineEvent.case_id).having(func.count() > 1)
        doubled = session.scalar(select(func.count()).select_from(twice.subquery()))
    return completed or 0, firings or 0, doubled or 0


def timers_left(engine: Engine) -> bool:
    """A cheap poll while workers run (counting the completed cases costs the workers time)."""
    with engine.unit_of_work(immediate=False) as uow:
        return uow.session.scalar(select(DueTimer.id).limit(1)) is not None


def wait_until(condition: Callable[[], bool], *, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


@contextmanager
def workers(
    database_url: str, logs: Path, count: int, *, batch: int = 200, poll: float = 0.2
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`count` real `matterflow worker` processes logging to `logs`/worker-N.log; stopped with
    SIGTERM when the block ends (a test may SIGKILL one before)."""
    environment = {**os.environ, "DATABASE_URL": database_url}
    command = [str(MATTERFLOW), "worker", "--poll", str(poll), "--batch", str(batch)]
    processes = []
    for n in range(count):
        with (logs / f"worker-{n}.log").open("ab") as log:
            processes.append(subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT))
    try:
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)


def fired_by(logs: Path) -> list[int]:
    """How many cases each worker's log says its timer job stepped."""
    pattern = re.compile(r"engine\.worker: timers: (\d+)")
    return [
        sum(int(n) for n in pattern.findall(path.read_text())) for path in sorted(logs.glob("worker-*.log"))
    ]
