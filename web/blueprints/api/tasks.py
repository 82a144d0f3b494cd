"""The reviewers' task API: inbox, claim, unclaim, complete, reassign (API.md)."""

from __future__ import annotations

from typing import Any

from engine.services import inbox as reviewer_inbox
from engine.services import tasks
from engine.views import CaseView, TaskView
from web.auth import api_actor
from web.blueprints.api.boundary import ApiBlueprint
from web.context import engine
from web.schemas.cases import CaseSchema, InboxSchema, TaskSchema
from web.schemas.inputs import FormData, Reassignment, TaskQuery

blueprint = ApiBlueprint("tasks", "The reviewers' inbox and their tasks")


@blueprint.get("/tasks")
@blueprint.arguments(TaskQuery, location="query")
@blueprint.response(200, InboxSchema)
@blueprint.refuses(403, 422)
def inbox(query: dict[str, Any]) -> dict[str, Any]:
    """The reviewer's inbox: overdue and soonest due first; 403 for a region outside theirs."""
    return {"tasks": reviewer_inbox.list_tasks(engine(), api_actor(), **query), "page": query["page"]}


@blueprint.post("/tasks/<task_id>/claim")
@blueprint.response(200, TaskSchema)
@blueprint.refuses(403, 404, 409)
def claim(task_id: str) -> TaskView:
    """Take a task; one of many claimants wins; 403 for the applicant or an earlier decider."""
    return tasks.claim_task(engine(), api_actor(), task_id)


@blueprint.post("/tasks/<task_id>/unclaim")
@blueprint.response(200, TaskSchema)
@blueprint.refuses(404, 409)
def unclaim(task_id: str) -> TaskView:
    """Give a held task back."""
    return tasks.unclaim_task(engine(), api_actor(), task_id)


@blueprint.post("/tasks/<task_id>/complete")
@blueprint.arguments(FormData)
@blueprint.response(200, CaseSchema)
@blueprint.refuses(403, 404, 409, 422)
def complete(body: dict[str, Any], task_id: str) -> CaseView:
    """Decide a held task: approve, reject (with reason) or return (with what is missing)."""
    return tasks.complete_task(engine(), api_actor(), task_id, body["data"])


@blueprint.post("/tasks/<task_id>/reassign")
@blueprint.arguments(Reassignment)
@blueprint.response(200, TaskSchema)
@blueprint.refuses(403, 404, 422)
def reassign(body: dict[str, Any], task_id: str) -> TaskView:
    """Move a held task to another reviewer (the holder's supervisor)."""
    return tasks.reassign_task(engine(), api_actor(), task_id, to=body["to"])
