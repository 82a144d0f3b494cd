"""How cases and tasks look on the wire (API.md: GET /cases/{id}, GET /tasks)."""

from __future__ import annotations

from marshmallow import Schema, fields

from engine.vocabulary import CaseStatus, Decision, Outcome, TimelineKind


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
    kind = fields.Enum(TimelineKind, by_value=True)
    activity = fields.String(allow_none=True)
    activity_name = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    note = fields.String(metadata={"description": "free text for staff: a message's name, an error"})
    decision = fields.Enum(
        Decision, by_value=True, allow_none=True, metadata={"description": "task_completed and returned"}
    )
    comment = fields.String(
        metadata={"description": "the reviewer's comment; for returned, what the applicant must supply"}
    )
    outcome = fields.Enum(Outcome, by_value=True, allow_none=True, metadata={"description": "completed"})
    changed = fields.List(
        fields.String(),
        attribute="fields",
        data_key="fields",
        metadata={"description": "supplemented, retried: the case-data fields supplied or corrected"},
    )


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
    status = fields.Enum(CaseStatus, by_value=True)
    outcome = fields.Enum(Outcome, by_value=True, allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class CaseSchema(CaseSummarySchema):
    data = fields.Dict()
    open_tasks = fields.List(fields.Nested(TaskSchema))
    timeline = fields.List(fields.Nested(TimelineSchema))
    incidents = fields.List(fields.Nested(IncidentSchema))


class CaseListSchema(Schema):
    cases = fields.List(fields.Nested(CaseSummarySchema))
    page = fields.Integer()


class InboxSchema(Schema):
    tasks = fields.List(fields.Nested(InboxTaskSchema))
    page = fields.Integer()


class DiagramSchema(Schema):
    xml = fields.String(metadata={"description": "the BPMN of the case's own version"})
    states = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "element id: completed, active or upcoming"},
    )
