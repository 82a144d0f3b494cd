"""/login and /logout: the page session (a server-side token in the signed cookie), with CSRF."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from engine.errors import Throttled, Unauthenticated
from engine.services import accounts
from web.auth import SESSION_TOKEN, client_ip
from web.context import engine
from web.error_texts import error_text

blueprint = Blueprint("session_pages", __name__)
# Browsers drop control characters from addresses and read a backslash as a slash, so
# "/<tab>/evil.example" and "/\evil.example" both lead off-site: remove them before checking.
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> str | WerkzeugResponse | tuple[str, int]:
    if request.method == "GET":
        return render_template("session/login.html", error=None)
    username = request.form.get("username", "")[:64]
    try:
        grant = accounts.sign_in(
            engine(),
            username=username,
            password=request.form.get("password", ""),
            ip=client_ip(),
            kind="session",
        )
    except (Unauthenticated, Throttled) as refused:
        status = 429 if isinstance(refused, Throttled) else 401
        error = error_text(refused.code, refused.message, status, refused.params)
        return render_template("session/login.html", error=error, username=username), status
    session.clear()  # a new session id on sign-in: no fixation
    session[SESSION_TOKEN] = grant.token
    session.permanent = True
    return redirect(_safe_next(request.args.get("next")))


@blueprint.post("/logout")
def logout() -> WerkzeugResponse:
    token = session.get(SESSION_TOKEN)
    if token:
        accounts.sign_out(engine(), token, ip=client_ip())
    session.clear()
    return redirect(url_for("portal.index"))


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would let a phishing link borrow our sign-in page.

    The cleaned text itself must start with exactly one slash: urlsplit reads "///evil.example"
    as the path "/evil.example", where a browser goes to the host evil.example.
    """
    cleaned = _IGNORED_BY_BROWSERS.sub("", target or "")
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or not cleaned.startswith("/") or cleaned.startswith("//"):
        return url_for("portal.index")
    return cleaned
