"""Request bodies and query strings, validated before any engine call (422 with field errors)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from engine.errors import InputInvalid
from engine.vocabulary import CaseStatus, InboxScope
from web.error_texts import WebCode

DIVISION_CODE = r"^[0-9]{6}([0-9]{3})?$"  # GB/T 2260, or 9 digits for an office


class TokenRequest(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


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
    status = fields.Enum(CaseStatus, by_value=True)
    matter = fields.String(validate=validate.Length(max=64))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


class TaskQuery(Schema):
    scope = fields.Enum(InboxScope, by_value=True, load_default=InboxScope.AVAILABLE)
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
        raise InputInvalid("send a JSON object body", code=WebCode.BODY_NOT_OBJECT)
    try:
        loaded: dict[str, Any] = schema(unknown=RAISE).load(
            payload if isinstance(payload, Mapping) else {"": payload}
        )
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_body": exc.messages}
        fields_wrong = {
            k: [str(m) for m in v] if isinstance(v, list) else [str(v)] for k, v in messages.items()
        }
        raise InputInvalid("the request has errors", fields_wrong, code=WebCode.REQUEST_INVALID) from exc
    return loaded
