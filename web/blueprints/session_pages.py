"""/login and /logout: the page session (a server-side token in the signed cookie), with CSRF;
/unlock, the owner's way into an account that guessing strangers locked, and /account/password."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as WerkzeugResponse

from engine.errors import InputInvalid, Throttled, Unauthenticated
from engine.services import accounts, lockout
from web.auth import SESSION_TOKEN, client_ip, page_actor
from web.context import engine
from web.error_texts import error_text, page_fields

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


@blueprint.route("/unlock", methods=["GET", "POST"])
def unlock() -> str | WerkzeugResponse | tuple[str, int]:
    """The one-time code from the notice sent when the account was locked ends the lock."""
    if request.method == "GET":
        return render_template("session/unlock.html", error=None, username=request.args.get("username", ""))
    username = request.form.get("username", "")[:64]
    try:
        lockout.unlock_with_code(
            engine(), username=username, code=request.form.get("code", ""), ip=client_ip()
        )
    except (Unauthenticated, Throttled) as refused:
        status = 429 if isinstance(refused, Throttled) else 401
        error = error_text(refused.code, refused.message, status, refused.params)
        return render_template("session/unlock.html", error=error, username=username), status
    flash(gettext("Your account is unlocked: sign in."))
    return redirect(url_for("session_pages.login"))


@blueprint.route("/account/password", methods=["GET", "POST"])
def change_password() -> str | WerkzeugResponse | tuple[str, int]:
    """The signed-in owner's new password, held to the same rules as everywhere (passwords.py)."""
    actor = page_actor()
    if not actor.roles:
        return redirect(url_for("session_pages.login", next=request.path))
    if request.method == "GET":
        return render_template("session/password.html", fields={})
    try:
        accounts.change_password(
            engine(),
            actor,
            current=request.form.get("current_password", ""),
            new=request.form.get("new_password", ""),
            keep_token=session.get(SESSION_TOKEN),
        )
    except InputInvalid as refused:
        return render_template("session/password.html", fields=page_fields(refused.fields)), 422
    flash(gettext("Your password has been changed; your other sign-ins have ended."))
    return redirect(url_for("portal.index"))


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
