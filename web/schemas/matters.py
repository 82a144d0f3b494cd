"""How matters look on the wire (API.md: GET /matters, GET /matters/{code})."""

from __future__ import annotations

from marshmallow import Schema, fields


class MatterSummarySchema(Schema):
    code = fields.String()
    name = fields.Dict(keys=fields.String(), values=fields.String())
    category = fields.Dict(keys=fields.String(), values=fields.String())
    applicant_type = fields.String()
    instant = fields.Boolean()
    time_limit_days = fields.Integer()
    version = fields.Integer()


class MatterListSchema(Schema):
    matters = fields.List(fields.Nested(MatterSummarySchema))


class MatterDetailSchema(MatterSummarySchema):
    """The guide page is one object: the summary's fields, the guide and the start form."""

    guide = fields.Dict()
    start_form = fields.Dict(metadata={"description": "form-js JSON"})
