"""Retake the README's screenshots: the catalogue, a case with its diagram, the reviewer inbox,
the API reference.

    python scripts/screenshots.py [--out docs/screenshots]

Builds a fresh SQLite demo database in a temporary folder (the organisations, accounts and
sample cases of `matterflow demo`), serves the site on a free port of 127.0.0.1 and drives
Debian's /usr/bin/chromium (scripts/ensure-browser) through Playwright, in zh-CN and en, at
desktop width and one catalogue at phone width. Nothing of the real instance/ is touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

try:
    from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright
except ImportError:  # run with a python outside the project's venv: use the venv's instead
    if VENV_PYTHON.exists() and Path(sys.executable) != VENV_PYTHON:
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])
    raise

sys.path.insert(0, str(ROOT))  # for tests.e2e.live, shared with the browser tests

from engine import Engine, build_engine  # noqa: E402
from engine.actors import SYSTEM, Actor  # noqa: E402
from engine.demo import CATCH_UP, load_demo  # noqa: E402
from engine.services import accounts, cases, catalogue, tasks  # noqa: E402
from engine.settings import Settings  # noqa: E402
from tests.e2e.live import CHROMIUM, LiveServer, launch_chromium, serve  # noqa: E402
from web import create_app  # noqa: E402

DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)
LANGUAGES = {"zh": "zh-CN", "en": "en-US"}


@dataclass(frozen=True)
class Demo:
    """The demo site's people (with their one-time passwords) and the case worth showing."""

    passwords: dict[str, str]
    case_id: str


def build_demo(folder: Path) -> tuple[Engine, Demo]:
    """A migrated SQLite database with the catalogue and `matterflow demo`'s data."""
    settings = Settings(database_url=f"sqlite:///{folder / 'demo.sqlite3'}", catalogue_root=ROOT)
    engine = build_engine(settings)
    engine.migrate()
    catalogue.sync_catalogue(engine, SYSTEM, ROOT)
    passwords = {a.username: a.password for a in load_demo(engine) if a.password}
    applicant = _actor(engine, "zhang.san", passwords)
    _more_work_for_acceptance(engine, applicant, _actor(engine, "li.si", passwords))
    return engine, Demo(passwords, _case_under_review(engine, applicant))


def _actor(engine: Engine, username: str, passwords: dict[str, str]) -> Actor:
    grant = accounts.sign_in(engine, username=username, password=passwords[username], ip="127.0.0.1")
    return accounts.actor_for_token(engine, grant.token)


def _more_work_for_acceptance(engine: Engine, applicant: Actor, acceptor: Actor) -> None:
    """A few more long catch-ups, one claimed: an inbox of one row would show little."""
    for first_month in ("2025-03", "2025-07", "2026-02"):
        started = cases.start_case(
            engine, applicant, matter="catchup-contribution", data={**CATCH_UP, "from_month": first_month}
        )
    tasks.claim_task(engine, acceptor, started.open_tasks[0].id)


def _case_under_review(engine: Engine, applicant: Actor) -> str:
    """The sample case that is accepted and waits at review: done, under way and to come at once."""
    for listed in cases.list_cases(engine, applicant):
        case = cases.get_case(engine, applicant, listed.id)
        if [task.element_id for task in case.open_tasks] == ["review"]:
            return case.id
    raise SystemExit("the demo data has no case waiting at review; engine/demo.py changed?")


def sign_in(page: Page, site: LiveServer, username: str, password: str) -> None:
    """Through the /login form; the fields are found by their ids, which do not change with the language."""
    page.goto(site.url("/login"))
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("form.login [type=submit]").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))


def shoot(driver: Playwright, site: LiveServer, demo: Demo, language: str, out: Path) -> list[Path]:
    """The desktop pages in one language, as the people who would see them."""
    browser = launch_chromium(driver, LANGUAGES[language])
    context = browser.new_context(locale=LANGUAGES[language], viewport=DESKTOP)
    page = context.new_page()
    taken = []
    page.goto(site.url("/"))
    taken.append(_save(page, out / f"catalogue-{language}.png"))

    sign_in(page, site, "zhang.san", demo.passwords["zhang.san"])
    page.goto(site.url("/matters/catchup-contribution/apply"))
    page.locator(".fjs-form").wait_for()
    taken.append(_save(page, out / f"apply-{language}.png"))
    page.goto(site.url(f"/cases/{demo.case_id}"))
    page.locator("[data-diagram][data-ready=true]").wait_for()
    taken.append(_save(page, out / f"case-{language}.png"))
    context.clear_cookies()

    sign_in(page, site, "li.si", demo.passwords["li.si"])
    page.goto(site.url("/workbench"))
    taken.append(_save(page, out / f"inbox-{language}.png"))
    context.close()
    if language == "zh":
        taken.append(_shoot_phone(browser, site, out))
    else:
        taken.append(shoot_reference(browser, site, out))
    browser.close()
    return taken


def shoot_reference(browser: Browser, site: LiveServer, out: Path) -> Path:
    """The API reference (/api/v1/docs), in English like the API itself: its first screen."""
    context = browser.new_context(locale="en-US", viewport=DESKTOP)
    page = context.new_page()
    page.goto(site.url("/api/v1/docs"))
    page.locator(".opblock").first.wait_for()
    page.wait_for_load_state("networkidle")
    path = out / "api-docs.png"
    page.screenshot(path=path)
    context.close()
    return path


def _shoot_phone(browser: Browser, site: LiveServer, out: Path) -> Path:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site.url("/"))
    path = _save(page, out / "catalogue-phone-zh.png")
    context.close()
    return path


def _save(page: Page, path: Path) -> Path:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=path, full_page=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: run scripts/ensure-browser (as root) first", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="matterflow-screenshots-") as folder:
        engine, demo = build_demo(Path(folder))
        app = create_app({"ENGINE": engine, "SECRET_KEY": os.urandom(32).hex()})
        with serve(app) as site, sync_playwright() as driver:
            taken = [path for lang in LANGUAGES for path in shoot(driver, site, demo, lang, args.out)]
        engine.close()
    for path in taken:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
