"""A real HTTP server for the app and Debian's Chromium, shared by tests/e2e and scripts/screenshots.py.

The browser is the distribution's /usr/bin/chromium (scripts/ensure-browser installs it):
Playwright never downloads one of its own here, since these machines reach only the package
registries.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox: the tests run as root in a container, where Chromium's sandbox cannot start.
# The rest keep a headless run quiet and offline: no updates, sync or first-run pages.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request: a failing test's output should show the app's own logs."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass(frozen=True)
class LiveServer:
    """Where the app answers; `url("/cases")` gives an absolute address for page.goto."""

    base_url: str

    def url(self, path: str = "/") -> str:
        return self.base_url + path


@contextmanager
def serve(app: Flask, host: str = "127.0.0.1") -> Iterator[LiveServer]:
    """Serve `app` on a free port in a thread (threaded=True: the page's scripts fetch in parallel)."""
    server = make_server(host, 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://{host}:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def launch_chromium(playwright: Playwright, language: str | None = None) -> Browser:
    """Headless Debian Chromium through Playwright's executable_path.

    `language` (e.g. "zh-CN") is the browser's own UI language, which a context's locale does not
    change: the file picker's button and the date field's placeholder follow it. On Linux Chromium
    reads it from LANGUAGE, and needs Debian's chromium-l10n for any but en-US.
    """
    if language is None:
        return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, f"--lang={language}"],
        env={**os.environ, "LANGUAGE": language.replace("-", "_")},
        headless=True,
    )
