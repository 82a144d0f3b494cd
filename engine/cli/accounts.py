"""`matterflow org add`, `user add` and `demo`."""

from __future__ import annotations

import sys

import click

from engine.actors import SYSTEM
from engine.cli.common import GreedyCommand, fail, main, open_engine
from engine.errors import EngineError
from engine.passwords import generate_password
from engine.services import accounts, organisations
from engine.views import AccountView


@main.group("org")
def org_group() -> None:
    """Organisations: national > province > city > district > office."""


@org_group.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--parent", help="Parent code (default: the nearest existing ancestor).")
def org_add(code: str, name: str, parent: str | None) -> None:
    """Add an organisation; CODE is an administrative division code such as 110105."""
    engine = open_engine()
    try:
        org = organisations.add_organisation(engine, SYSTEM, code=code, name=name, parent=parent)
        click.echo(f"{org.code} {org.name} ({org.level}, under {org.parent_code})")
    except EngineError as error:
        fail(error)
    finally:
        engine.close()


@main.group("user")
def user_group() -> None:
    """Accounts."""


@user_group.command("add", cls=GreedyCommand, greedy=("--post",))
@click.argument("username")
@click.option(
    "--role", "roles", multiple=True, required=True, help="applicant, unit, reviewer, policy, admin, auditor"
)
@click.option("--org", "org_code", required=True, help="Organisation code.")
@click.option(
    "--post",
    "posts",
    multiple=True,
    help="Reviewer posts (candidate groups): --post A B or --post A --post B.",
)
@click.option("--identity", help="Resident ID number (applicants) or unified social credit code (units).")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--supervisor", help="Username of the reviewer's supervisor.")
@click.option("--email", help="Where the account's own notices (an unlock code) are mailed.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(
    username: str,
    roles: tuple[str, ...],
    org_code: str,
    posts: tuple[str, ...],
    identity: str | None,
    display_name: str,
    supervisor: str | None,
    email: str | None,
    password_stdin: bool,
) -> None:
    """Create an account. Without --password-stdin a random password is printed once."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else generate_password()
    engine = open_engine()
    try:
        account = accounts.create_account(
            engine,
            SYSTEM,
            username=username,
            password=password,
            roles=roles,
            org_code=org_code,
            posts=posts,
            identity=identity,
            display_name=display_name,
            supervisor=supervisor,
            email=email,
        )
        click.echo(_described(account))
        if not password_stdin:
            click.echo(f"password (shown once): {password}")
    except EngineError as error:
        fail(error)
    finally:
        engine.close()


@user_group.command("disable")
@click.argument("username")
def user_disable(username: str) -> None:
    """Disable an account and revoke its tokens (it can no longer sign in)."""
    engine = open_engine()
    try:
        account = accounts.disable_account(engine, SYSTEM, username)
        click.echo(f"{_described(account)} disabled")
    except EngineError as error:
        fail(error)
    finally:
        engine.close()


def _described(account: AccountView) -> str:
    """username roles org [posts] [masked identity], as the account commands print it."""
    words = [account.username, ",".join(account.roles), account.org_code, ",".join(account.posts)]
    return " ".join(word for word in [*words, account.identity_masked] if word)
