"""Signing in over the API: the credentials sent and the bearer token given back; unlocking an
account with its one-time code; changing one's password."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class TokenRequest(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class Token(Schema):
    token = fields.String(metadata={"description": "send it as Authorization: Bearer <token>"})
    expires_at = fields.AwareDateTime()


class UnlockRequest(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))


class PasswordChange(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=256))
