"""`matterflow audit verify`."""

from __future__ import annotations

import click

from engine.actors import SYSTEM
from engine.cli.common import main, open_engine
from engine.services import audit


@main.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; exit 1 naming the first row that was edited or removed."""
    engine = open_engine()
    try:
        report = audit.verify_log(engine, SYSTEM)
    finally:
        engine.close()
    if not report.ok:
        row = f"row {report.row_id}: " if report.row_id is not None else ""
        click.echo(f"audit log BROKEN after {report.rows} good rows: {row}{report.problem}", err=True)
        raise SystemExit(1)
    click.echo(f"audit log intact: {report.rows} rows, head {report.head_hash}")
