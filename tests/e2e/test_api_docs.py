"""The API reference page: Swagger UI from the site itself shows every endpoint of the OpenAPI
document, under a Content-Security-Policy that allows no inline script or style."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

VIOLATIONS = """() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
}"""


def test_the_reference_lists_every_endpoint_without_breaking_the_policy(
    page: Page, context: BrowserContext
) -> None:
    document = context.request.get("/api/v1/openapi.json").json()
    page.add_init_script(f"({VIOLATIONS})()")

    page.goto("/api/v1/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    shown = operations.count()

    described = sum(1 for ops in document["paths"].values() for method in ops if method != "parameters")
    assert shown == described
    expect(page.get_by_text("/api/v1/cases/{case_id}/withdraw")).to_be_visible()
    assert page.evaluate("window.__violations") == []
