"""The reviewers' workbench: the inbox with counts and filters, and the task page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from engine.actors import Actor
from engine.errors import Forbidden, Unauthenticated
from engine.forms import localise_form
from engine.services import cases, materials, organisations, tasks
from engine.services import inbox as reviewer_inbox
from engine.views import InboxTask, TaskCount
from engine.vocabulary import InboxScope
from web.answers import form_answers
from web.auth import page_actor
from web.context import engine
from web.error_texts import WebCode
from web.i18n import current_language
from web.labels import published_matters
from web.paging import Pager
from web.times import region_zone

blueprint = Blueprint("workbench", __name__, url_prefix="/workbench")


def _reviewer() -> Actor:
    actor = page_actor()
    if not actor.roles:
        raise Unauthenticated("sign in first", code=WebCode.SIGN_IN_FIRST)
    if not actor.posts:
        raise Forbidden("the workbench is for reviewers", code=WebCode.WORKBENCH_FOR_REVIEWERS)
    return actor


@dataclass(frozen=True)
class InboxList:
    """One list of the inbox: a page of its tasks, how many it holds in all, and its pager."""

    tasks: list[InboxTask]
    count: TaskCount
    pager: Pager


@blueprint.get("")
def inbox() -> str:
    actor = _reviewer()
    filters: dict[str, Any] = {
        "matter": request.args.get("matter") or None,
        "due_before": _end_of_day(request.args.get("due_before"), region_zone(actor.org_code)),
        "region": request.args.get("region") or None,
    }
    lists = {scope: _inbox_list(actor, scope, filters) for scope in (InboxScope.MINE, InboxScope.AVAILABLE)}
    return render_template(
        "workbench/inbox.html",
        lists=lists,
        overdue=sum(found.count.overdue for found in lists.values()),
        now=engine().clock.now(),
        matters=published_matters(),
        regions=organisations.list_organisations(engine(), actor),
        chosen=request.args.to_dict(),
    )


def _inbox_list(actor: Actor, scope: InboxScope, filters: dict[str, Any]) -> InboxList:
    count = reviewer_inbox.count_tasks(engine(), actor, scope=scope, **filters)
    pager = Pager.from_request(f"{scope}_page", count.total, reviewer_inbox.PAGE_SIZE)
    found = reviewer_inbox.list_tasks(engine(), actor, scope=scope, page=pager.number, **filters)
    return InboxList(found, count, pager)


def _end_of_day(text: str | None, zone: ZoneInfo) -> datetime | None:
    """When the chosen day is over, so "due before" a day keeps the tasks due on it; the day is
    taken in the reviewer's region's zone, like the due dates the inbox shows."""
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=zone) if day else None


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
        barred_because=tasks.barred_because(engine(), actor, task_id),
        form=localise_form(form, current_language()) if form else None,
        answers=_application(actor, task_id, case.data),
        decisions=tasks.earlier_decisions(engine(), actor, task_id),
        materials=materials.list_materials(engine(), actor, task.case_id),
    )


def _application(actor: Actor, task_id: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """The case's application by the labels of its start form, in the page's language."""
    form = tasks.application_form(engine(), actor, task_id)
    return form_answers(localise_form(form, current_language()), data) if form else []


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
