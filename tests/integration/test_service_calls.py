"""Service tasks against a real HTTP server on 127.0.0.1: retries, backoff, incident, staff retry."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from engine import Engine
from engine.actors import SYSTEM, Actor
from engine.clock import FrozenClock
from engine.connectors import Connector, Connectors
from engine.errors import Conflict
from engine.services import applications, cases, service_calls
from engine.worker import Worker
from tests import worker_matters as wm


class IdentitySystem(ThreadingHTTPServer):
    """A stand-in for the identity system: fails `failures` times, then answers."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.failures = 0
        self.requests: list[tuple[dict[str, Any], str]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/verify"


class _Handler(BaseHTTPRequestHandler):
    server: IdentitySystem

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((body, self.headers["Idempotency-Key"]))
        if self.server.failures > 0:
            self.server.failures -= 1
            self.send_error(503, "busy")
            return
        answer = json.dumps({"verified": body.get("id_number", "").endswith("X")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_: Any) -> None:
        """Quiet: the test output is the place for failures, not for every request."""


@pytest.fixture
def identity() -> Iterator[IdentitySystem]:
    server = IdentitySystem()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def worker(engine: Engine, identity: IdentitySystem) -> Worker:
    wm.deploy(engine, "identity-call", "identity_call", wm.IDENTITY_CALL)
    connector = Connector(name="identity-check", url=identity.url, timeout=5, retries=5, backoff_seconds=60)
    return Worker(engine, Connectors({"identity-check": connector}))


def test_a_call_that_fails_twice_then_succeeds_completes_the_case(
    worker: Worker, identity: IdentitySystem, clock: FrozenClock, applicant: Actor
) -> None:
    engine = worker.engine
    identity.failures = 2
    case = cases.start_case(
        engine, applicant, matter="identity-call", data={"id_number": "11010519491231002X"}
    )
    assert identity.requests == []  # never inside the applicant's request

    assert worker.run_once()["service calls"] == 1  # 503
    clock.advance(timedelta(seconds=9))
    assert worker.run_once()["service calls"] == 0  # the diagram's R2/PT10S: the retry waits 10 s
    clock.advance(timedelta(seconds=1))
    assert worker.run_once()["service calls"] == 1  # 503 again; now 20 s
    clock.advance(timedelta(seconds=20))
    assert worker.run_once()["service calls"] == 1  # answered

    done = cases.get_case(engine, SYSTEM, case.id)
    assert (done.status, done.outcome, done.data["verified"]) == ("completed", "approved", True)
    assert [body for body, _ in identity.requests] == [
        {"id_number": "11010519491231002X", "purpose": "social-insurance"}
    ] * 3
    assert len({key for _, key in identity.requests}) == 1  # the same Idempotency-Key each time
    assert done.open_incidents == ()


def test_a_call_that_always_fails_is_an_incident_that_staff_retry_after_fixing(
    worker: Worker, identity: IdentitySystem, clock: FrozenClock, applicant: Actor
) -> None:
    engine = worker.engine
    identity.failures = 100
    case = cases.start_case(
        engine, applicant, matter="identity-call", data={"id_number": "110105194912310021"}
    )
    for _ in range(3):  # the first attempt and two retries
        worker.run_once()
        clock.advance(timedelta(minutes=5))

    failed = cases.get_case(engine, SYSTEM, case.id)
    [incident] = failed.open_incidents
    assert incident.element_id == "verify" and "503" in incident.message
    assert worker.run_once()["service calls"] == 0  # given up: nothing is called until a retry

    identity.failures = 0  # the identity system is fixed; staff correct the number and retry
    retried = cases.retry_case(engine, SYSTEM, case.id, {"id_number": "11010519491231002X"})
    assert retried.open_incidents == ()
    assert worker.run_once()["service calls"] == 1

    done = cases.get_case(engine, SYSTEM, case.id)
    assert (done.status, done.outcome) == ("completed", "approved")
    assert identity.requests[-1][0]["id_number"] == "11010519491231002X"


def test_an_unknown_connector_is_an_incident_at_once(engine: Engine, applicant: Actor) -> None:
    wm.deploy(engine, "identity-call", "identity_call", wm.IDENTITY_CALL)
    case = cases.start_case(engine, applicant, matter="identity-call", data={"id_number": "1"})

    assert service_calls.run_due_calls(engine, Connectors()) == 1

    [incident] = cases.get_case(engine, SYSTEM, case.id).open_incidents
    assert "no connector named 'identity-check'" in incident.message


def test_a_withdrawn_case_calls_nobody_and_stays_withdrawn(
    worker: Worker, identity: IdentitySystem, applicant: Actor
) -> None:
    engine = worker.engine
    case = cases.start_case(
        engine, applicant, matter="identity-call", data={"id_number": "11010519491231002X"}
    )
    applications.withdraw_case(engine, applicant, case.id)

    assert worker.run_once()["service calls"] == 0
    after = cases.get_case(engine, SYSTEM, case.id)
    assert identity.requests == []
    assert (after.status, after.outcome) == ("withdrawn", None)
    assert [e.kind for e in after.timeline] == ["started", "withdrawn"]
    with pytest.raises(Conflict):
        cases.retry_case(engine, SYSTEM, case.id)


def test_each_call_is_leased_when_it_is_made_not_when_the_batch_began(
    worker: Worker, identity: IdentitySystem, clock: FrozenClock, applicant: Actor
) -> None:
    """A slow system must not let the leases of the calls after it run out before they are made."""
    engine = worker.engine
    for _ in range(3):
        cases.start_case(engine, applicant, matter="identity-call", data={"id_number": "11010519491231002X"})
    leased_at = []
    real_claim = service_calls.claim_calls

    def claim_and_note(*args: Any, **kwargs: Any) -> list[service_calls.ClaimedCall]:
        claimed = real_claim(*args, **kwargs)
        leased_at.extend(clock.now() for _ in claimed)
        clock.advance(timedelta(minutes=10))  # each call takes longer than a lease
        return claimed

    service_calls.claim_calls = claim_and_note  # type: ignore[assignment]
    try:
        assert service_calls.run_due_calls(engine, worker.connectors) == 3
    finally:
        service_calls.claim_calls = real_claim  # type: ignore[assignment]
    assert len(identity.requests) == 3 and len(set(leased_at)) == 3
    assert {c.status for c in cases.list_cases(engine, SYSTEM)} == {"completed"}
