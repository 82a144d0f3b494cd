"""Request bodies and query strings, validated before any engine call (422 with field errors)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from engine.vocabulary import CaseStatus, InboxScope

DIVISION_CODE = r"^[0-9]{6}([0-9]{3})?$"  # GB/T 2260, or 9 digits for an office


class IdempotencyHeader(Schema):
    key = fields.String(
        data_key="Idempotency-Key",
        metadata={
            "description": "a retry with the same key returns the first case; the same key with a "
            "different application is 422"
        },
    )


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
