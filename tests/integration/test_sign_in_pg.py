"""Guesses in parallel, on PostgreSQL: the lockout and the address throttle still count each one."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from engine import Engine
from engine.errors import EngineError, Throttled, Unauthenticated
from engine.persistence.models import AuditEvent
from engine.services import accounts, lockout
from tests.factories import chaoyang_applicant

pytestmark = pytest.mark.postgres
PASSWORD = "Correct-Horse-7"
WRONG = "Wrong-Horse-8"


@pytest.fixture
def owner(pg_engine: Engine) -> Engine:
    return chaoyang_applicant(pg_engine, PASSWORD)


def _all_at_once(attempts: list[Callable[[], object]]) -> Counter[str]:
    """Run the attempts in as many threads, released together; count what each raised."""
    start = threading.Barrier(len(attempts))

    def attempt(run: Callable[[], object]) -> str:
        start.wait()
        try:
            run()
        except EngineError as error:
            return type(error).__name__
        return "signed in"

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return Counter(pool.map(attempt, attempts))


def test_parallel_wrong_passwords_lock_the_account_after_the_allowed_few(owner: Engine) -> None:
    guesses = [
        lambda n=n: accounts.sign_in(owner, username="owner", password=WRONG, ip=f"10.0.1.{n}")
        for n in range(20)
    ]

    outcomes = _all_at_once(guesses)

    # every guess gets the same answer, but only as many count as the lockout allows: the rest
    # meet the lock (the audit log says which), and so does the right password afterwards
    assert outcomes == {"Unauthenticated": 20}
    with owner.sessions() as session:
        details = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "auth.failed"))
        reasons = Counter(json.loads(detail)["reason"] for detail in details)
    assert reasons == {"password": lockout.MAX_CONSECUTIVE_FAILURES, "locked": 15}
    with pytest.raises(Unauthenticated):
        accounts.sign_in(owner, username="owner", password=PASSWORD, ip="10.0.2.1")


def test_parallel_guesses_from_one_address_stop_at_its_limit(owner: Engine) -> None:
    limit = lockout.MAX_ADDRESS_FAILURES
    guesses = [
        lambda n=n: accounts.sign_in(owner, username=f"guess{n}", password=WRONG, ip="10.9.9.9")
        for n in range(limit + 5)
    ]

    outcomes = _all_at_once(guesses)

    assert outcomes == {"Unauthenticated": limit, "Throttled": 5}
    with pytest.raises(Throttled):
        accounts.sign_in(owner, username="owner", password=PASSWORD, ip="10.9.9.9")
