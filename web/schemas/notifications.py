"""The in-app inbox on the wire: notices, and the query that pages through them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from engine.vocabulary import NoticeKind


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.Enum(NoticeKind, by_value=True)
    subject = fields.String()
    body = fields.String()
    case_id = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    read_at = fields.AwareDateTime(allow_none=True)


class NotificationListSchema(Schema):
    notifications = fields.List(fields.Nested(NotificationSchema))
    unread = fields.Integer(metadata={"description": "how many of the caller's notices are unread"})
    page = fields.Integer()


class NotificationQuery(Schema):
    unread = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
