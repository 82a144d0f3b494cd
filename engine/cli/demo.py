"""`matterflow demo`."""

from __future__ import annotations

import click

from engine.actors import SYSTEM
from engine.cli.common import fail, main, open_engine
from engine.demo import load_demo
from engine.errors import EngineError
from engine.services import catalogue


@main.command()
def demo() -> None:
    """`init`, plus demo organisations, accounts and cases; prints each new password once."""
    engine = open_engine()
    try:
        engine.migrate()
        catalogue.sync_catalogue(engine, SYSTEM, engine.settings.catalogue_root)
        for account in load_demo(engine):
            secret = account.password or "(exists; password unchanged)"
            click.echo(f"{account.username:<12} {','.join(account.roles):<10} {secret}")
    except EngineError as error:
        fail(error)
    finally:
        engine.close()
