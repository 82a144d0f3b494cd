"""`matterflow case retry`: staff run a case on past its incident from the command line."""

from __future__ import annotations

import json

import click

from engine.actors import SYSTEM
from engine.cli.common import fail, main, open_engine
from engine.errors import EngineError
from engine.services import cases


@main.group("case")
def case_group() -> None:
    """Cases."""


@case_group.command("retry")
@click.argument("case_id")
@click.option(
    "--data", "corrections", default="{}", help='Corrected case data as a JSON object, e.g. {"months": 3}.'
)
def case_retry(case_id: str, corrections: str) -> None:
    """Run a case on past its open incident, optionally with corrected data (as the system)."""
    try:
        data = json.loads(corrections)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc.msg}", param_hint="--data") from exc
    if not isinstance(data, dict):
        raise click.BadParameter("a JSON object of field names and values", param_hint="--data")
    engine = open_engine()
    try:
        view = cases.retry_case(engine, SYSTEM, case_id, data)
    except EngineError as error:
        fail(error)
    finally:
        engine.close()
    still = [f"{i.element_id}: {i.message}" for i in view.open_incidents]
    click.echo(f"{view.number}: {view.status}" + (f"; still failing at {'; '.join(still)}" if still else ""))
    if still:
        raise SystemExit(1)
