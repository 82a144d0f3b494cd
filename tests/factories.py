"""Actors and bundles for tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Engine
from engine.actors import SYSTEM, Actor, Role
from engine.services import accounts, organisations, tasks
from engine.views import CaseView


def person(name: str, org: str = "110105") -> Actor:
    return Actor(id=name, roles=frozenset({Role.APPLICANT}), org_code=org)


def reviewer(name: str, *posts: str, org: str = "110105") -> Actor:
    return Actor(id=name, roles=frozenset({Role.REVIEWER}), org_code=org, posts=frozenset(posts))


def chaoyang_applicant(engine: Engine, password: str, username: str = "owner") -> Engine:
    """Chaoyang district and one applicant living there, with the ID number the test forms use."""
    organisations.add_organisation(engine, SYSTEM, code="110105", name="朝阳区")
    accounts.create_account(
        engine,
        SYSTEM,
        username=username,
        password=password,
        roles=["applicant"],
        org_code="110105",
        identity="11010519491231002X",
    )
    return engine


def decide(engine: Engine, actor: Actor, task_id: str, data: Mapping[str, Any]) -> CaseView:
    """What a reviewer does in the inbox: claim the task, then complete it with the form data."""
    tasks.claim_task(engine, actor, task_id)
    return tasks.complete_task(engine, actor, task_id, data)
