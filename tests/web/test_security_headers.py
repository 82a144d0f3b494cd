"""Every answer carries the security headers; cookies are HttpOnly, SameSite=Lax and Secure
whenever the site is reached over HTTPS, behind a trusted proxy too; and the pages themselves
hold nothing the Content-Security-Policy would block (the browser tests check it in Chromium)."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from tests.web.conftest import signed_in
from web import create_app
from web.headers import CONTENT_SECURITY_POLICY

PAGES = ["/", "/matters/catchup-contribution", "/login", "/unlock", "/no-such-page"]
SIGNED_IN_PAGES = {
    "owner": ["/cases", "/matters/catchup-contribution/apply", "/account/password", "/cases/{case}"],
    "acceptor": ["/workbench", "/workbench/tasks/{task}"],
}


def _cookie(response: Any, name: str) -> str:
    found = [header for header in response.headers.getlist("Set-Cookie") if header.startswith(f"{name}=")]
    assert found, response.headers.getlist("Set-Cookie")
    return str(found[0])


@pytest.mark.parametrize("path", [*PAGES, "/api/v1/matters", "/api/v1/cases", "/static/css/site.css"])
def test_every_answer_carries_the_security_headers(client: FlaskClient, people: Engine, path: str) -> None:
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert (
        "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY
    )
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: nothing to pin


def _inline_code(html: str) -> list[str]:
    """What in a page the CSP would block: inline scripts (data blocks aside), style elements,
    style attributes and event-handler attributes."""
    page = lxml.html.fromstring(html)
    found = [
        f"<script> {script.text[:40]!r}"
        for script in page.iter("script")
        if not script.get("src") and script.get("type") != "application/json"
    ]
    found += [f"<style> {style.text[:40]!r}" for style in page.iter("style")]
    for element in page.iter():
        found += [
            f"{element.tag} {name}=" for name in element.attrib if name == "style" or name.startswith("on")
        ]
    return found


def test_no_page_holds_inline_script_or_style(app: Flask, client: FlaskClient, case: dict[str, Any]) -> None:
    paths = {(None, path) for path in PAGES}
    paths |= {(who, path) for who, some in SIGNED_IN_PAGES.items() for path in some}
    for who, path in sorted(paths, key=str):
        browser = signed_in(app, who) if who else app.test_client()
        response = browser.get(path.format(case=case["id"], task=case["open_tasks"][0]["id"]))
        assert response.status_code in (200, 404), (path, response.status_code)
        assert _inline_code(response.get_data(as_text=True)) == [], path


def test_session_cookie_over_plain_http_is_httponly_and_lax_but_not_secure(
    app: Flask, people: Engine
) -> None:
    cookie = _cookie(signed_in_response(app, "http://localhost"), "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def signed_in_response(app: Flask, base_url: str, headers: dict[str, str] | None = None) -> Any:
    app.config["WTF_CSRF_ENABLED"] = False
    browser = app.test_client()
    return browser.post(
        "/login",
        data={"username": "owner", "password": "Correct-Horse-7"},
        base_url=base_url,
        headers=headers or {},
    )


def test_over_https_cookies_are_secure_and_the_site_is_pinned(app: Flask, people: Engine) -> None:
    response = signed_in_response(app, "https://localhost")
    assert "Secure" in _cookie(response, "session")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    language = app.test_client().get("/?lang=en", base_url="https://localhost")
    assert "Secure" in _cookie(language, "lang")


@pytest.mark.parametrize(("trusted", "secure"), [("1", True), ("0", False)])
def test_behind_a_proxy_its_word_for_https_counts_only_when_trusted(
    people: Engine, monkeypatch: pytest.MonkeyPatch, trusted: str, secure: bool
) -> None:
    monkeypatch.setenv("MATTERFLOW_TRUSTED_PROXIES", trusted)
    app = create_app({"TESTING": True, "ENGINE": people, "SECRET_KEY": "test-secret"})
    response = signed_in_response(
        app, "http://localhost", {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert ("Secure" in _cookie(response, "session")) is secure


@pytest.mark.parametrize(
    ("switch", "base_url", "secure"), [("1", "http://localhost", True), ("0", "https://localhost", False)]
)
def test_the_switch_forces_secure_cookies_on_or_off(
    app: Flask, people: Engine, switch: str, base_url: str, secure: bool
) -> None:
    app.config["MATTERFLOW_SECURE_COOKIES"] = switch
    assert ("Secure" in _cookie(signed_in_response(app, base_url), "session")) is secure
