"""How cases and tasks look on the wire (API.md: GET /cases/{id}, GET /tasks)."""

from __future__ import annotations

from marshmallow import Schema, fields


class TaskSchema(Schema):
    id = fields.String()
    case_id = fields.String()
    element_id = fields.String()
    name = fields.String()
    form_key = fields.String(allow_none=True)
    candidate_groups = fields.List(fields.String())
    assignee = fields.String(allow_none=True)
    due_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()


class InboxTaskSchema(TaskSchema):
    """A task in the inbox, with what identifies the work: the case's number and matter code."""

    case_number = fields.String()
    matter = fields.String()
    barred_because = fields.String(
        allow_none=True,
        metadata={"description": "why separation of duties keeps the task from the caller; null: theirs"},
    )


class TimelineSchema(Schema):
    at = fields.AwareDateTime()
    kind = fields.String()
    activity = fields.String(allow_none=True)
    activity_name = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    note = fields.String()


class IncidentSchema(Schema):
    id = fields.Integer()
    element_id = fields.String()
    file = fields.String()
    message = fields.String()
    created_at = fields.AwareDateTime()
    resolved_at = fields.AwareDateTime(allow_none=True)


class CaseSummarySchema(Schema):
    id = fields.String()
    number = fields.String()
    matter = fields.String()
    version = fields.Integer()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class CaseSchema(CaseSummarySchema):
    data = fields.Dict()
    open_tasks = fields.List(fields.Nested(TaskSchema))
    timeline = fields.List(fields.Nested(TimelineSchema))
    incidents = fields.List(fields.Nested(IncidentSchema))
