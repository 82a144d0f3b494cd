"""How matters look on the wire (API.md: GET /matters, GET /matters/{code})."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_dump


class MatterSummarySchema(Schema):
    code = fields.String()
    name = fields.Dict(keys=fields.String(), values=fields.String())
    category = fields.Dict(keys=fields.String(), values=fields.String())
    applicant_type = fields.String()
    instant = fields.Boolean()
    time_limit_days = fields.Integer()
    version = fields.Integer()


class MatterDetailSchema(Schema):
    summary = fields.Nested(MatterSummarySchema)
    guide = fields.Dict()
    start_form = fields.Dict()

    @post_dump
    def flatten(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """The guide page is one object: the summary's fields at the top level."""
        return {**data.pop("summary"), **data}
