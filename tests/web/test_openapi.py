"""The served OpenAPI document describes every API route with its methods and error shape."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient


def _shape(path: str) -> str:
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def test_every_api_route_is_described(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    described = {(_shape(path), method.upper()) for path, ops in document["paths"].items() for method in ops}
    routed = {
        (_shape(rule.rule.removeprefix("/api/v1")), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    assert routed - described == set()
    assert described - routed == set()


def test_schemas_come_from_the_marshmallow_schemas(client: FlaskClient) -> None:
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert {"id", "number", "status", "outcome", "open_tasks", "timeline"} <= set(
        schemas["Case"]["properties"]
    )
    assert set(schemas["Error"]["properties"]["error"]["required"]) == {"code", "message"}


def test_the_inbox_is_described_with_its_region_filter_and_rows(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    inbox = document["paths"]["/tasks"]["get"]
    region = next(p for p in inbox["parameters"] if p["name"] == "region")
    rows = inbox["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["tasks"]["items"]

    assert region["in"] == "query" and region["schema"]["pattern"] == "^[0-9]{6}([0-9]{3})?$"
    assert rows == {"$ref": "#/components/schemas/InboxTask"}
    row = document["components"]["schemas"]["InboxTask"]["properties"]
    assert {"case_number", "matter", "due_at"} <= set(row)
