"""Sign-in tells a stranger nothing: an unknown name, a disabled account, a locked one and a
wrong password get the same status and body, after the same work (one argon2 check each; the
times are in bench/README.md). The owner of an account strangers locked unlocks it with the
one-time code mailed to them, and passwords are held to the same rules in the API and pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from engine.actors import SYSTEM
from engine.mail import OutgoingMail
from engine.passwords import PasswordPolicy
from engine.services import accounts, lockout, notifications
from tests.web.conftest import PASSWORD, signed_in, token

WRONG = "Wrong-Horse-8"
KINDS = {  # each kind of refusal: (username, password)
    "unknown": ("nobody.here", PASSWORD),
    "disabled": ("neighbour", PASSWORD),
    "locked": ("employer", PASSWORD),  # the right password, on a locked account
    "wrong-password": ("owner", WRONG),
}


class Outbox:
    """A mail sender that keeps what it is given."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []

    def send(self, mail: OutgoingMail) -> None:
        self.sent.append(mail)


@pytest.fixture
def refusals(people: Engine, client: FlaskClient) -> Engine:
    """'neighbour' disabled and 'employer' locked by strangers' guesses."""
    accounts.disable_account(people, SYSTEM, "neighbour")
    for n in range(lockout.MAX_CONSECUTIVE_FAILURES):
        client.post("/api/v1/auth/token", json={"username": "employer", "password": f"Guess-{n}-x"})
    return people


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The password hashes each sign-in checks against, in order."""
    seen: list[str] = []
    real = PasswordPolicy.verify

    def counted(self: PasswordPolicy, stored_hash: str, password: str) -> bool:
        seen.append(stored_hash)
        return real(self, stored_hash, password)

    monkeypatch.setattr(PasswordPolicy, "verify", counted)
    yield seen


def test_every_kind_of_refused_sign_in_gets_the_same_answer_after_the_same_work(
    client: FlaskClient, refusals: Engine, checks: list[str]
) -> None:
    answers = {}
    for kind, (username, password) in KINDS.items():
        checks.clear()
        response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        answers[kind] = (response.status_code, response.get_json(), response.headers.get("WWW-Authenticate"))
        assert len(checks) == 1, f"{kind}: {len(checks)} password checks"
    assert len(set(map(repr, answers.values()))) == 1, answers
    assert answers["unknown"][0] == 401


def test_the_sign_in_page_answers_every_refusal_alike(app: Flask, refusals: Engine) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    pages = {}
    for kind, (username, password) in KINDS.items():
        response = app.test_client().post("/login?lang=en", data={"username": username, "password": password})
        text = response.get_data(as_text=True)
        pages[kind] = (response.status_code, re.sub(r'value="[^"]*"', "", text))
    assert len(set(pages.values())) == 1
    assert pages["locked"][0] == 401 and "Wrong username or password." in pages["locked"][1]


def _locked_with_mail(engine: Engine, client: FlaskClient) -> str:
    """A reviewer with a mail address, locked by five guesses: the unlock code mailed to them."""
    accounts.create_account(
        engine,
        SYSTEM,
        username="mailed",
        password=PASSWORD,
        roles=["reviewer"],
        org_code="110105",
        posts=["acceptance"],
        email="mailed@example.gov.cn",
    )
    for n in range(lockout.MAX_CONSECUTIVE_FAILURES):
        client.post("/api/v1/auth/token", json={"username": "mailed", "password": f"Guess-{n}-x"})
    outbox = Outbox()
    assert notifications.send_due_mail(engine, outbox) == 1
    [mail] = outbox.sent
    assert mail.to == "mailed@example.gov.cn"
    found = re.search(r"code ([A-Z0-9]{8})", mail.body)
    assert found, mail.body
    return found.group(1)


def test_the_owner_unlocks_with_the_mailed_code_once(client: FlaskClient, people: Engine) -> None:
    code = _locked_with_mail(people, client)
    signing_in = {"username": "mailed", "password": PASSWORD}
    assert client.post("/api/v1/auth/token", json=signing_in).status_code == 401  # locked

    wrong = client.post("/api/v1/auth/unlock", json={"username": "mailed", "code": "ABCDEFGH"})
    unknown = client.post("/api/v1/auth/unlock", json={"username": "nobody.here", "code": code})
    unlocked = client.post("/api/v1/auth/unlock", json={"username": "mailed", "code": code.lower()})
    again = client.post("/api/v1/auth/unlock", json={"username": "mailed", "code": code})

    assert (wrong.status_code, wrong.get_json()) == (unknown.status_code, unknown.get_json())
    assert wrong.status_code == 401 and again.status_code == 401
    assert unlocked.status_code == 204
    assert client.post("/api/v1/auth/token", json=signing_in).status_code == 200


def test_the_unlock_page(app: Flask, client: FlaskClient, people: Engine) -> None:
    code = _locked_with_mail(people, client)
    app.config["WTF_CSRF_ENABLED"] = False
    browser = app.test_client()
    assert "解锁码" in browser.get("/unlock").get_data(as_text=True)

    refused = browser.post("/unlock", data={"username": "mailed", "code": "WRONG123"})
    done = browser.post("/unlock", data={"username": "mailed", "code": code}, follow_redirects=True)

    assert refused.status_code == 401 and "用户名或解锁码错误" in refused.get_data(as_text=True)
    assert done.status_code == 200 and "账户已解锁" in done.get_data(as_text=True)
    assert browser.post("/login", data={"username": "mailed", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("weak", ["Password123!", "Abcdef1234", "Woaini5201314"])
def test_weak_new_passwords_are_refused_over_the_api(client: FlaskClient, people: Engine, weak: str) -> None:
    response = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": weak},
        headers=token(client, "owner"),
    )
    assert response.status_code == 422
    assert "new_password" in response.get_json()["error"]["fields"]


def test_a_password_change_ends_the_other_sign_ins(client: FlaskClient, people: Engine) -> None:
    elsewhere, here = token(client, "owner"), token(client, "owner")
    changed = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "Lantern-Orchid-42"},
        headers=here,
    )
    assert changed.status_code == 204
    assert client.get("/api/v1/cases", headers=here).status_code == 200
    assert client.get("/api/v1/cases", headers=elsewhere).status_code == 401
    new = client.post("/api/v1/auth/token", json={"username": "owner", "password": "Lantern-Orchid-42"})
    assert new.status_code == 200


def test_the_password_page_explains_a_weak_password_in_the_pages_language(app: Flask, people: Engine) -> None:
    browser = signed_in(app, "owner")
    refused = browser.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "Password123!"}
    )
    wrong: Any = browser.post(
        "/account/password", data={"current_password": WRONG, "new_password": "Lantern-Orchid-42"}
    )
    assert refused.status_code == 422 and "常见密码后加上数字或符号" in refused.get_data(as_text=True)
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.get_data(as_text=True)
    done = browser.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "Lantern-Orchid-42"},
        follow_redirects=True,
    )
    assert done.status_code == 200 and "密码已修改" in done.get_data(as_text=True)
