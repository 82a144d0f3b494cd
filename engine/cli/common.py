"""The `matterflow` command group and what its commands share."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from engine import Engine, build_engine
from engine.errors import EngineError
from engine.settings import Settings


@click.group()
def main() -> None:
    """matterflow: social-insurance service matters as BPMN processes."""


class GreedyCommand(click.Command):
    """A command whose named options take every value that follows them, as API.md writes
    `--post POST ...`: `--post acceptance review` reads as `--post acceptance --post review`.
    Arguments therefore come before such an option (`user add NAME ... --post A B`)."""

    def __init__(self, *args: Any, greedy: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.greedy = greedy

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, spread_values(args, self.greedy))


def spread_values(args: list[str], greedy: tuple[str, ...]) -> list[str]:
    """Repeat a greedy option before each further value that follows it."""
    spread: list[str] = []
    option, seen = None, 0  # the greedy option being read, and how many values it has had
    for position, arg in enumerate(args):
        if arg == "--":
            return spread + args[position:]
        if arg.startswith("-"):
            name = arg.partition("=")[0]
            option, seen = (name, int("=" in arg)) if name in greedy else (None, 0)
        elif option is not None:
            if seen:
                spread.append(option)
            seen += 1
        spread.append(arg)
    return spread


def open_engine() -> Engine:
    """The engine for the configured database (DATABASE_URL, else SQLite under instance/)."""
    return build_engine(Settings.from_env())


def fail(error: EngineError) -> NoReturn:
    """Print an engine error (each located problem on its own line) and exit 1."""
    problems = getattr(error, "problems", None)
    for line in [str(p) for p in problems] if problems else [error.message]:
        click.echo(f"error: {line}", err=True)
    sys.exit(1)
