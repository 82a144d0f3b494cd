"""The JSON API under /api/v1 (see API.md)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

from web.blueprints.api import (  # noqa: E402,F401  (routes register on import)
    auth,
    cases,
    matters,
    messages,
    notifications,
    openapi,
    tasks,
)
