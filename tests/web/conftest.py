"""The Flask test client over an engine from the shared fixtures, and signed-up people."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from engine.actors import SYSTEM
from engine.services import accounts, organisations
from web import create_app

PASSWORD = "Correct-Horse-7"
LONG_GAP = {
    "id_number": "11010519491231002X",
    "name": "张三",
    "from_month": "2026-01",
    "to_month": "2026-10",
    "monthly_base": 5000,
    "reason": "job_change",
}
ASKED = "请补充2026年1月至7月的工资发放记录"
ACCEPTED = "材料齐全，予以受理"
PEOPLE: dict[str, dict[str, Any]] = {
    "owner": {"roles": ["applicant"], "org_code": "110105", "identity": "11010519491231002X"},
    "neighbour": {"roles": ["applicant"], "org_code": "110105", "identity": "440524188001010014"},
    "employer": {"roles": ["unit"], "org_code": "110105", "identity": "91110000802100433B"},
    "acceptor": {"roles": ["reviewer"], "org_code": "110105", "posts": ["acceptance"]},
    "city-acceptor": {"roles": ["reviewer"], "org_code": "110000", "posts": ["acceptance"]},
    "other-district": {"roles": ["reviewer"], "org_code": "110108", "posts": ["acceptance"]},
    "checker": {"roles": ["reviewer"], "org_code": "110105", "posts": ["review"]},
    "auditor": {"roles": ["auditor"], "org_code": "000000"},
    "policy": {"roles": ["policy"], "org_code": "110000"},
    "admin": {"roles": ["admin"], "org_code": "110000"},
}


@pytest.fixture
def app(loaded: Engine) -> Flask:
    return create_app({"TESTING": True, "ENGINE": loaded, "SECRET_KEY": "test-secret"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def people(loaded: Engine) -> Engine:
    """Organisations of Beijing and one account per kind of person in PEOPLE."""
    for code, name in (("110000", "北京市"), ("110105", "朝阳区"), ("110108", "海淀区")):
        organisations.add_organisation(loaded, SYSTEM, code=code, name=name)
    for username, spec in PEOPLE.items():
        accounts.create_account(loaded, SYSTEM, username=username, password=PASSWORD, **spec)
    return loaded


def signed_in(app: Flask, username: str) -> FlaskClient:
    """A browser session of `username` through the /login page (CSRF checks off for the app)."""
    app.config["WTF_CSRF_ENABLED"] = False
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return browser


def open_page(browser: FlaskClient, path: str) -> Any:
    """The HTML page at `path` (which must answer 200), parsed for XPath."""
    response = browser.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return lxml.html.fromstring(response.get_data(as_text=True))


def token(client: FlaskClient, username: str) -> dict[str, str]:
    """The Authorization header of a freshly signed-in person."""
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def apply_over_api(client: FlaskClient) -> dict[str, Any]:
    """'owner' applies for a ten-month catch-up over the API: the case, waiting at acceptance."""
    response = client.post(
        "/api/v1/cases",
        json={"matter": "catchup-contribution", "data": LONG_GAP},
        headers=token(client, "owner"),
    )
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


@pytest.fixture
def case(client: FlaskClient, people: Engine) -> dict[str, Any]:
    """A catch-up application by 'owner' waiting at the acceptance post."""
    return apply_over_api(client)


def decide(client: FlaskClient, who: str, task_id: str, decision: str, comment: str) -> dict[str, Any]:
    """`who` claims the task and decides it over the API; the case as it then is."""
    headers = token(client, who)
    assert client.post(f"/api/v1/tasks/{task_id}/claim", headers=headers).status_code == 200
    done = client.post(
        f"/api/v1/tasks/{task_id}/complete",
        json={"data": {"decision": decision, "comment": comment}},
        headers=headers,
    )
    assert done.status_code == 200, done.get_json()
    body: dict[str, Any] = done.get_json()
    return body


@pytest.fixture
def review_task(client: FlaskClient, case: dict[str, Any]) -> str:
    """The case's review task, after acceptance returned it once and then accepted it."""
    acceptance = case["open_tasks"][0]["id"]
    decide(client, "acceptor", acceptance, "return", ASKED)
    supplemented = client.post(
        f"/api/v1/cases/{case['id']}/supplement",
        json={"data": {"monthly_base": 5200}},
        headers=token(client, "owner"),
    )
    assert supplemented.status_code == 200
    accepted = decide(client, "acceptor", acceptance, "approve", ACCEPTED)
    review: str = accepted["open_tasks"][0]["id"]
    return review
