"""Keyboard only: applying and deciding with Tab, Enter and typing; focus that can be seen; the
diagram's licence link reachable and not hidden inside an image."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.e2e.pages import (
    CASE_PAGE,
    FROM_MONTH,
    ID_NUMBER,
    LONG_GAP_DATA,
    MONTHLY_BASE,
    NAME,
    REASON,
    SHORT_GAP,
    TO_MONTH,
    apply_by_api,
    bearer,
    fill_form,
    form_field,
    sign_in,
    wait_for_form,
)

COMMENT = "材料齐全，予以受理"
# The contrast a focus indicator needs against what surrounds it (WCAG 2.2, 1.4.11 and 2.4.13).
FOCUS_CONTRAST = 3.0
# The focused element's outline, or its field wrapper's where form-js draws it (:focus-within),
# and the colour behind it.
FOCUS_STYLE = """focused => {
  const drawn = e => getComputedStyle(e).outlineStyle !== "none";
  const wrapper = focused.closest(".fjs-input-group, .fjs-taglist");
  const element = drawn(focused) || !wrapper ? focused : wrapper;
  const style = getComputedStyle(element);
  const rgb = text => (text.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  let around = element.parentElement;
  while (around && getComputedStyle(around).backgroundColor.match(/rgba\\(.*, 0\\)|transparent/)) {
    around = around.parentElement;
  }
  return { width: parseFloat(style.outlineWidth), style: style.outlineStyle, outline: rgb(style.outlineColor),
           background: around ? rgb(getComputedStyle(around).backgroundColor) : [255, 255, 255] };
}"""


def _tab_to(page: Page, target: Locator, presses: int = 60) -> None:
    """Press Tab until `target` has focus, as someone without a mouse moves through a page."""
    for _ in range(presses):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} was not reached with {presses} presses of Tab")


def _contrast(one: list[float], other: list[float]) -> float:
    """WCAG's contrast ratio of two sRGB colours (0-255 channels)."""

    def luminance(rgb: list[float]) -> float:
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_an_applicant_applies_with_the_keyboard_alone(page: Page) -> None:
    sign_in(page, "zhang.san")
    page.goto("/matters/catchup-contribution/apply")
    wait_for_form(page)
    for label in (ID_NUMBER, NAME, FROM_MONTH, TO_MONTH, MONTHLY_BASE):
        _tab_to(page, page.get_by_label(label, exact=False).first)
        page.keyboard.type(SHORT_GAP[label])
    # form-js opens the list on focus with its first option, the one wanted, highlighted
    _tab_to(page, page.get_by_label(REASON, exact=False).first)
    page.keyboard.press("Enter")
    expect(form_field(page, REASON).locator(".fjs-select-display")).to_have_text(SHORT_GAP[REASON])
    _tab_to(page, page.get_by_role("button", name="Submit application"))
    page.keyboard.press("Enter")

    page.wait_for_url(CASE_PAGE)
    expect(page.get_by_test_id("case-status")).to_have_text("Approved")


def test_enter_in_the_field_typed_last_sends_the_form_with_what_was_just_typed(page: Page) -> None:
    sign_in(page, "zhang.san")
    page.goto("/matters/catchup-contribution/apply")
    wait_for_form(page)
    fill_form(page, {label: value for label, value in SHORT_GAP.items() if label != MONTHLY_BASE})
    page.get_by_label(MONTHLY_BASE, exact=False).first.focus()
    page.keyboard.type(SHORT_GAP[MONTHLY_BASE])
    page.keyboard.press("Enter")  # at once: within form-js's 300 ms wait before it counts typing

    page.wait_for_url(CASE_PAGE)
    expect(page.get_by_test_id("case-status")).to_have_text("Approved")


def test_a_reviewer_claims_and_decides_with_the_keyboard_alone(page: Page, context: BrowserContext) -> None:
    case = apply_by_api(context.request, "zhang.san", LONG_GAP_DATA)
    context.clear_cookies()
    sign_in(page, "li.si")
    page.goto("/workbench")
    _tab_to(page, page.get_by_role("link", name=case["number"]))
    page.keyboard.press("Enter")
    page.wait_for_url("**/workbench/tasks/*")
    expect(page.get_by_role("button", name="Claim this task")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Release")).to_be_visible()
    wait_for_form(page)
    _tab_to(page, page.get_by_role("radio", name="Approve"))
    page.keyboard.press("Space")
    _tab_to(page, page.get_by_label("Comment"))
    page.keyboard.type(COMMENT)
    _tab_to(page, page.get_by_role("button", name="Save the decision"))
    page.keyboard.press("Enter")

    page.wait_for_url("**/workbench")
    headers = bearer(context.request, "li.si")
    timeline = context.request.get(f"/api/v1/cases/{case['id']}", headers=headers).json()["timeline"]
    decided = [(e["decision"], e["comment"]) for e in timeline if e["kind"] == "task_completed"]
    assert decided == [("approve", COMMENT)]


@pytest.mark.parametrize("address", ["/", "/matters/catchup-contribution/apply"])
def test_focus_can_be_seen_on_everything_tab_reaches(page: Page, address: str) -> None:
    sign_in(page, "zhang.san")
    page.goto(address)
    if "apply" in address:
        wait_for_form(page)
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if not focused.count() or not focused.is_visible():
            continue
        look = focused.evaluate(FOCUS_STYLE)
        name = focused.evaluate("element => element.outerHTML.slice(0, 80)")
        assert look["style"] != "none" and look["width"] >= 2, name
        assert _contrast(look["outline"], look["background"]) >= FOCUS_CONTRAST, (name, look)
        seen += 1
    assert seen >= 10


def test_the_diagrams_licence_link_is_visible_reachable_and_outside_the_image(
    page: Page, context: BrowserContext
) -> None:
    case = apply_by_api(context.request, "zhang.san", LONG_GAP_DATA)
    sign_in(page, "zhang.san")
    page.goto(f"/cases/{case['id']}")
    diagram = page.locator("[data-diagram]")
    expect(diagram).to_have_attribute("data-ready", "true")

    link = diagram.locator("a.bjs-powered-by")
    expect(link).to_be_visible()
    _tab_to(page, link)
    assert link.evaluate("element => element.closest('[role=img]') === null")
    expect(page.get_by_role("img", name="The procedure of this matter", exact=False)).to_have_count(1)
