"""The apply page's endpoint: the server checks the form again, whatever the browser let through."""

from __future__ import annotations

from flask import Flask

from engine import Engine
from tests.web.conftest import LONG_GAP, signed_in, token


def test_bad_data_gets_field_errors_and_nothing_is_stored(app: Flask, people: Engine) -> None:
    browser = signed_in(app, "owner")
    bad = {**LONG_GAP, "id_number": "12345", "from_month": "2026-13", "monthly_base": 0}

    response = browser.post("/matters/catchup-contribution/apply", json={"data": bad})

    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"id_number", "from_month", "monthly_base"}
    assert all(fields[key] for key in fields)
    everything = app.test_client().get("/api/v1/cases", headers=token(app.test_client(), "auditor"))
    assert everything.get_json()["cases"] == []


def test_good_data_opens_the_case_page(app: Flask, people: Engine) -> None:
    response = signed_in(app, "owner").post("/matters/catchup-contribution/apply", json={"data": LONG_GAP})

    assert response.status_code == 201
    assert response.get_json()["redirect"].startswith("/cases/")


def test_an_open_case_takes_the_files_chosen_with_it_a_case_decided_at_once_does_not(
    app: Flask, people: Engine
) -> None:
    browser = signed_in(app, "owner")
    reviewed = browser.post("/matters/catchup-contribution/apply", json={"data": LONG_GAP}).get_json()
    short_gap = {**LONG_GAP, "from_month": "2026-08"}
    instant = browser.post("/matters/catchup-contribution/apply", json={"data": short_gap}).get_json()

    assert reviewed["materials"] == reviewed["redirect"] + "/materials"
    assert "materials" not in instant


def test_an_application_sent_after_the_session_ended_is_told_to_sign_in(app: Flask, people: Engine) -> None:
    """The form stays on the page with what was typed; its script shows this message. (The
    page's CSRF token can outlive the sign-in: the check is off here to reach the sign-in check.)"""
    app.config["WTF_CSRF_ENABLED"] = False
    expired = app.test_client()

    response = expired.post("/matters/catchup-contribution/apply?lang=zh", json={"data": LONG_GAP})

    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "请先登录。"
