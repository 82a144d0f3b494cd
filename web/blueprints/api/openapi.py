"""GET /openapi.json: the live description of the API, grown with each endpoint."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from web.blueprints.api import blueprint

_ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*codes: int) -> dict[str, Any]:
    return {
        str(code): {"description": "error", "content": {"application/json": {"schema": _ERROR}}}
        for code in codes
    }


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "matterflow API", "version": "1"},
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/matters": {
            "get": {
                "summary": "The published catalogue",
                "responses": {
                    "200": {
                        "description": "code, name, category, applicant_type, instant, "
                        "time_limit_days and version of every published matter"
                    }
                },
            }
        },
        "/matters/{code}": {
            "get": {
                "summary": "A matter's service guide, start form and current version",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "the guide"}, **_errors(404)},
            }
        },
    },
    "components": {
        "schemas": {
            "Error": {
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
            }
        }
    },
}


@blueprint.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(DOCUMENT)
