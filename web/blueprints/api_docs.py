"""/api/v1/docs: the API reference, Swagger UI reading /api/v1/openapi.json, served from the
site itself (web/static/vendor/swagger-ui, from npm) under a Content-Security-Policy that allows
no inline script or style."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

blueprint = Blueprint("api_docs", __name__)
POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


@blueprint.get("/api/v1/docs")
def reference() -> Response:
    response = Response(render_template("api/docs.html"))
    response.headers["Content-Security-Policy"] = POLICY
    return response
