"""Actors and bundles for tests."""

from __future__ import annotations

from engine.actors import Actor, Role


def person(name: str, org: str = "110105") -> Actor:
    return Actor(id=name, roles=frozenset({Role.APPLICANT}), org_code=org)


def reviewer(name: str, *posts: str, org: str = "110105") -> Actor:
    return Actor(id=name, roles=frozenset({Role.REVIEWER}), org_code=org, posts=frozenset(posts))
