"""Accounts: who may create whom, sign-in with throttling and lockout, tokens that end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from engine import Engine
from engine.actors import SYSTEM, Actor, Role
from engine.clock import FrozenClock
from engine.errors import Conflict, Forbidden, InputInvalid, Throttled, Unauthenticated
from engine.services import accounts, audit, catalogue, lockout, organisations
from tests.conftest import ROOT

PASSWORD = "Correct-Horse-7"


@pytest.fixture
def regions(engine: Engine) -> Engine:
    for code, name in (
        ("110000", "北京市"),
        ("110105", "朝阳区"),
        ("110108", "海淀区"),
        ("120000", "天津市"),
    ):
        organisations.add_organisation(engine, SYSTEM, code=code, name=name)
    return engine


def admin_at(org: str) -> Actor:
    return Actor(id=f"admin-{org}", roles=frozenset({Role.ADMIN}), org_code=org)


def test_organisations_nest_by_code(regions: Engine) -> None:
    listed = {o.code: (o.level, o.parent_code) for o in organisations.list_organisations(regions, SYSTEM)}
    assert listed["110105"] == ("district", "110000")
    assert listed["120000"] == ("province", "000000")
    with pytest.raises(InputInvalid):
        organisations.add_organisation(regions, SYSTEM, code="120101", name="和平区", parent="110000")
    with pytest.raises(Forbidden):
        organisations.add_organisation(regions, admin_at("110000"), code="120101", name="和平区")


def test_admin_creates_accounts_only_in_their_subtree(regions: Engine) -> None:
    beijing = admin_at("110000")
    made = accounts.create_account(
        regions,
        beijing,
        username="li.si",
        password=PASSWORD,
        roles=["reviewer"],
        org_code="110105",
        posts=["acceptance"],
    )
    assert (made.org_code, made.posts) == ("110105", ("acceptance",))
    with pytest.raises(Forbidden):
        accounts.create_account(
            regions, beijing, username="tj.reviewer", password=PASSWORD, roles=["reviewer"], org_code="120000"
        )


@pytest.mark.parametrize(
    ("admin_org", "roles", "org"),
    [
        ("110105", ["admin"], "110105"),  # an administrator appoints no peer at their own level
        ("000000", ["admin"], "110105"),  # nor skips a level: Beijing's administrators appoint Chaoyang's
        ("110105", ["system"], "110105"),
        ("000000", ["system"], "110000"),
    ],
)
def test_nobody_grants_above_their_level(regions: Engine, admin_org: str, roles: list[str], org: str) -> None:
    with pytest.raises(Forbidden):
        accounts.create_account(
            regions, admin_at(admin_org), username="climber", password=PASSWORD, roles=roles, org_code=org
        )


def test_each_level_appoints_the_administrators_of_the_level_below(regions: Engine) -> None:
    national, beijing = admin_at("000000"), admin_at("110000")

    accounts.create_account(
        regions, national, username="bj.admin", password=PASSWORD, roles=["admin"], org_code="110000"
    )
    accounts.create_account(
        regions, beijing, username="cy.admin", password=PASSWORD, roles=["admin"], org_code="110105"
    )
    with pytest.raises(Forbidden):
        accounts.disable_account(regions, national, "cy.admin")
    assert accounts.disable_account(regions, beijing, "cy.admin").disabled


def test_an_admin_cannot_create_an_account_in_an_ancestor_organisation(regions: Engine) -> None:
    with pytest.raises(Forbidden):
        accounts.create_account(
            regions,
            admin_at("110105"),
            username="city.reviewer",
            password=PASSWORD,
            roles=["reviewer"],
            org_code="110000",
        )


def test_an_admin_disables_accounts_only_in_their_subtree(regions: Engine) -> None:
    for username, org in (("haidian.reviewer", "110108"), ("chaoyang.reviewer", "110105")):
        accounts.create_account(
            regions, SYSTEM, username=username, password=PASSWORD, roles=["reviewer"], org_code=org
        )
    chaoyang = admin_at("110105")

    with pytest.raises(Forbidden):
        accounts.disable_account(regions, chaoyang, "haidian.reviewer")
    assert accounts.disable_account(regions, chaoyang, "chaoyang.reviewer").disabled
    assert accounts.disable_account(regions, admin_at("110000"), "haidian.reviewer").disabled


def test_reviewers_and_applicants_cannot_create_accounts(regions: Engine) -> None:
    reviewer = Actor(id="r", roles=frozenset({Role.REVIEWER}), org_code="110000")
    with pytest.raises(Forbidden):
        accounts.create_account(
            regions, reviewer, username="friend", password=PASSWORD, roles=["reviewer"], org_code="110105"
        )


def test_a_system_account_administers_nothing(regions: Engine) -> None:
    """Another department's exchange account holds the system role to send messages; it is not
    the engine, and the engine's own powers (accounts, regions, processes, the audit log) are
    refused to it."""
    exchange = Actor(id="exchange", roles=frozenset({Role.SYSTEM}), org_code="000000")
    refused: list[Callable[[], object]] = [
        lambda: accounts.create_account(
            regions, exchange, username="mole", password=PASSWORD, roles=["admin"], org_code="110000"
        ),
        lambda: organisations.add_organisation(regions, exchange, code="130000", name="河北省"),
        lambda: catalogue.sync_catalogue(regions, exchange, ROOT),
        lambda: audit.verify_log(regions, exchange),
    ]
    for attempt in refused:
        with pytest.raises(Forbidden):
            attempt()
    assert accounts.create_account(
        regions, SYSTEM, username="first.admin", password=PASSWORD, roles=["admin"], org_code="110000"
    )


def test_identity_numbers_are_checked_unique_and_masked(regions: Engine) -> None:
    with pytest.raises(InputInvalid) as caught:
        accounts.create_account(
            regions,
            SYSTEM,
            username="zhang.san",
            password=PASSWORD,
            roles=["applicant"],
            org_code="110105",
            identity="110105194912310021",
        )
    assert "identity" in caught.value.fields
    made = accounts.create_account(
        regions,
        SYSTEM,
        username="zhang.san",
        password=PASSWORD,
        roles=["applicant"],
        org_code="110105",
        identity="11010519491231002x",
    )
    assert made.identity_masked == "110105********002X"
    with pytest.raises(Conflict):
        accounts.create_account(
            regions,
            SYSTEM,
            username="zhang.san.2",
            password=PASSWORD,
            roles=["applicant"],
            org_code="110105",
            identity="11010519491231002X",
        )


def _applicant(engine: Engine) -> None:
    accounts.create_account(
        engine,
        SYSTEM,
        username="zhang.san",
        password=PASSWORD,
        roles=["applicant"],
        org_code="110105",
        identity="11010519491231002X",
    )


def test_sign_in_gives_a_token_that_stands_for_the_account(regions: Engine) -> None:
    _applicant(regions)
    grant = accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.0.0.1")

    actor = accounts.actor_for_token(regions, grant.token, ip="10.0.0.1")

    assert actor.roles == frozenset({Role.APPLICANT}) and actor.org_code == "110105"
    accounts.sign_out(regions, grant.token)
    with pytest.raises(Unauthenticated):
        accounts.actor_for_token(regions, grant.token)


def test_tokens_expire(regions: Engine, clock: FrozenClock) -> None:
    _applicant(regions)
    grant = accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.0.0.1")
    clock.advance(timedelta(hours=8, seconds=1))
    with pytest.raises(Unauthenticated):
        accounts.actor_for_token(regions, grant.token)


def test_a_page_session_ends_after_two_idle_hours_or_a_working_day(
    regions: Engine, clock: FrozenClock
) -> None:
    _applicant(regions)
    used = accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.0.0.1", kind="session")
    idle = accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.0.0.1", kind="session")
    api = accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.0.0.1")

    for _ in range(7):  # a busy working day: a page every 90 minutes
        clock.advance(timedelta(minutes=90))
        assert accounts.actor_for_token(regions, used.token, kind="session").id == api.account_id
    with pytest.raises(Unauthenticated):  # left alone since sign-in
        accounts.actor_for_token(regions, idle.token, kind="session")
    with pytest.raises(Unauthenticated):  # API tokens end when they said (8 hours)
        accounts.actor_for_token(regions, api.token)

    clock.advance(timedelta(minutes=90))  # 12 hours after sign-in
    with pytest.raises(Unauthenticated):
        accounts.actor_for_token(regions, used.token, kind="session")


def test_repeated_failures_lock_the_account_for_a_while(regions: Engine, clock: FrozenClock) -> None:
    _applicant(regions)
    for _ in range(lockout.MAX_CONSECUTIVE_FAILURES):
        with pytest.raises(Unauthenticated):
            accounts.sign_in(regions, username="zhang.san", password="wrong-Password-1", ip="10.0.0.2")

    with pytest.raises(Unauthenticated):  # the right password meets the lock
        accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.0.0.3")

    clock.advance(lockout.LOCKOUT + timedelta(seconds=1))
    assert accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.0.0.3").token


def test_an_address_that_keeps_guessing_is_throttled(regions: Engine) -> None:
    _applicant(regions)
    for n in range(lockout.MAX_ADDRESS_FAILURES):
        with pytest.raises(Unauthenticated):
            accounts.sign_in(regions, username=f"guess{n}", password="Whatever-123", ip="10.9.9.9")
    with pytest.raises(Throttled):
        accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.9.9.9")
    assert accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.0.0.4").token


def test_disabling_an_account_ends_its_tokens(regions: Engine) -> None:
    _applicant(regions)
    grant = accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.0.0.1")
    accounts.disable_account(regions, admin_at("110000"), "zhang.san")
    with pytest.raises(Unauthenticated):
        accounts.actor_for_token(regions, grant.token)
    with pytest.raises(Unauthenticated):
        accounts.sign_in(regions, username="zhang.san", password=PASSWORD, ip="10.0.0.1")
