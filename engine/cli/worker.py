"""`matterflow worker`."""

from __future__ import annotations

import logging

import click

from engine.cli.common import main, open_engine
from engine.services.timers import BATCH
from engine.worker import Worker


@main.command()
@click.option("--poll", default=1.0, show_default=True, type=float, help="Seconds between polls.")
@click.option("--batch", default=BATCH, show_default=True, type=int, help="Cases stepped per transaction.")
@click.option("--once", is_flag=True, help="Do what is due now, print the counts and exit.")
def worker(poll: float, batch: int, once: bool) -> None:
    """Fire timers, start periodic cases, deliver stored messages, call other systems, send mail."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per poll otherwise
    engine = open_engine()
    try:
        runner = Worker.from_settings(engine, batch=batch, poll_seconds=poll)
        if once:
            for name, count in runner.run_once().items():
                click.echo(f"{count:>8}  {name}")
        else:
            runner.run()
    finally:
        engine.close()
