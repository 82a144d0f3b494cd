"""Request bodies and query strings, validated before any engine call (422 with field errors)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from engine.errors import InputInvalid

CASE_STATUSES = ("in_progress", "awaiting_applicant", "completed", "withdrawn", "terminated")
DIVISION_CODE = r"^[0-9]{6}([0-9]{3})?$"  # GB/T 2260, or 9 digits for an office


class TokenRequest(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class UnlockRequest(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))


class PasswordChange(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class StartCase(Schema):
    matter = fields.String(required=True, validate=validate.Length(min=1, max=64))
    data = fields.Dict(keys=fields.String(), required=True)


class FormData(Schema):
    data = fields.Dict(keys=fields.String(), required=True)


class Retry(Schema):
    data = fields.Dict(keys=fields.String(), load_default=dict, metadata={"description": "corrections"})


class Reassignment(Schema):
    to = fields.String(required=True, validate=validate.Length(min=1, max=64))


class CaseQuery(Schema):
    status = fields.String(validate=validate.OneOf(CASE_STATUSES))
    matter = fields.String(validate=validate.Length(max=64))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


class TaskQuery(Schema):
    scope = fields.String(load_default="available", validate=validate.OneOf(["available", "mine"]))
    matter = fields.String(validate=validate.Length(max=64))
    due_before = fields.AwareDateTime()
    region = fields.String(
        validate=validate.Regexp(DIVISION_CODE, error="a division code of 6 digits, or 9 for an office"),
        metadata={"description": "only the part of the reviewer's region under this division code"},
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


def load(schema: type[Schema], payload: Any) -> dict[str, Any]:
    """Validate `payload` (a JSON body or query args) or raise InputInvalid with field errors."""
    if payload is None:
        raise InputInvalid("send a JSON object body")
    try:
        loaded: dict[str, Any] = schema(unknown=RAISE).load(
            payload if isinstance(payload, Mapping) else {"": payload}
        )
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_body": exc.messages}
        raise InputInvalid(
            "the request has errors",
            {k: [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in messages.items()},
        ) from exc
    return loaded
