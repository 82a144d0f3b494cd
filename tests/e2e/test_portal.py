"""The applicant's side in a real browser: find a matter, apply, get a decision, keep the notice.

Issue 6, scenarios 1 (instant approval and download), 3 (invalid input keeps what was typed)
and 4 (someone else's case is a 404).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.e2e.live import LiveServer
from tests.e2e.pages import (
    CASE_PAGE,
    FROM_MONTH,
    ID_NUMBER,
    LONG_GAP,
    LONG_GAP_DATA,
    MONTHLY_BASE,
    NAME,
    SHORT_GAP,
    apply_by_api,
    fill_form,
    form_field,
    sign_in,
    wait_for_form,
)


def test_an_applicant_finds_the_matter_applies_is_approved_at_once_and_downloads_the_decision(
    page: Page, tmp_path: Path
) -> None:
    sign_in(page, "zhang.san")
    page.get_by_role("link", name="Service matters").first.click()
    page.get_by_label("Search the catalogue").fill("catch-up")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="Contribution catch-up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Contribution catch-up")
    expect(page.get_by_text("Who may apply")).to_be_visible()
    page.get_by_role("link", name="Apply online").click()
    wait_for_form(page)
    fill_form(page, SHORT_GAP)
    page.get_by_role("button", name="Submit application").click()

    page.wait_for_url(CASE_PAGE)
    expect(page.get_by_test_id("case-status")).to_have_text("Approved")
    case_number = page.get_by_test_id("case-number").inner_text()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the decision").click()
    notice = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(notice)
    text = notice.read_text(encoding="utf-8")
    assert case_number in notice.name and case_number in text
    assert re.search(r'data-testid="decision">\s*Approved\s*<', text), text


def test_the_catalogue_is_in_chinese_unless_asked_otherwise(
    context: BrowserContext, live_server: LiveServer
) -> None:
    """No Accept-Language at all (a bare HTTP client) gets zh-CN, the default of API.md."""
    response = context.request.get(live_server.url("/"), headers={"Accept-Language": ""})
    assert response.ok
    body = response.text()
    assert '<html lang="zh-CN"' in body and "补缴社会保险费" in body


def _without_client_checks(route: Route) -> None:
    """Serve the apply page with form-js's own checks removed, as an old or tampered page would be.

    Only the server's checks are then left between the typed data and the engine.
    """
    page = route.fetch()
    body = page.text()

    def relax(found: re.Match[str]) -> str:
        schema: dict[str, Any] = json.loads(found.group(2))
        for component in schema.get("components", []):
            component.pop("validate", None)
        return found.group(1) + json.dumps(schema) + found.group(3)

    relaxed = re.sub(r'(<script type="application/json"[^>]*>)(.*?)(</script>)', relax, body, flags=re.S)
    route.fulfill(response=page, body=relaxed)


def test_invalid_input_shows_field_errors_and_keeps_what_was_typed(page: Page) -> None:
    sign_in(page, "zhang.san")
    page.goto("/matters/catchup-contribution/apply")
    wait_for_form(page)
    typed = {**SHORT_GAP, ID_NUMBER: "12345", FROM_MONTH: "2026-13", NAME: "", MONTHLY_BASE: "0"}
    fill_form(page, typed)
    page.get_by_role("button", name="Submit application").click()

    for label in (ID_NUMBER, FROM_MONTH, NAME, MONTHLY_BASE):
        field = form_field(page, label)
        expect(field.locator(".fjs-form-field-error")).not_to_be_empty()
        expect(page.get_by_label(label).first).to_have_attribute("aria-invalid", "true")
    for label in (ID_NUMBER, FROM_MONTH, MONTHLY_BASE):
        expect(page.get_by_label(label).first).to_have_value(typed[label])
    assert page.url.endswith("/apply")
    page.goto("/cases")
    expect(page.get_by_text("You have not applied for anything yet.")).to_be_visible()


def test_the_server_checks_again_and_its_errors_name_the_fields(page: Page) -> None:
    page.route("**/matters/*/apply", _without_client_checks)
    sign_in(page, "zhang.san")
    page.goto("/matters/catchup-contribution/apply")
    wait_for_form(page)
    fill_form(page, {**SHORT_GAP, ID_NUMBER: "12345", FROM_MONTH: "2026-13"})
    page.get_by_role("button", name="Submit application").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(ID_NUMBER)
    expect(summary).to_contain_text(FROM_MONTH)
    expect(summary).not_to_contain_text("id_number")
    for label in (ID_NUMBER, FROM_MONTH):
        expect(form_field(page, label).locator(".fjs-form-field-error")).not_to_be_empty()
        expect(page.get_by_label(label).first).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(NAME).first).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(ID_NUMBER).first).to_have_value("12345")
    expect(page.get_by_label(FROM_MONTH).first).to_have_value("2026-13")
    assert page.url.endswith("/apply")


def _with_a_key_the_form_lacks(route: Route) -> None:
    """Send the application with one more key than the form has, as a tampered page would."""
    body = json.loads(route.request.post_data or "{}")
    body["data"]["discount"] = "100%"
    route.continue_(post_data=json.dumps(body))


def test_an_error_that_belongs_to_no_field_is_shown_without_a_label(page: Page) -> None:
    sign_in(page, "zhang.san")
    page.goto("/matters/catchup-contribution/apply")
    wait_for_form(page)
    page.route("**/matters/*/apply", _with_a_key_the_form_lacks)
    fill_form(page, SHORT_GAP)
    page.get_by_role("button", name="Submit application").click()

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("listitem")).to_have_text(["Unknown field."])
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)


def test_another_applicant_opening_the_case_address_gets_a_404_page(
    page: Page, context: BrowserContext
) -> None:
    case = apply_by_api(context.request, "zhang.san", LONG_GAP_DATA)
    context.clear_cookies()

    sign_in(page, "li.na")
    for path in (f"/cases/{case['id']}", f"/cases/{case['id']}/diagram.json"):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
    page.goto(f"/cases/{case['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_text(case["number"])).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_materials_chosen_with_the_application_arrive_with_the_case(page: Page, tmp_path: Path) -> None:
    """The guide's list of materials is on the apply page, and the files chosen there are on the
    case page once the application is in; a file the site does not take is named as refused,
    while the application itself stands."""
    payslips = tmp_path / "工资发放记录.pdf"
    payslips.write_bytes(PDF)
    sign_in(page, "zhang.san")
    page.goto("/matters/catchup-contribution/apply")
    wait_for_form(page)
    expect(page.get_by_role("heading", name="Materials")).to_be_visible()
    expect(page.get_by_text("This matter asks for:")).to_be_visible()
    fill_form(page, LONG_GAP)
    page.get_by_label("Add PDF, JPEG or PNG files").set_input_files(payslips)
    page.get_by_role("button", name="Submit application").click()

    page.wait_for_url(CASE_PAGE)
    expect(page.get_by_role("link", name="工资发放记录.pdf")).to_be_visible()

    script = tmp_path / "payslips.exe"
    script.write_bytes(b"MZ\x90\x00not a document")
    page.goto("/matters/catchup-contribution/apply")
    wait_for_form(page)
    fill_form(page, LONG_GAP)
    page.get_by_label("Add PDF, JPEG or PNG files").set_input_files(script)
    page.get_by_role("button", name="Submit application").click()

    page.wait_for_url(re.compile(r"/cases/[0-9a-f]+\?materials=refused$"))
    expect(page.get_by_role("alert")).to_contain_text("were not accepted")
    expect(page.get_by_text("No materials yet.")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("In progress")


def test_an_empty_dropdown_asks_in_the_pages_language(page: Page) -> None:
    """form-js writes "Select" in every language; the page draws its own word over it."""
    sign_in(page, "zhang.san")
    shown: dict[str, str] = {}
    for language in ("zh", "en"):
        page.goto(f"/matters/catchup-contribution/apply?lang={language}")
        wait_for_form(page)
        empty = page.locator(".fjs-select-display.fjs-select-placeholder").first
        shown[language] = empty.evaluate("element => getComputedStyle(element, '::before').content")
    assert shown == {"zh": '"请选择"', "en": '"Select"'}
