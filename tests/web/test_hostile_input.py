"""No input makes a 500: the five classes of payload that did (JSON nested a thousand deep, lone
UTF-16 surrogates, NUL bytes, ids beyond 64 bits, dates near year 9999), sent in the path, the
query, a JSON body, a form post, a file name and a header, to the API and to the pages, by
anonymous and signed-in callers, on SQLite and PostgreSQL. Each is refused with a 4xx in the
API.md error shape (an error page in the page's language on pages) and nothing is written."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine import Engine
from engine.persistence.models import Base
from tests.web.conftest import LONG_GAP, PASSWORD, apply_over_api, token

DEEP = "[" * 100_000 + "]" * 100_000
THIRTY_DIGITS = "9" * 30


@dataclass(frozen=True)
class Hostile:
    """One hostile request: `path` may name {case}; `raw` is a JSON text sent as it is."""

    method: str
    path: str
    raw: str | None = None
    form: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    statuses: tuple[int, ...] = (400, 404, 422)

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")


def _body(**raw: str) -> str:
    """A catch-up application with the named fields' values written as the raw JSON text given."""
    data = {**LONG_GAP, **{name: f"@{name}@" for name in raw}}
    text = json.dumps({"matter": "catchup-contribution", "data": data}, ensure_ascii=False)
    for name, value in raw.items():
        text = text.replace(f'"@{name}@"', value)
    return text


HOSTILE = {
    # 1. JSON nested far deeper than the parser goes
    "deep-json-token": Hostile("POST", "/api/v1/auth/token", raw=DEEP),
    "deep-json-case": Hostile("POST", "/api/v1/cases", raw=_body(reason=DEEP)),
    "deep-json-32-levels": Hostile("POST", "/api/v1/cases", raw=_body(reason="[" * 40 + "]" * 40)),
    "deep-json-message": Hostile("POST", "/api/v1/messages", raw='{"name": "x", "payload": ' + DEEP + "}"),
    "deep-json-apply-page": Hostile("POST", "/matters/catchup-contribution/apply", raw=DEEP),
    "deep-json-supplement-page": Hostile("POST", "/cases/{case}/supplement", raw='{"data": ' + DEEP + "}"),
    # 2. lone surrogates
    "surrogate-token": Hostile("POST", "/api/v1/auth/token", raw='{"username": "\\ud800", "password": "x"}'),
    "surrogate-case": Hostile("POST", "/api/v1/cases", raw=_body(name='"\\udc00"')),
    "surrogate-key": Hostile("POST", "/api/v1/cases/{case}/supplement", raw='{"data": {"\\ud83d": 1}}'),
    "surrogate-apply-page": Hostile(
        "POST", "/matters/catchup-contribution/apply", raw=_body(name='"\\ud800"')
    ),
    # 3. NUL bytes
    "nul-api-path": Hostile("GET", "/api/v1/matters/a%00b"),
    "nul-api-case-path": Hostile("GET", "/api/v1/cases/{case}%00"),
    "nul-api-query": Hostile("GET", "/api/v1/cases?matter=a%00b"),
    "nul-api-body": Hostile("POST", "/api/v1/auth/token", raw='{"username": "a\\u0000b", "password": "x"}'),
    "nul-case-data": Hostile("POST", "/api/v1/cases", raw=_body(name='"张\\u0000三"')),
    "nul-header": Hostile("POST", "/api/v1/cases", raw=_body(), headers={"Idempotency-Key": "a\x00b"}),
    "nul-page-path": Hostile("GET", "/matters/a%00b"),
    "nul-page-query": Hostile("GET", "/?q=a%00b"),
    "nul-login-form": Hostile("POST", "/login", form={"username": "a\x00b", "password": PASSWORD}),
    "nul-withdraw-form": Hostile("POST", "/cases/{case}/withdraw", form={"confirm": "yes\x00"}),
    "nul-file-name": Hostile("POST", "/cases/{case}/materials", form={"file": (b"%PDF-1.4 x", "a\x00.pdf")}),
    # 4. ids beyond 64 bits
    "huge-id-path": Hostile("POST", f"/api/v1/notifications/{THIRTY_DIGITS}/read"),
    "huge-id-case-path": Hostile("GET", f"/api/v1/cases/{THIRTY_DIGITS}", statuses=(401, 404)),
    "huge-page-query": Hostile("GET", f"/api/v1/notifications?page={THIRTY_DIGITS}", statuses=(401, 422)),
    "huge-number-body": Hostile("POST", "/api/v1/cases", raw=_body(monthly_base=THIRTY_DIGITS)),
    "infinite-number-body": Hostile("POST", "/api/v1/cases", raw=_body(monthly_base="1e999")),
    "nan-body": Hostile("POST", "/api/v1/cases", raw=_body(monthly_base="NaN")),
    # 5. dates near the end of the calendar
    "far-date-page-query": Hostile("GET", "/workbench?due_before=9999-12-31"),
    "far-date-api-query": Hostile("GET", "/api/v1/tasks?due_before=9999-12-31T23:59:59-14:00"),
    "far-month-case-data": Hostile("POST", "/api/v1/cases", raw=_body(to_month='"9999-12"')),
    "year-zero-case-data": Hostile("POST", "/api/v1/cases", raw=_body(from_month='"0000-01"')),
    # and bodies larger than the server takes
    "huge-body": Hostile("POST", "/api/v1/cases", raw=_body(name=f'"{"x" * (21 << 20)}"'), statuses=(413,)),
}
CALLERS = ("anonymous", "owner", "acceptor")


def _counts(engine: Engine) -> dict[str, int]:
    with engine.database.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def _client(app: Flask, who: str) -> tuple[FlaskClient, dict[str, str]]:
    """A client with both a page session and an API token of `who` (neither when anonymous)."""
    app.config["WTF_CSRF_ENABLED"] = False
    browser = app.test_client()
    if who == "anonymous":
        return browser, {}
    assert browser.post("/login", data={"username": who, "password": PASSWORD}).status_code == 302
    return browser, token(browser, who)


def _send(browser: FlaskClient, hostile: Hostile, case_id: str, headers: dict[str, str]) -> Any:
    """The request, in English (`lang=en`), with the caller's token on API paths."""
    path = hostile.path.replace("{case}", case_id) + ("&" if "?" in hostile.path else "?") + "lang=en"
    sent = {**(headers if hostile.api else {}), **hostile.headers}
    if hostile.raw is not None:
        return browser.open(
            path, method=hostile.method, data=hostile.raw, headers=sent, content_type="application/json"
        )
    files = {k: (io.BytesIO(v[0]), v[1]) for k, v in (hostile.form or {}).items() if isinstance(v, tuple)}
    return browser.open(path, method=hostile.method, data={**(hostile.form or {}), **files}, headers=sent)


def _problem(hostile: Hostile, response: Any) -> str | None:
    """What is wrong with the answer to a hostile request, or None when it is as it should be."""
    if response.status_code not in hostile.statuses:
        return f"answered {response.status_code}: {response.get_data(as_text=True)[:200]}"
    if hostile.api or response.is_json:
        error = (response.get_json(silent=True) or {}).get("error") or {}
        return None if error.get("code") and error.get("message") else "no error in API.md's shape"
    page = lxml.html.fromstring(response.get_data(as_text=True))
    if page.get("lang") != "en" or not page.xpath("//main//p"):
        return "not an error page in the page's language"
    return None


@pytest.mark.parametrize("who", CALLERS)
def test_hostile_input_is_refused_with_a_4xx_and_nothing_is_written(
    app: Flask, people: Engine, client: FlaskClient, who: str
) -> None:
    case_id = apply_over_api(client)["id"]
    browser, headers = _client(app, who)
    failures = {}
    for name, hostile in HOSTILE.items():
        before = _counts(people)
        problem = _problem(hostile, _send(browser, hostile, case_id, headers))
        written = {t: n - before[t] for t, n in _counts(people).items() if n != before[t]}
        if problem or written:
            failures[name] = problem or f"wrote {written}"
    assert not failures, failures


def test_deep_but_allowed_json_is_accepted(client: FlaskClient, people: Engine) -> None:
    """Thirty levels is within bounds: the request is judged by the form, not refused for depth."""
    nested: Any = "x"
    for _ in range(29):
        nested = [nested]
    response = client.post(
        "/api/v1/cases",
        json={"matter": "catchup-contribution", "data": {**LONG_GAP, "reason": nested}},
        headers=token(client, "owner"),
    )
    assert response.status_code == 422
    assert "reason" in response.get_json()["error"]["fields"]


def test_a_bank_card_number_in_text_is_not_a_number_out_of_range(client: FlaskClient, people: Engine) -> None:
    """Digits in a string are text: only JSON numbers are held to 64 bits."""
    response = client.post(
        "/api/v1/cases",
        json={"matter": "catchup-contribution", "data": {**LONG_GAP, "name": "9558801234567890123"}},
        headers=token(client, "owner"),
    )
    assert response.status_code == 201, response.get_json()


def test_a_hostile_page_request_gets_an_error_page_in_chinese_by_default(
    client: FlaskClient, people: Engine
) -> None:
    response = client.get("/workbench?due_before=9999-12-31")
    page = lxml.html.fromstring(response.get_data(as_text=True))
    assert response.status_code == 422
    assert page.get("lang") == "zh-CN"
    assert "9999" not in page.text_content() and "dates run" not in page.text_content()
