"""The reviewers' task API: inbox, claim, unclaim, complete (API.md)."""

from __future__ import annotations

from flask import Response, jsonify, request

from engine.services import inbox as reviewer_inbox
from engine.services import tasks
from web.auth import api_actor
from web.blueprints.api import blueprint
from web.context import engine
from web.schemas.cases import CaseSchema, InboxTaskSchema, TaskSchema
from web.schemas.inputs import FormData, Reassignment, TaskQuery, load


@blueprint.get("/tasks")
def inbox() -> Response:
    query = load(TaskQuery, request.args.to_dict())
    found = reviewer_inbox.list_tasks(engine(), api_actor(), **query)
    return jsonify({"tasks": InboxTaskSchema(many=True).dump(found), "page": query["page"]})


@blueprint.post("/tasks/<task_id>/claim")
def claim(task_id: str) -> Response:
    return jsonify(TaskSchema().dump(tasks.claim_task(engine(), api_actor(), task_id)))


@blueprint.post("/tasks/<task_id>/unclaim")
def unclaim(task_id: str) -> Response:
    return jsonify(TaskSchema().dump(tasks.unclaim_task(engine(), api_actor(), task_id)))


@blueprint.post("/tasks/<task_id>/complete")
def complete(task_id: str) -> Response:
    body = load(FormData, request.get_json(silent=True))
    case = tasks.complete_task(engine(), api_actor(), task_id, body["data"])
    return jsonify(CaseSchema().dump(case))


@blueprint.post("/tasks/<task_id>/reassign")
def reassign(task_id: str) -> Response:
    actor = api_actor()
    body = load(Reassignment, request.get_json(silent=True))
    return jsonify(TaskSchema().dump(tasks.reassign_task(engine(), actor, task_id, to=body["to"])))
