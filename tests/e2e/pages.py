"""What a person does on the site, in the words of the English pages: sign in, fill a form-js form.

Selectors go by role and accessible name first (what a screen-reader user hears), so a test
that passes also says the markup is usable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import APIRequestContext, Locator, Page, expect

PASSWORD = "Correct-Horse-7"
# Labels of the catchup-contribution start form in English (forms/catchup-contribution, "i18n").
ID_NUMBER = "Citizen ID number"
NAME = "Name"
FROM_MONTH = "First month to pay"
TO_MONTH = "Last month to pay"
MONTHLY_BASE = "Monthly contribution base (CNY)"
REASON = "Reason for the catch-up"
# Three months at 6,000 a month: 4,320 yuan, decided instantly (DMN catchup_instant).
SHORT_GAP = {
    ID_NUMBER: "11010519491231002X",
    NAME: "张三",
    FROM_MONTH: "2026-08",
    TO_MONTH: "2026-10",
    MONTHLY_BASE: "6000",
    REASON: "Change of job",
}
# Ten months: past the instant window, so acceptance and review posts decide.
LONG_GAP = {**SHORT_GAP, FROM_MONTH: "2026-01"}
# The same kind of application as the API takes it (field keys and option values), for setup.
LONG_GAP_DATA = {"id_number": "11010519491231002X", "name": "张三", "from_month": "2026-01",
                 "to_month": "2026-10", "monthly_base": 5000, "reason": "job_change"}  # fmt: skip
CASE_PAGE = re.compile(r"/cases/[0-9a-f]+$")


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the /login form, as a person would, and wait to be sent on."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/login")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


def form_field(page: Page, label: str) -> Locator:
    """The form-js field (label, input, description, errors) whose input has this label."""
    return page.locator(".fjs-form-field", has=page.get_by_label(label, exact=False)).first


def fill_form(page: Page, values: Mapping[str, str]) -> None:
    """Type into a rendered form-js form by label; a select takes the option's visible text."""
    for label, value in values.items():
        field = form_field(page, label)
        if field.locator(".fjs-select-display").count():
            choose(page, label, value)
        else:
            control = page.get_by_label(label, exact=False).first
            control.fill(value)


def choose(page: Page, label: str, option: str) -> None:
    """form-js draws its select as a list of plain divs that opens when its hidden input has focus.

    Focus, not a click on the label: leaving the field before shows that field's errors, which
    moves the select down between mouse-down and mouse-up.
    """
    field = form_field(page, label)
    page.get_by_label(label, exact=False).first.focus()
    field.locator(".fjs-dropdownlist-item", has_text=option).click()
    expect(field.locator(".fjs-select-display")).to_have_text(option)


def wait_for_form(page: Page) -> None:
    """form-js renders after its script runs: wait for the first field before typing."""
    expect(page.locator(".fjs-form .fjs-form-field").first).to_be_visible()


def bearer(request: APIRequestContext, username: str) -> dict[str, str]:
    """The Authorization header of `username`, signed in over the API."""
    signed_in = request.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert signed_in.ok, signed_in.text()
    return {"Authorization": f"Bearer {signed_in.json()['token']}"}


def apply_by_api(request: APIRequestContext, username: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A catch-up application made over the JSON API: setup for tests that are about something else."""
    created = request.post(
        "/api/v1/cases",
        data={"matter": "catchup-contribution", "data": dict(data)},
        headers=bearer(request, username),
    )
    assert created.status == 201, created.text()
    case: dict[str, Any] = created.json()
    return case


def decide_by_api(request: APIRequestContext, username: str, case: Mapping[str, Any], decision: str) -> None:
    """`username` claims the case's waiting task and decides it over the API, as setup."""
    headers = bearer(request, username)
    inbox = request.get("/api/v1/tasks?scope=available", headers=headers)
    assert inbox.ok, inbox.text()
    task = next(t for t in inbox.json()["tasks"] if t["case_id"] == case["id"])
    assert request.post(f"/api/v1/tasks/{task['id']}/claim", headers=headers).ok
    done = request.post(
        f"/api/v1/tasks/{task['id']}/complete",
        data={"data": {"decision": decision, "comment": "材料齐全，予以受理"}},
        headers=headers,
    )
    assert done.ok, done.text()
