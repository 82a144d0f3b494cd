"""The decision notice an applicant downloads: what was decided, on what application, and why not."""

from __future__ import annotations

from typing import Any

import lxml.html
from flask import Flask
from flask.testing import FlaskClient

from engine import Engine
from tests.web.conftest import LONG_GAP, decide, signed_in, token

REFUSED = "缴费基数高于上年度社会平均工资的300%"


def _notice(browser: FlaskClient, case_id: str) -> Any:
    response = browser.get(f"/cases/{case_id}/result?lang=en")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    # kept offline, it styles itself; it runs nothing, whoever opens it
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    return lxml.html.fromstring(response.get_data(as_text=True))


def _particulars(notice: Any) -> dict[str, str]:
    terms = notice.xpath('//dl[@data-testid="particulars"]/dt/text()')
    return dict(zip(terms, notice.xpath('//dl[@data-testid="particulars"]/dd/text()'), strict=True))


def test_an_instant_approval_names_the_application_with_the_identity_masked(
    app: Flask, people: Engine
) -> None:
    browser = signed_in(app, "owner")
    applied = browser.post(
        "/matters/catchup-contribution/apply", json={"data": {**LONG_GAP, "from_month": "2026-08"}}
    )
    case_id = applied.get_json()["redirect"].rsplit("/", 1)[1]

    notice = _notice(browser, case_id)
    particulars = _particulars(notice)

    assert notice.xpath('string(//dd[@data-testid="decision"])') == "Approved"
    assert not notice.xpath('//dd[@data-testid="reason"]')
    assert particulars["Citizen ID number"] == "110105********002X"
    assert particulars["Reason for the catch-up"] == "Change of job"
    assert LONG_GAP["id_number"] not in lxml.html.tostring(notice, encoding="unicode")


def test_a_refusal_gives_the_reviewers_reason(app: Flask, client: FlaskClient, case: dict[str, Any]) -> None:
    decide(client, "acceptor", case["open_tasks"][0]["id"], "reject", REFUSED)

    notice = _notice(signed_in(app, "owner"), case["id"])

    assert notice.xpath('string(//dd[@data-testid="decision"])') == "Rejected"
    assert notice.xpath('string(//dd[@data-testid="reason"])') == REFUSED


def test_there_is_no_notice_before_the_decision_nor_for_anyone_else(
    app: Flask, client: FlaskClient, case: dict[str, Any]
) -> None:
    assert signed_in(app, "owner").get(f"/cases/{case['id']}/result").status_code == 404
    decide(client, "acceptor", case["open_tasks"][0]["id"], "reject", REFUSED)
    assert signed_in(app, "neighbour").get(f"/cases/{case['id']}/result").status_code == 404
    assert client.get(f"/api/v1/cases/{case['id']}", headers=token(client, "owner")).status_code == 200
