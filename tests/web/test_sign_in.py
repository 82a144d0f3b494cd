"""Signing in and out over HTTP: tokens, throttling, lockout, CSRF, and nothing secret in logs."""

from __future__ import annotations

import logging
import re
import sys
import threading
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from engine.actors import SYSTEM
from engine.bpmn import sandbox_process
from engine.bundles import read_bundle_path
from engine.services import catalogue, lockout
from tests import storm
from tests.integration.test_hostile_diagrams import hostile_bundle, stopped_for
from tests.web.conftest import PASSWORD, signed_in, token


def test_a_page_sessions_token_is_no_api_bearer_token(app: Flask, people: Engine) -> None:
    """A stolen page cookie's token cannot be replayed against the API, nor an API token be
    planted in a page session."""
    browser = signed_in(app, "owner")
    with browser.session_transaction() as cookie:
        session_token = cookie["token"]
    assert browser.get("/cases").status_code == 200

    replayed = browser.get("/api/v1/cases", headers={"Authorization": f"Bearer {session_token}"})

    assert replayed.status_code == 401
    planted = app.test_client()
    with planted.session_transaction() as cookie:
        cookie["token"] = token(planted, "owner")["Authorization"].removeprefix("Bearer ")
    assert planted.get("/cases").status_code == 302  # to the sign-in page


def test_logout_revokes_the_token(client: FlaskClient, people: Engine) -> None:
    headers = token(client, "owner")
    assert client.get("/api/v1/cases", headers=headers).status_code == 200

    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204

    assert client.get("/api/v1/cases", headers=headers).status_code == 401


def test_wrong_passwords_then_lockout_answered_like_a_wrong_password(
    client: FlaskClient, people: Engine
) -> None:
    answers = [
        client.post("/api/v1/auth/token", json={"username": "owner", "password": f"Wrong-{n}-pass"})
        for n in range(lockout.MAX_CONSECUTIVE_FAILURES)
    ]
    locked = client.post("/api/v1/auth/token", json={"username": "owner", "password": PASSWORD})

    assert [a.status_code for a in answers] == [401] * lockout.MAX_CONSECUTIVE_FAILURES
    assert (locked.status_code, locked.get_json()) == (401, answers[0].get_json())


def test_bad_token_requests_are_422_with_fields(client: FlaskClient) -> None:
    response = client.post("/api/v1/auth/token", json={"username": ""})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"username", "password"}


def test_no_password_or_token_reaches_the_logs(
    client: FlaskClient, people: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # statements and parameters
    try:
        headers = token(client, "owner")
        client.get("/api/v1/cases", headers=headers)
        client.post("/api/v1/auth/token", json={"username": "owner", "password": "Not-The-Password-1"})
        client.post("/api/v1/auth/logout", headers=headers)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

    logged = caplog.text
    assert "SELECT" in logged  # the statements were logged, with their parameters
    secret = headers["Authorization"].removeprefix("Bearer ")
    for value in (PASSWORD, "Not-The-Password-1", secret):
        assert value not in logged


@pytest.fixture
def page_app(app: Flask) -> Flask:
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_page_sign_in_needs_the_form_csrf_token(page_app: Flask, people: Engine) -> None:
    browser = page_app.test_client()
    forged = browser.post("/login", data={"username": "owner", "password": PASSWORD})
    assert forged.status_code == 400

    signed_in = browser.post(
        "/login?next=/cases", data={"username": "owner", "password": PASSWORD, "csrf_token": _csrf(browser)}
    )
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/cases"

    foreign = browser.post(
        "/login?next=//evil.example/",
        data={"username": "owner", "password": PASSWORD, "csrf_token": _csrf(browser)},
    )
    assert foreign.status_code == 302 and foreign.headers["Location"] == "/"


def _csrf(browser: FlaskClient) -> str:
    form = browser.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert found is not None
    return found.group(1)


# Each would take a browser off the site; the query strings are as a phishing link carries them.
HOSTILE_NEXT = (
    "//evil.example/",
    "/%09/evil.example/",  # a tab, which browsers drop
    "/%0D%0A/evil.example/",
    "///evil.example",  # urlsplit reads the path "/evil.example"; a browser the host
    "/%5Cevil.example",  # a backslash, which browsers read as a slash
    "%5C%5Cevil.example",
    "/%5C/evil.example",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "%20//evil.example",
    "evil.example",
)


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_sends_the_browser_off_the_site(app: Flask, people: Engine, target: str) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    response = app.test_client().post(
        f"/login?next={target}", data={"username": "owner", "password": PASSWORD}
    )

    assert response.status_code == 302
    location = response.headers["Location"]
    # One leading slash and nothing a browser would drop or turn into one: a path of this site.
    assert location.startswith("/") and not location.startswith("//")
    assert not re.search(r"[\x00-\x20\\]", location)


@pytest.mark.parametrize(
    "target", ["/cases", "/cases?status=completed&page=2", "/matters/catchup-contribution"]
)
def test_sign_in_goes_on_to_the_local_page_asked_for(app: Flask, people: Engine, target: str) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    response = app.test_client().post(
        "/login", query_string={"next": target}, data={"username": "owner", "password": PASSWORD}
    )

    assert response.headers["Location"] == target


def test_page_sign_in_failure_shows_the_form_again(page_app: Flask, people: Engine) -> None:
    page_app.config["WTF_CSRF_ENABLED"] = False
    response = page_app.test_client().post(
        "/login?lang=en", data={"username": "owner", "password": "Wrong-pass-1"}
    )
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_the_server_keeps_serving_while_a_script_runs_away(
    app: Flask, people: Engine, tmp_path: Path
) -> None:
    catalogue.deploy_bundle(
        people, SYSTEM, read_bundle_path(hostile_bundle(tmp_path, "while True:\n    pass")), publish=True
    )
    runaway_client, other_client = app.test_client(), app.test_client()
    headers = token(runaway_client, "owner")
    outcome: dict[str, object] = {}

    def apply() -> None:
        response = runaway_client.post(
            "/api/v1/cases",
            headers=headers,
            json={"matter": "ratio-check", "data": {"amount": 1, "months": 1}},
        )
        outcome["status"], outcome["body"] = response.status_code, response.get_json()

    runaway = threading.Thread(target=apply)
    runaway.start()
    # Once the runaway's thread waits on its sandbox process, the script is running: the request
    # below meets it running however busy the machine is (no wall-clock bound to miss).
    assert storm.wait_until(lambda: _waiting_on_a_script(runaway), timeout=120, every=0.01)
    meanwhile = other_client.get("/api/v1/matters")
    answered_while_running = _waiting_on_a_script(runaway)
    runaway.join(timeout=300)

    assert meanwhile.status_code == 200 and answered_while_running
    assert outcome["status"] == 201
    body = outcome["body"]
    assert isinstance(body, dict)
    [incident] = body["incidents"]
    assert incident["element_id"] == "compute" and stopped_for("more than 1 s", incident["message"])


def _waiting_on_a_script(thread: threading.Thread) -> bool:
    """Whether `thread` is waiting for a sandbox process to finish a script (its stack says)."""
    frame = sys._current_frames().get(thread.ident or -1)
    while frame is not None:
        if frame.f_code is sandbox_process._Child.ask.__code__:
            return True
        frame = frame.f_back
    return False
