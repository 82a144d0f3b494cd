"""The reviewers' side in a real browser, with the applicant answering a return in between.

Issue 6, scenario 2: an application past the instant window is returned by the acceptance
reviewer, supplemented by the applicant, accepted, approved by a second reviewer (review has
`differentDeciderFrom="acceptance"`), and the applicant's diagram then shows every step done.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.pages import CASE_PAGE, LONG_GAP, MONTHLY_BASE, fill_form, sign_in, sign_out, wait_for_form

# The path an application of more than 3 months takes to approval (processes/catchup-contribution).
APPROVAL_PATH = (
    "start", "compute_amount", "decide_instant", "instant_gateway", "acceptance", "acceptance_gateway",
    "review", "review_gateway", "set_approved", "end_approved",
)  # fmt: skip
OFF_PATH = ("approve_instantly", "end_approved_instantly", "set_rejected", "end_rejected")
DONE = re.compile(r"\bmf-completed\b")  # the marker web/static/js/diagram.js sets on a done step


def _open_waiting_task(page: Page) -> str:
    """From the inbox, open the one task waiting to be claimed; returns the task page's address."""
    page.goto("/workbench")
    expect(page.get_by_test_id("count-available")).to_have_text("1")
    waiting = page.locator("section", has=page.get_by_role("heading", name="Waiting to be claimed"))
    waiting.get_by_role("link").first.click()
    page.wait_for_url("**/workbench/tasks/*")
    return page.url


def _decide(page: Page, decision: str, comment: str) -> None:
    """Claim the open task page's task and record a decision with the task's own form."""
    page.get_by_role("button", name="Claim this task").click()
    expect(page.get_by_role("button", name="Release")).to_be_visible()
    wait_for_form(page)
    page.get_by_role("radio", name=decision).check()
    page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url("**/workbench")
    expect(page.get_by_test_id("count-mine")).to_have_text("0")


def test_return_supplement_and_approval_by_two_reviewers_then_every_step_is_marked_done(
    page: Page,
) -> None:
    sign_in(page, "zhang.san")
    page.goto("/matters/catchup-contribution/apply")
    wait_for_form(page)
    fill_form(page, LONG_GAP)
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url(CASE_PAGE)
    case_page = page.url
    case_number = page.get_by_test_id("case-number").inner_text()
    expect(page.get_by_test_id("case-status")).to_have_text("In progress")
    sign_out(page)

    sign_in(page, "li.si")
    _open_waiting_task(page)
    expect(page.get_by_text("2026-01")).to_be_visible()  # the application is shown to decide on
    _decide(page, "Return for supplement", "请补充2026年1月至7月的工资发放记录")
    expect(page.get_by_test_id("count-available")).to_have_text("0")
    sign_out(page)

    sign_in(page, "zhang.san")
    page.get_by_role("link", name="My cases").click()
    expect(page.get_by_role("row", name=case_number)).to_contain_text("Waiting for you")
    page.get_by_role("link", name=case_number).click()
    expect(page.get_by_test_id("case-status")).to_have_text("Waiting for you")
    expect(page.get_by_text("请补充2026年1月至7月的工资发放记录").first).to_be_visible()
    wait_for_form(page)
    fill_form(page, {MONTHLY_BASE: "5200"})
    page.get_by_role("button", name="Send the supplement").click()
    expect(page.get_by_test_id("case-status")).to_have_text("In progress")
    sign_out(page)

    sign_in(page, "li.si")
    _open_waiting_task(page)
    expect(page.get_by_text("5200").first).to_be_visible()
    _decide(page, "Approve", "材料齐全，予以受理")
    sign_out(page)

    sign_in(page, "wang.wu")
    _open_waiting_task(page)
    _decide(page, "Approve", "同意补缴")
    sign_out(page)

    sign_in(page, "zhang.san")
    page.goto(case_page)
    expect(page.get_by_test_id("case-status")).to_have_text("Approved")
    diagram = page.locator("[data-diagram]")
    expect(diagram).to_have_attribute("data-ready", "true")
    for element in APPROVAL_PATH:
        expect(diagram.locator(f'g.djs-shape[data-element-id="{element}"]')).to_have_class(DONE)
    for element in OFF_PATH:
        expect(diagram.locator(f'g[data-element-id="{element}"].mf-completed')).to_have_count(0)
    expect(diagram.locator(".mf-active, .mf-upcoming")).to_have_count(0)
