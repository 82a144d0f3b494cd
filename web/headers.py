"""Security headers on every answer, and cookies that are Secure whenever the site is reached
over HTTPS.

The Content-Security-Policy lets pages run only the site's own scripts and styles (the bpmn.io
bundles are served from web/static/vendor): no inline script, style or style attribute, no
framing, no plugin, forms posted only here. X-Frame-Options and X-Content-Type-Options say the
same to older browsers; Referrer-Policy keeps addresses (which hold case ids) from other sites.

Behind a reverse proxy, MATTERFLOW_TRUSTED_PROXIES=N (the number of proxies in front) makes the
app believe their X-Forwarded-For and X-Forwarded-Proto, so the client's address (for throttling
sign-ins) and HTTPS are seen as the client has them. MATTERFLOW_SECURE_COOKIES: "auto" (the
default) marks cookies Secure when the request came over HTTPS, "1" always (TLS ends somewhere
that does not say so), "0" never (plain-HTTP development on another machine).
"""

from __future__ import annotations

import os

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"


def cookies_secure(config_value: str, incoming: Request) -> bool:
    """Whether a cookie set in answer to `incoming` is marked Secure (see the module's text)."""
    return config_value == "1" or (config_value != "0" and incoming.is_secure)


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure as cookies_secure says for each request."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return cookies_secure(app.config["MATTERFLOW_SECURE_COOKIES"], request)


def _secured(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def register(app: Flask) -> None:
    proxies = int(os.environ.get("MATTERFLOW_TRUSTED_PROXIES", "0") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.session_interface = _SessionInterface()
    app.after_request(_secured)
