"""`matterflow init`, `serve` and `catalogue ...`."""

from __future__ import annotations

from pathlib import Path

import click

from engine.actors import SYSTEM
from engine.bundles import read_bundle_path
from engine.cli.common import fail, main, open_engine
from engine.errors import EngineError, ProcessInvalid
from engine.services import catalogue, checks
from engine.serving import serve_app
from engine.settings import Settings


@main.command()
def init() -> None:
    """Create or migrate the database and load the catalogue from processes/ and forms/."""
    engine = open_engine()
    try:
        engine.migrate()
        click.echo(f"database ready: {engine.database.url.render_as_string(hide_password=True)}")
        _report_sync(catalogue.sync_catalogue(engine, SYSTEM, engine.settings.catalogue_root))
    except EngineError as error:
        fail(error)
    finally:
        engine.close()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app (gunicorn where available, else Flask's own server)."""
    serve_app(host=host, port=port, workers=workers)


@main.group("catalogue")
def catalogue_group() -> None:
    """Load, check and deploy service matters."""


@catalogue_group.command("sync")
def catalogue_sync() -> None:
    """Create a new version of each matter whose files changed, and publish it."""
    engine = open_engine()
    try:
        _report_sync(catalogue.sync_catalogue(engine, SYSTEM, engine.settings.catalogue_root))
    except EngineError as error:
        fail(error)
    finally:
        engine.close()


@catalogue_group.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def catalogue_check(path: Path | None) -> None:
    """Validate a BPMN, DMN or form file, a matter folder or zip, or the catalogue, without deploying."""
    target = path or Settings.from_env().catalogue_root
    report = checks.check_path(target)
    for rule in report.unchecked:
        click.echo(f"note: not checked without the rest of the bundle: {rule}", err=True)
    if report.problems:
        fail(ProcessInvalid(report.problems))
    click.echo(f"ok: {target}")


@catalogue_group.command("deploy")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--publish", is_flag=True, help="Make it the version new cases start on.")
def catalogue_deploy(path: Path, publish: bool) -> None:
    """Deploy one matter bundle (a folder or zip) as a new version."""
    engine = open_engine()
    try:
        version = catalogue.deploy_bundle(engine, SYSTEM, read_bundle_path(path), publish=publish)
        state = "published" if version.published else "draft"
        click.echo(f"{version.matter} {version.number} {state}")
    except EngineError as error:
        fail(error)
    finally:
        engine.close()


def _report_sync(changes: list) -> None:  # type: ignore[type-arg]
    for change in changes:
        click.echo(f"{change.action:>9}  {change.code}  v{change.version}")
