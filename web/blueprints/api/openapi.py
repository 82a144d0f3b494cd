"""GET /openapi.json: the API described from the same marshmallow schemas the views use.

apispec turns the schemas into OpenAPI components, so a field added to a schema shows up here
without a second edit; tests/web/test_openapi.py checks that every route is described.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Response, jsonify

from web.blueprints.api import blueprint
from web.schemas import inputs
from web.schemas.cases import CaseSchema, CaseSummarySchema, InboxTaskSchema, TaskSchema
from web.schemas.matters import MatterSummarySchema
from web.schemas.messages import MessageReceiptSchema, MessageSchema
from web.schemas.notifications import NotificationQuery, NotificationSchema

BEARER: list[dict[str, list[str]]] = [{"bearer": []}]


def _errors(*codes: int) -> dict[str, Any]:
    described = {
        400: "bad request",
        401: "no valid bearer token",
        403: "not allowed",
        404: "not found or not visible",
        409: "conflict with another request",
        422: "invalid input, with field errors",
        429: "throttled",
    }
    return {
        str(code): {"description": described[code], "content": {"application/json": {"schema": "Error"}}}
        for code in codes
    }


def _json(schema: str | dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


PATHS: dict[str, dict[str, Any]] = {
    "/matters": {
        "get": {
            "summary": "The published catalogue",
            "responses": {
                "200": _json(
                    {"type": "object", "properties": {"matters": {"type": "array", "items": "MatterSummary"}}}
                )
            },
        }
    },
    "/matters/{code}": {
        "get": {
            "summary": "A matter's service guide, start form and current version",
            "parameters": [_path("code")],
            "responses": {"200": _json({"type": "object"}), **_errors(404)},
        }
    },
    "/auth/token": {
        "post": {
            "summary": "Sign in; returns a bearer token",
            "requestBody": _body("TokenRequest"),
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "token": {"type": "string"},
                            "expires_at": {"type": "string", "format": "date-time"},
                        },
                    }
                ),
                **_errors(401, 422, 429),
            },
        }
    },
    "/auth/logout": {
        "post": {
            "summary": "Revoke the bearer token",
            "security": BEARER,
            "responses": {"204": {"description": "revoked"}},
        }
    },
    "/auth/unlock": {
        "post": {
            "summary": "Unlock an account with the one-time code its owner was sent when it was locked",
            "requestBody": _body("UnlockRequest"),
            "responses": {"204": {"description": "unlocked"}, **_errors(401, 422, 429)},
        }
    },
    "/auth/password": {
        "post": {
            "summary": "Change one's own password; the account's other tokens are revoked",
            "security": BEARER,
            "requestBody": _body("PasswordChange"),
            "responses": {"204": {"description": "changed"}, **_errors(401, 422)},
        }
    },
    "/cases": {
        "post": {
            "summary": "Apply for a matter",
            "security": BEARER,
            "requestBody": _body("StartCase"),
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "schema": {"type": "string"},
                    "description": "a retry with the same key returns the first case; the same key with a "
                    "different application is 422",
                }
            ],
            "responses": {
                "201": _json("Case", "the case, decided or waiting"),
                **_errors(401, 403, 404, 422),
            },
        },
        "get": {
            "summary": "Cases visible to the caller, newest first",
            "security": BEARER,
            "parameters": [{"in": "query", "schema": "CaseQuery"}],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "cases": {"type": "array", "items": "CaseSummary"},
                            "page": {"type": "integer"},
                        },
                    }
                ),
                **_errors(401, 403, 422),
            },
        },
    },
    "/cases/{id}": {
        "get": {
            "summary": "A case with open tasks and timeline",
            "security": BEARER,
            "parameters": [_path("id")],
            "responses": {"200": _json("Case"), **_errors(401, 404)},
        }
    },
    "/cases/{id}/diagram": {
        "get": {
            "summary": "The BPMN of the case's version, activities marked completed, active or upcoming",
            "security": BEARER,
            "parameters": [_path("id")],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "xml": {"type": "string"},
                            "states": {"type": "object", "additionalProperties": {"type": "string"}},
                        },
                    }
                ),
                **_errors(401, 404),
            },
        }
    },
    "/cases/{id}/withdraw": {
        "post": {
            "summary": "Withdraw (owner; before any decision)",
            "security": BEARER,
            "parameters": [_path("id")],
            "responses": {"200": _json("Case"), **_errors(401, 403, 404, 409)},
        }
    },
    "/cases/{id}/supplement": {
        "post": {
            "summary": "Answer a return for supplement (owner)",
            "security": BEARER,
            "parameters": [_path("id")],
            "requestBody": _body("FormData"),
            "responses": {"200": _json("Case"), **_errors(401, 403, 404, 409, 422)},
        }
    },
    "/cases/{id}/retry": {
        "post": {
            "summary": "Run a case on past its incident, data corrected (administrators of its region)",
            "security": BEARER,
            "parameters": [_path("id")],
            "requestBody": {"required": False, "content": {"application/json": {"schema": "Retry"}}},
            "responses": {"200": _json("Case"), **_errors(401, 403, 404, 409, 422)},
        }
    },
    "/notifications": {
        "get": {
            "summary": "The caller's notices, newest first, and how many are unread",
            "security": BEARER,
            "parameters": [{"in": "query", "schema": "NotificationQuery"}],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "notifications": {"type": "array", "items": "Notification"},
                            "unread": {"type": "integer"},
                            "page": {"type": "integer"},
                        },
                    }
                ),
                **_errors(401, 422),
            },
        }
    },
    "/notifications/{id}/read": {
        "post": {
            "summary": "Mark a notice read (for everyone it was addressed to)",
            "security": BEARER,
            "parameters": [_path("id")],
            "responses": {"200": _json("Notification"), **_errors(401, 404)},
        }
    },
    "/tasks": {
        "get": {
            "summary": "The reviewer's inbox: overdue and soonest due first; 403 for a region outside theirs",
            "security": BEARER,
            "parameters": [{"in": "query", "schema": "TaskQuery"}],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "tasks": {"type": "array", "items": "InboxTask"},
                            "page": {"type": "integer"},
                        },
                    }
                ),
                **_errors(401, 403, 422),
            },
        }
    },
    "/tasks/{id}/claim": {
        "post": {
            "summary": "Take a task; one of many claimants wins; 403 for the applicant or an earlier decider",
            "security": BEARER,
            "parameters": [_path("id")],
            "responses": {"200": _json("Task"), **_errors(401, 403, 404, 409)},
        }
    },
    "/tasks/{id}/unclaim": {
        "post": {
            "summary": "Give a held task back",
            "security": BEARER,
            "parameters": [_path("id")],
            "responses": {"200": _json("Task"), **_errors(401, 404, 409)},
        }
    },
    "/tasks/{id}/reassign": {
        "post": {
            "summary": "Move a held task to another reviewer (the holder's supervisor)",
            "security": BEARER,
            "parameters": [_path("id")],
            "requestBody": _body("Reassignment"),
            "responses": {"200": _json("Task"), **_errors(401, 403, 404, 422)},
        }
    },
    "/tasks/{id}/complete": {
        "post": {
            "summary": "Decide a held task: approve, reject (with reason) or return (with what is missing)",
            "security": BEARER,
            "parameters": [_path("id")],
            "requestBody": _body("FormData"),
            "responses": {"200": _json("Case"), **_errors(401, 403, 404, 409, 422)},
        }
    },
    "/messages": {
        "post": {
            "summary": "A message from another system (system role): wakes the waiting cases or is kept",
            "security": BEARER,
            "requestBody": _body("Message"),
            "responses": {
                "200": _json("MessageReceipt", "delivered"),
                "202": _json("MessageReceipt", "kept until a case waits for it"),
                **_errors(401, 403, 422),
            },
        }
    },
}


@cache
def document() -> dict[str, Any]:
    spec = APISpec(
        title="matterflow API",
        version="1",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        servers=[{"url": "/api/v1"}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    # nested schemas register themselves under their class name less "Schema": Task before Case
    for name, schema in (
        ("MatterSummary", MatterSummarySchema),
        ("Task", TaskSchema),
        ("InboxTask", InboxTaskSchema),
        ("CaseSummary", CaseSummarySchema),
        ("Case", CaseSchema),
        ("TokenRequest", inputs.TokenRequest),
        ("UnlockRequest", inputs.UnlockRequest),
        ("PasswordChange", inputs.PasswordChange),
        ("StartCase", inputs.StartCase),
        ("FormData", inputs.FormData),
        ("Reassignment", inputs.Reassignment),
        ("CaseQuery", inputs.CaseQuery),
        ("TaskQuery", inputs.TaskQuery),
        ("Retry", inputs.Retry),
        ("Notification", NotificationSchema),
        ("NotificationQuery", NotificationQuery),
        ("Message", MessageSchema),
        ("MessageReceipt", MessageReceiptSchema),
    ):
        spec.components.schema(name, schema=schema)
    spec.components.schema(
        "Error",
        {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "fields": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                }
            },
        },
    )
    for path, operations in PATHS.items():
        spec.path(path=path, operations=operations)
    described: dict[str, Any] = spec.to_dict()
    return described


@blueprint.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(document())
