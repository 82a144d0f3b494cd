"""The `matterflow` command group and what its commands share."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from engine import Engine, build_engine
from engine.errors import EngineError
from engine.settings import Settings


@click.group()
def main() -> None:
    """matterflow: social-insurance service matters as BPMN processes."""


def open_engine() -> Engine:
    """The engine for the configured database (DATABASE_URL, else SQLite under instance/)."""
    return build_engine(Settings.from_env())


def fail(error: EngineError) -> NoReturn:
    """Print an engine error (each located problem on its own line) and exit 1."""
    problems = getattr(error, "problems", None)
    for line in [str(p) for p in problems] if problems else [error.message]:
        click.echo(f"error: {line}", err=True)
    sys.exit(1)
