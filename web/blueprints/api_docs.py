"""/api/v1/docs: the API reference, Swagger UI reading /api/v1/openapi.json, served from the
site itself (web/static/vendor/swagger-ui, from npm) under the site's Content-Security-Policy,
which allows no inline script or style (web/headers.py)."""

from __future__ import annotations

from flask import Blueprint, render_template

blueprint = Blueprint("api_docs", __name__)


@blueprint.get("/api/v1/docs")
def reference() -> str:
    return render_template("api/docs.html")
