"""The background worker: timers, schedules, messages, service calls and mail.

APScheduler only triggers the polling; the database holds the truth. Every job claims its rows
with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so any number of workers on any number of machines
share the work; on SQLite one worker is enough (and more would only queue for the write lock).
A job drains what is due in batches, then waits for its next trigger. Stopping (SIGTERM,
Ctrl-C) lets the batches in flight finish; a worker killed outright loses only its uncommitted
batch, which the next worker takes up.
"""

from __future__ import annotations

import gc
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler

from engine import Engine
from engine.connectors import Connectors, load_connectors
from engine.mail import Sender, sender_from_url
from engine.services import audit, catalogue, messages, notifications, schedules, service_calls, timers

log = logging.getLogger(__name__)
MAX_ROUNDS = 10_000  # one trigger drains at most this many batches, then yields to the others


@dataclass(frozen=True)
class Job:
    """One kind of background work: a function that does one batch and says how much it did."""

    name: str
    batch: Callable[[], int]
    every_seconds: float
    size: int | None = None  # a batch this big may have left more; None: one batch a trigger

    def drain(self, stopping: threading.Event | None = None) -> int:
        """Run batches while they come back full, or until the worker is asked to stop."""
        done = 0
        for _ in range(MAX_ROUNDS):
            count = self.batch()
            done += count
            if self.size is None or count < self.size or (stopping is not None and stopping.is_set()):
                break
        return done


@dataclass
class Worker:
    engine: Engine
    connectors: Connectors = field(default_factory=Connectors)
    sender: Sender | None = None
    batch: int = timers.BATCH
    poll_seconds: float = 1.0
    stopping: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def from_settings(cls, engine: Engine, *, batch: int = timers.BATCH, poll_seconds: float = 1.0) -> Worker:
        """A worker with this environment's connectors and mail server."""
        settings = engine.settings
        sender = sender_from_url(settings.smtp_url) if settings.smtp_url else None
        return cls(engine, load_connectors(settings.connectors_file), sender, batch, poll_seconds)

    def jobs(self) -> list[Job]:
        engine, size, poll = self.engine, self.batch, self.poll_seconds
        found = [
            Job("schedules", lambda: schedules.sync_schedules(engine), 60.0),
            Job("periodic cases", lambda: schedules.start_scheduled_cases(engine, limit=20), poll, 20),
            Job("timers", lambda: timers.fire_due_timers(engine, limit=size), poll, size),
            Job("service calls", lambda: service_calls.run_due_calls(engine, self.connectors), poll, 20),
            Job("stored messages", lambda: messages.sweep_stored_messages(engine), 10 * poll, 100),
            Job("audit seal", lambda: audit.seal_log(engine), 10 * poll, audit.SEAL_BATCH),
        ]
        sender = self.sender
        if sender is not None:
            found.append(Job("mail", lambda: notifications.send_due_mail(engine, sender), poll, 50))
        return found

    def run_once(self) -> dict[str, int]:
        """Drain every job once (for tests, cron, or `matterflow worker --once`)."""
        return {job.name: job.drain() for job in self.jobs()}

    def settle(self) -> None:
        """Parse the published processes, then take everything built so far out of the garbage
        collector's rounds: a step makes thousands of short-lived objects, and each full round
        would otherwise walk the parsed specs, the ORM's mappings and every module again
        (about a fifth of a timer's cost, bench/README.md)."""
        catalogue.warm_specs(self.engine)
        gc.collect()
        gc.freeze()

    def run(self) -> None:
        """Poll until SIGTERM or Ctrl-C."""
        self.settle()
        scheduler = BlockingScheduler(job_defaults={"coalesce": True, "max_instances": 1})
        for job in self.jobs():
            scheduler.add_job(
                _logged(job, self.stopping),
                "interval",
                seconds=job.every_seconds,
                id=job.name,
                name=job.name,
                next_run_time=datetime.now(UTC),
            )

        def stop(signum: int, _frame: FrameType | None) -> None:
            log.info("signal %s: finishing the batches in flight", signum)
            self.stopping.set()
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("worker polling every %ss: %s", self.poll_seconds, ", ".join(j.name for j in self.jobs()))
        scheduler.start()


def _logged(job: Job, stopping: threading.Event) -> Callable[[], None]:
    def run() -> None:
        try:
            done = job.drain(stopping)
        except Exception:
            log.exception("%s: the batch failed; it will be tried again", job.name)
            return
        if done:
            log.info("%s: %s", job.name, done)

    return run
