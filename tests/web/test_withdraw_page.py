"""Withdrawing from the case page cannot be undone, so it takes a ticked confirmation, which the
server requires (the page marks the box required too, which needs no script)."""

from __future__ import annotations

from typing import Any

import lxml.html
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import open_page, signed_in, token


def _status(client: FlaskClient, case_id: str) -> str:
    body = client.get(f"/api/v1/cases/{case_id}", headers=token(client, "owner")).get_json()
    return str(body["status"])


def test_the_withdraw_form_asks_for_a_confirmation(app: Flask, case: dict[str, Any]) -> None:
    page = open_page(signed_in(app, "owner"), f"/cases/{case['id']}?lang=en")

    [form] = page.xpath('//form[@class="withdraw"]')
    [box] = form.xpath('.//input[@type="checkbox"][@name="confirm"]')
    assert box.get("required") is not None and box.get("checked") is None
    assert form.xpath(f'string(.//label[@for="{box.get("id")}"])').startswith("I want to withdraw")


def test_withdrawing_without_the_confirmation_is_refused(
    app: Flask, client: FlaskClient, case: dict[str, Any]
) -> None:
    browser = signed_in(app, "owner")

    english = browser.post(f"/cases/{case['id']}/withdraw?lang=en", data={})
    chinese = browser.post(f"/cases/{case['id']}/withdraw?lang=zh", data={"confirm": "no"})

    assert (english.status_code, chinese.status_code) == (422, 422)
    said = lxml.html.fromstring(english.get_data(as_text=True)).text_content()
    assert "Tick the box to confirm that the application is to be withdrawn." in said
    assert "请勾选确认框，确认撤回申请。" in chinese.get_data(as_text=True)
    assert _status(client, case["id"]) == "in_progress"


def test_withdrawing_with_the_confirmation_withdraws(
    app: Flask, client: FlaskClient, case: dict[str, Any]
) -> None:
    response = signed_in(app, "owner").post(f"/cases/{case['id']}/withdraw", data={"confirm": "yes"})

    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{case['id']}"
    assert _status(client, case["id"]) == "withdrawn"
