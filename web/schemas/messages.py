"""POST /messages on the wire: a message from another system, and what became of it."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from engine.vocabulary import MessageStatus


class MessageSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    correlation_key = fields.String(required=True, validate=validate.Length(min=1, max=255))
    payload = fields.Dict(keys=fields.String(), load_default=dict)


class MessageReceiptSchema(Schema):
    id = fields.Integer()
    status = fields.Enum(
        MessageStatus,
        by_value=True,
        metadata={"description": "delivered, or waiting (kept until expires_at)"},
    )
    case_ids = fields.List(fields.String())
    expires_at = fields.AwareDateTime()
