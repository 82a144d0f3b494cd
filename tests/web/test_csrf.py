"""Every form a page posts needs the page's CSRF token: without it the post is refused and
nothing changes (the other web tests turn the check off to drive the pages)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import ASKED, decide, signed_in, token
from tests.web.test_materials import png

# A page's post as a browser without the token would send it: (who, method arguments).
POSTS: dict[str, tuple[str, Callable[[str, str], dict[str, Any]]]] = {
    "withdraw": ("owner", lambda case, task: {"path": f"/cases/{case}/withdraw", "data": {"confirm": "yes"}}),
    "upload a material": (
        "owner",
        lambda case, task: {
            "path": f"/cases/{case}/materials",
            "data": {"file": (io.BytesIO(png()), "a.png")},
            "content_type": "multipart/form-data",
        },
    ),
    "supplement": (
        "owner",
        lambda case, task: {"path": f"/cases/{case}/supplement", "json": {"data": {"monthly_base": 5200}}},
    ),
    "claim": ("acceptor", lambda case, task: {"path": f"/workbench/tasks/{task}/claim"}),
    "unclaim": ("acceptor", lambda case, task: {"path": f"/workbench/tasks/{task}/unclaim"}),
    "decide": (
        "acceptor",
        lambda case, task: {
            "path": f"/workbench/tasks/{task}/complete",
            "json": {"data": {"decision": "approve", "comment": "材料齐全"}},
        },
    ),
    "logout": ("owner", lambda case, task: {"path": "/logout"}),
}


def _prepare(client: FlaskClient, action: str, case: dict[str, Any]) -> None:
    """The case as the action needs it: returned before a supplement, held before a release or
    a decision."""
    task = case["open_tasks"][0]["id"]
    if action == "supplement":
        decide(client, "acceptor", task, "return", ASKED)
    elif action in ("unclaim", "decide"):
        assert (
            client.post(f"/api/v1/tasks/{task}/claim", headers=token(client, "acceptor")).status_code == 200
        )


def _state(client: FlaskClient, browser: FlaskClient, case_id: str) -> tuple[Any, ...]:
    """What any of the posts would change: the case, its tasks and holders, its timeline (an
    upload adds to it), and whether the browser is still signed in."""
    body = client.get(f"/api/v1/cases/{case_id}", headers=token(client, "owner")).get_json()
    held = [(t["id"], t["assignee"]) for t in body["open_tasks"]]
    return body["status"], held, len(body["timeline"]), browser.get("/cases").status_code


@pytest.mark.parametrize("action", list(POSTS))
def test_a_page_post_without_the_csrf_token_is_refused_and_changes_nothing(
    app: Flask, client: FlaskClient, case: dict[str, Any], action: str
) -> None:
    _prepare(client, action, case)
    who, arguments = POSTS[action]
    browser = signed_in(app, who)  # signs in with the check off, then turns it back on
    app.config["WTF_CSRF_ENABLED"] = True
    before = _state(client, browser, case["id"])

    response = browser.post(**arguments(case["id"], case["open_tasks"][0]["id"]))

    assert response.status_code == 400
    assert _state(client, browser, case["id"]) == before
