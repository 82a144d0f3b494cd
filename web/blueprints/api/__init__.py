"""The JSON API under /api/v1 (API.md), described by the OpenAPI document it generates.

Each module is one resource: a flask-smorest blueprint (web/blueprints/api/boundary.py) whose
routes are all in /api/v1/openapi.json, built from the same marshmallow schemas that load their
input and dump their answers. Adding an endpoint to a resource:

    @cases.post("/cases/<case_id>/withdraw")
    @cases.arguments(FormData)              # the JSON body (location="query" for ?a=b)
    @cases.response(200, CaseSchema)        # the answer, dumped with the schema
    @cases.refuses(403, 404, 409)           # its error answers; 401 and the bearer token come with it
    def withdraw_case(body: dict[str, Any], case_id: str) -> CaseView: ...

`refuses` is the one line to write by hand (signed_in=False for public endpoints); a new
resource module is added to RESOURCES below. tests/web/test_openapi.py fails for a route missing
from the document; docs/api.md says more; /api/v1/docs shows the document to people.
"""

from __future__ import annotations

from flask import Flask

from web.blueprints.api import auth, cases, matters, messages, notifications, tasks
from web.blueprints.api.boundary import ApiBlueprint, MatterflowApi

RESOURCES: tuple[ApiBlueprint, ...] = (
    matters.blueprint,
    auth.blueprint,
    cases.blueprint,
    tasks.blueprint,
    notifications.blueprint,
    messages.blueprint,
)


def register(app: Flask) -> None:
    """Serve the API and its document (/api/v1/openapi.json). The app's own error handlers must
    be registered after this (web/__init__.py): flask-smorest registers one for HTTP errors."""
    app.config.update(
        API_TITLE="matterflow API",
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = MatterflowApi(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for resource in RESOURCES:
        api.register_blueprint(resource)
