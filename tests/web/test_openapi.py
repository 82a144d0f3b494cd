"""The served OpenAPI document describes every API route with its methods and error shape, from
the schemas the views load and dump with; /api/v1/docs shows it to people."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

API = "/api/v1"
NOT_ENDPOINTS = {f"{API}/openapi.json", f"{API}/docs"}  # the document and its reference page
METHODS = {"get", "put", "post", "delete", "patch"}


def _shape(path: str) -> str:
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


@pytest.fixture
def document(client: FlaskClient) -> dict[str, object]:
    found: dict[str, object] = client.get(f"{API}/openapi.json").get_json()
    return found


def test_every_api_route_is_described(app: Flask, document: dict[str, dict[str, dict[str, object]]]) -> None:
    described = {
        (_shape(path), method.upper())
        for path, ops in document["paths"].items()
        for method in ops
        if method in METHODS
    }
    routed = {
        (_shape(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(f"{API}/") and rule.rule not in NOT_ENDPOINTS
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    assert routed - described == set()
    assert described - routed == set()


def test_every_operation_documents_its_errors_in_the_api_error_shape(
    document: dict[str, dict[str, dict[str, dict[str, object]]]],
) -> None:
    shared = document["components"].get("responses", {})
    operations = [
        (path, op)
        for path, ops in document["paths"].items()
        for method, op in ops.items()
        if method in METHODS
    ]
    for path, operation in operations:
        responses = operation["responses"]
        errors = {status: body for status, body in responses.items() if int(status) >= 400}
        if operation.get("security") and path != f"{API}/auth/logout":  # signing out always succeeds
            assert "401" in errors, path
        for body in errors.values():
            if "$ref" in body:  # a response shared between operations
                body = shared[str(body["$ref"]).rsplit("/", 1)[-1]]  # type: ignore[index]  # noqa: PLW2901
            assert body["content"] == {  # type: ignore[index]
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
            }
    error = document["components"]["schemas"]["ErrorBody"]
    assert set(error["required"]) == {"code", "message"}  # type: ignore[arg-type]
    assert set(error["properties"]) == {"code", "message", "fields"}  # type: ignore[arg-type]


def test_schemas_come_from_the_marshmallow_schemas(document: dict[str, dict[str, dict[str, object]]]) -> None:
    schemas = document["components"]["schemas"]
    case = schemas["Case"]["properties"]
    assert {"id", "number", "status", "outcome", "open_tasks", "timeline"} <= set(case)  # type: ignore[arg-type]
    assert case["status"]["enum"] == ["in_progress", "awaiting_applicant", "completed", "withdrawn"]  # type: ignore[index]
    entry = schemas["Timeline"]["properties"]
    assert {"kind", "decision", "comment", "outcome", "fields", "note"} <= set(entry)  # type: ignore[arg-type]


def test_the_inbox_is_described_with_its_region_filter_and_rows(
    document: dict[str, dict[str, dict[str, object]]],
) -> None:
    inbox = document["paths"][f"{API}/tasks"]["get"]
    region = next(p for p in inbox["parameters"] if p["name"] == "region")  # type: ignore[attr-defined]
    rows = document["components"]["schemas"]["Inbox"]["properties"]["tasks"]["items"]  # type: ignore[index]

    assert region["in"] == "query" and region["schema"]["pattern"] == "^[0-9]{6}([0-9]{3})?$"
    assert rows == {"$ref": "#/components/schemas/InboxTask"}
    row = document["components"]["schemas"]["InboxTask"]["properties"]
    assert {"case_number", "matter", "due_at"} <= set(row)  # type: ignore[arg-type]


def test_a_stranger_is_asked_to_sign_in_before_the_body_is_read(client: FlaskClient) -> None:
    response = client.post(f"{API}/cases", json={"matter": 7})

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bearer_missing"


def test_the_reference_page_is_served_locally_under_a_strict_policy(client: FlaskClient) -> None:
    response = client.get(f"{API}/docs")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "<script>" not in page and "http" not in page.replace("http-equiv", "")
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
