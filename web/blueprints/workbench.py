"""The reviewers' workbench: the inbox with counts and filters, and the task page."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from engine.actors import Actor
from engine.errors import Forbidden, Unauthenticated
from engine.forms import localise_form
from engine.services import cases, catalogue, materials, tasks
from web.auth import page_actor
from web.context import engine
from web.i18n import current_language

blueprint = Blueprint("workbench", __name__, url_prefix="/workbench")


def _reviewer() -> Actor:
    actor = page_actor()
    if not actor.roles:
        raise Unauthenticated("sign in first")
    if not actor.posts:
        raise Forbidden("the workbench is for reviewers")
    return actor


@blueprint.get("")
def inbox() -> str:
    actor = _reviewer()
    matter = request.args.get("matter") or None
    due_before = _date(request.args.get("due_before"))
    available = tasks.list_tasks(engine(), actor, matter=matter, due_before=due_before)
    mine = tasks.list_tasks(engine(), actor, scope="mine", matter=matter, due_before=due_before)
    now = engine().clock.now()
    return render_template(
        "workbench/inbox.html",
        available=available,
        mine=mine,
        now=now,
        overdue=sum(1 for t in available + mine if t.due_at and t.due_at < now),
        matters=catalogue.list_matters(engine()),
        chosen=matter,
        due_before=request.args.get("due_before", ""),
    )


def _date(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text).astimezone() if text else None
    except ValueError:
        return None


@blueprint.get("/tasks/<task_id>")
def task_page(task_id: str) -> str:
    actor = _reviewer()
    task = tasks.get_task(engine(), actor, task_id)
    case = cases.get_case(engine(), actor, task.case_id)
    form = tasks.task_form(engine(), actor, task_id)
    return render_template(
        "workbench/task.html",
        task=task,
        case=case,
        held=task.assignee == actor.id,
        form=localise_form(form, current_language()) if form else None,
        materials=materials.list_materials(engine(), actor, task.case_id),
    )


@blueprint.post("/tasks/<task_id>/claim")
def claim(task_id: str) -> WerkzeugResponse:
    tasks.claim_task(engine(), _reviewer(), task_id)
    return redirect(url_for("workbench.task_page", task_id=task_id))


@blueprint.post("/tasks/<task_id>/unclaim")
def unclaim(task_id: str) -> WerkzeugResponse:
    tasks.unclaim_task(engine(), _reviewer(), task_id)
    return redirect(url_for("workbench.inbox"))


@blueprint.post("/tasks/<task_id>/complete")
def complete(task_id: str) -> Response:
    payload = request.get_json(silent=True) or {}
    case = tasks.complete_task(engine(), _reviewer(), task_id, payload.get("data") or {})
    return jsonify({"redirect": url_for("workbench.inbox"), "case": case.id})
