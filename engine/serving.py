"""Run the web app by name, so the engine never imports web: gunicorn where it is installed
(Linux, macOS), Flask's development server otherwise."""

from __future__ import annotations

import subprocess
import sys

APP = "web:create_app()"


def serve_app(*, host: str, port: int, workers: int) -> None:
    try:
        from gunicorn.app.wsgiapp import WSGIApplication  # noqa: PLC0415 - optional: absent on Windows
    except ImportError:
        flask = [sys.executable, "-m", "flask", "--app", APP, "run", "--host", host, "--port", str(port)]
        raise SystemExit(subprocess.call(flask)) from None
    sys.argv = [
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        APP,
    ]
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
