"""Error messages in the page's language (the engine writes English; the API keeps its words)."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from tests.web.conftest import ACCEPTED, LONG_GAP, decide, signed_in


def _message(response: Any) -> str:
    """What the error page (or the sign-in page) tells the person."""
    page = lxml.html.fromstring(response.get_data(as_text=True))
    return " ".join(
        page.xpath('string(//main//p[@class="error"] | //main/h1/following-sibling::p[1])').split()
    )


@pytest.mark.parametrize(
    ("language", "said"), [("zh", "用户名或密码错误。"), ("en", "Wrong username or password.")]
)
def test_a_failed_sign_in_says_so_in_the_page_language(
    app: Flask, people: Engine, language: str, said: str
) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    response = app.test_client().post(
        f"/login?lang={language}", data={"username": "owner", "password": "Wrong-pass-1"}
    )

    assert response.status_code == 401 and _message(response) == said


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("zh", "表单已过期或并非来自本站，请刷新页面后重试。"),
        ("en", "The form has expired or did not come from this site; reload the page and try again."),
    ],
)
def test_a_form_without_its_csrf_token_says_so(app: Flask, people: Engine, language: str, said: str) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post(f"/login?lang={language}", data={"username": "owner"})

    assert response.status_code == 400 and _message(response) == said


@pytest.mark.parametrize(("language", "said"), [("zh", "请先登录。"), ("en", "Please sign in first.")])
def test_a_form_sent_after_signing_out_asks_to_sign_in(
    app: Flask, case: dict[str, Any], language: str, said: str
) -> None:
    app.config["WTF_CSRF_ENABLED"] = False  # the token in the form is good; the session is gone
    response = app.test_client().post(
        f"/cases/{case['id']}/withdraw?lang={language}", data={"confirm": "yes"}
    )

    assert response.status_code == 401 and _message(response) == said


@pytest.mark.parametrize(
    ("language", "said", "unknown_page"),
    [
        ("zh", "办件不存在，或您无权查看。", "您要找的内容不存在，或您无权查看。"),
        (
            "en",
            "There is no such case, or you may not see it.",
            "What you asked for does not exist, or you may not see it.",
        ),
    ],
)
def test_not_found_pages_speak_the_page_language(
    app: Flask, case: dict[str, Any], language: str, said: str, unknown_page: str
) -> None:
    browser = signed_in(app, "neighbour")
    hidden = browser.get(f"/cases/{case['id']}?lang={language}")
    nowhere = browser.get(f"/no-such-page?lang={language}")

    assert (hidden.status_code, nowhere.status_code) == (404, 404)
    assert _message(hidden) == said
    assert _message(nowhere).startswith(unknown_page)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("zh", "此办件已有审核决定，不能再撤回。"),
        ("en", "A decision has been taken on this case; it can no longer be withdrawn."),
    ],
)
def test_a_conflict_page_speaks_the_page_language(
    app: Flask, client: FlaskClient, case: dict[str, Any], language: str, said: str
) -> None:
    decide(client, "acceptor", case["open_tasks"][0]["id"], "approve", ACCEPTED)
    response = signed_in(app, "owner").post(
        f"/cases/{case['id']}/withdraw?lang={language}", data={"confirm": "yes"}
    )

    assert response.status_code == 409 and _message(response) == said


@pytest.mark.parametrize(
    ("language", "summary", "required"),
    [
        ("zh", "表单有误，请更正标出的各项。", "此项为必填项。"),
        ("en", "The form has errors; please correct the fields marked.", "This field is required."),
    ],
)
def test_form_errors_of_a_page_speak_its_language(
    app: Flask, people: Engine, language: str, summary: str, required: str
) -> None:
    data = {key: value for key, value in LONG_GAP.items() if key != "name"}
    data["monthly_base"] = 0
    response = signed_in(app, "owner").post(
        f"/matters/catchup-contribution/apply?lang={language}", json={"data": data}
    )

    error = response.get_json()["error"]
    assert (response.status_code, error["message"]) == (422, summary)
    assert error["fields"]["name"] == [required]
    assert not error["fields"]["monthly_base"][0].startswith("Must be greater than or equal")


def test_the_api_keeps_the_engines_words(client: FlaskClient, case: dict[str, Any]) -> None:
    response = client.post("/api/v1/cases", json={"matter": "catchup-contribution", "data": {}})

    assert (
        response.get_json()["error"]["message"]
        == "send Authorization: Bearer <token> (POST /api/v1/auth/token)"
    )
