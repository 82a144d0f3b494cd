"""Real headless Chromium against the app served over HTTP, on the shared `loaded` engine.

Each test gets a fresh database (SQLite and PostgreSQL, from tests/conftest.py) with the demo
organisations and accounts, the app on a free port of 127.0.0.1, and a fresh browser context
in English (labels are then the stable msgids, not translations that are still changing).
The browser itself is launched once per test process. Any request that leaves 127.0.0.1
fails the test: the site must work without a CDN. So does an uncaught script error, and so does
anything the site's Content-Security-Policy blocks (a `securitypolicyviolation` event on any
page): the pages run with the policy on, as everywhere.

Chromium is Debian's /usr/bin/chromium (scripts/ensure-browser installs it). Without it the
tests skip locally and fail under CI=true, like the PostgreSQL ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, sync_playwright

from engine import Engine
from engine.actors import SYSTEM
from engine.demo import ACCOUNTS, ORGANISATIONS
from engine.services import accounts, organisations
from tests.conftest import IN_CI
from tests.e2e.live import CHROMIUM, LiveServer, launch_chromium, serve
from tests.e2e.pages import PASSWORD
from web import create_app

# Someone with an account of their own, to open zhang.san's case (engine/demo.py has one applicant).
NEIGHBOUR = ("li.na", ("applicant",), "110105", (), "440524188001010014", "李娜")
# Generous: eight test processes on two cores make a page that answers in 0.1 s alone take
# seconds; a wait is for what a person would see happen, not a speed target (bench/ has those).
TIMEOUT_MS = 60_000
# Each page reports what its Content-Security-Policy blocked, through a binding to the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.mfViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


@pytest.fixture
def site(loaded: Engine) -> Engine:
    """The demo organisations and accounts of engine/demo.py, all with PASSWORD, and a neighbour."""
    for code, name, parent in ORGANISATIONS:
        organisations.add_organisation(loaded, SYSTEM, code=code, name=name, parent=parent)
    for username, roles, org, posts, identity, name in (*ACCOUNTS, NEIGHBOUR):
        accounts.create_account(
            loaded,
            SYSTEM,
            username=username,
            password=PASSWORD,
            roles=roles,
            org_code=org,
            posts=posts,
            identity=identity,
            display_name=name,
        )
    return loaded


@pytest.fixture
def live_server(site: Engine) -> Iterator[LiveServer]:
    """The app as a browser meets it: a real port, real cookies, CSRF on, no TESTING shortcuts."""
    app = create_app({"ENGINE": site, "SECRET_KEY": "e2e-secret"})
    with serve(app) as server:
        yield server


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (scripts/ensure-browser installs Debian's chromium)"
        if IN_CI:
            pytest.fail(f"the browser tests need Chromium under CI: {reason}", pytrace=False)
        pytest.skip(f"{reason}; set CI=true to make this a failure")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """One headless Chromium per test process; each test gets its own context (cookies, storage)."""
    launched = launch_chromium(playwright_driver)
    yield launched
    launched.close()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A fresh profile in English that refuses to talk to anything but the live server."""
    opened = browser.new_context(
        base_url=live_server.base_url,
        locale="en-US",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    opened.set_default_timeout(TIMEOUT_MS)
    outside: list[str] = []
    local = urlsplit(live_server.base_url).netloc

    def keep_local(route: Route) -> None:
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    opened.route("**/*", keep_local)
    violations: list[str] = []
    opened.expose_binding("mfViolation", lambda source, report: violations.append(report))
    opened.add_init_script(REPORT_VIOLATIONS)
    yield opened
    opened.close()
    assert not outside, f"the pages asked for something outside the site: {outside}"
    assert not violations, f"the Content-Security-Policy blocked: {violations}"


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A tab of the fresh context; an uncaught script error on any page fails the test."""
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(f"{opened.url}: {error}"))
    yield opened
    assert not errors, f"script errors on the pages: {errors}"
