"""At phone width (390 CSS px, a common phone) pages fit: wide tables scroll inside themselves
instead of making the whole page scroll sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.pages import LONG_GAP_DATA, apply_by_api, decide_by_api, sign_in

PHONE = {"width": 390, "height": 844}


def _overflow(page: Page) -> int:
    """How many CSS px the page is wider than the screen (0 or less when nothing sticks out)."""
    width: int = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    return width


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_case_page_and_my_cases_fit_a_phone(page: Page, context: BrowserContext, language: str) -> None:
    case = apply_by_api(context.request, "zhang.san", LONG_GAP_DATA)
    page.set_viewport_size(PHONE)
    sign_in(page, "zhang.san")

    page.goto(f"/cases?lang={language}")
    expect(page.get_by_role("link", name=case["number"])).to_be_visible()
    assert _overflow(page) <= 0
    page.goto(f"/cases/{case['id']}?lang={language}")
    expect(page.locator("[data-diagram]")).to_have_attribute("data-ready", "true")
    assert _overflow(page) <= 0


def test_the_inbox_and_a_task_with_earlier_decisions_fit_a_phone(page: Page, context: BrowserContext) -> None:
    case = apply_by_api(context.request, "zhang.san", LONG_GAP_DATA)
    decide_by_api(context.request, "li.si", case, "approve")
    page.set_viewport_size(PHONE)
    sign_in(page, "wang.wu")

    page.goto("/workbench?lang=en")
    link = page.get_by_role("link", name=case["number"])
    expect(link).to_be_visible()
    assert _overflow(page) <= 0
    link.click()
    expect(page.get_by_role("group", name="Earlier decisions")).to_be_visible()
    assert _overflow(page) <= 0
    expect(page.locator("[data-diagram]")).to_have_attribute("data-ready", "true")
    assert _overflow(page) <= 0
