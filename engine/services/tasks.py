"""Reviewers' human tasks: claiming (one winner), releasing, deciding and reassigning; the
inbox that lists them is inbox.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine import Engine
from engine.actors import Actor
from engine.bpmn import CaseRun
from engine.casework import audit_trail, timeline
from engine.casework.case_views import current_view, task_view
from engine.casework.duties import barred_tasks, require_separate_duties
from engine.casework.happenings import Happening
from engine.casework.lookup import case_and_version
from engine.casework.notices import returned_notice
from engine.casework.permissions import may_decide_task
from engine.casework.progress import advance_case
from engine.errors import Conflict, ErrorCode, InputInvalid, NotFound, Reason
from engine.forms import FormValidator
from engine.persistence.journal import journal
from engine.persistence.models import (
    Account,
    Case,
    HumanTask,
    Notification,
    TimelineEvent,
)
from engine.persistence.uow import UnitOfWork
from engine.services.accounts import actor_of
from engine.views import CaseView, DecisionView, TaskView
from engine.vocabulary import CaseStatus, Decision, TimelineKind


def claim_task(engine: Engine, actor: Actor, task_id: str) -> TaskView:
    """Take a task: one conditional UPDATE, so of many reviewers exactly one wins."""
    with engine.unit_of_work() as uow:
        task = _visible_task(uow.session, actor, task_id)
        if task.returned_at is not None:
            raise Conflict("the case is waiting for the applicant", code=ErrorCode.CASE_AWAITING_APPLICANT)
        require_separate_duties(uow.session, engine, actor, task)
        claimed = uow.session.execute(
            update(HumanTask)
            .where(HumanTask.id == task_id, HumanTask.assignee.is_(None), HumanTask.returned_at.is_(None))
            .values(assignee=actor.id)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("another reviewer holds this task", code=ErrorCode.TASK_HELD)
        audit_trail.record(
            uow,
            engine,
            actor,
            "task.claim",
            subject_type="case",
            subject_id=task.case_id,
            detail={"task": task_id},
        )
        uow.commit()
        uow.session.refresh(task)
        return task_view(task)


def unclaim_task(engine: Engine, actor: Actor, task_id: str) -> TaskView:
    """Give a held task back to the inbox."""
    with engine.unit_of_work() as uow:
        task = _visible_task(uow.session, actor, task_id)
        if task.assignee != actor.id:
            raise Conflict("only the holder may release this task", code=ErrorCode.HOLDER_ONLY)
        task.assignee = None
        audit_trail.record(
            uow,
            engine,
            actor,
            "task.unclaim",
            subject_type="case",
            subject_id=task.case_id,
            detail={"task": task_id},
        )
        uow.commit()
        return task_view(task)


def complete_task(engine: Engine, actor: Actor, task_id: str, data: Mapping[str, Any]) -> CaseView:
    """Decide a task the actor holds, with its form's data, and run the case on."""
    with engine.unit_of_work() as uow:
        task = _visible_task(uow.session, actor, task_id)
        if task.assignee != actor.id:
            raise Conflict("claim the task before deciding it", code=ErrorCode.CLAIM_FIRST)
        case, version = case_and_version(uow.session, task.case_id)
        require_separate_duties(uow.session, engine, actor, task)
        cleaned = _decision_data(engine.validator(version, task.form_key) if task.form_key else None, data)
        decision, comment = _decision_of(cleaned)
        if decision is not None and decision.needs_comment and not comment.strip():
            why = Reason(ErrorCode.COMMENT_GIVES_REASON, "say why (reject) or what is missing (return)")
            raise InputInvalid(
                "the decision needs a comment", {"comment": [why]}, code=ErrorCode.COMMENT_REQUIRED
            )
        if decision == Decision.RETURN:
            _return_for_supplement(uow, engine, actor, case, task, comment)
            uow.commit()
            return current_view(uow.session, case, version.matter.code, version.number)
        parsed, state = engine.parsed(version), case.state

        def prepare() -> CaseRun:
            run = CaseRun.resume(parsed, state)
            run.complete_user_task(task_id, cleaned)
            return run

        done = Happening(
            TimelineKind.DECIDED,
            actor.id,
            activity=task.element_id,
            activity_name=task.name,
            decision=decision,
            comment=comment or None,
        )
        advance_case(engine, case, prepare, [done])
        audit_trail.record(
            uow,
            engine,
            actor,
            "task.complete",
            subject_type="case",
            subject_id=case.id,
            detail={"task": task_id, "element": task.element_id, "decision": cleaned.get("decision")},
        )
        uow.commit()
        return current_view(uow.session, case, version.matter.code, version.number)


def _decision_data(form: FormValidator | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """The task's form data, validated; a task without a form takes only a decision and a comment
    (anything else would be written into the case data unchecked: `outcome`, say)."""
    if form is not None:
        return form.validate(data)
    unknown = sorted(set(data) - {"decision", "comment"})
    decision = data.get("decision")
    errors = {
        key: [Reason(ErrorCode.FIELD_UNKNOWN, "this task has no form with this field")] for key in unknown
    }
    if decision not in tuple(Decision):
        errors["decision"] = [Reason(ErrorCode.DECISION_UNKNOWN, f"one of {', '.join(Decision)}")]
    if not isinstance(data.get("comment", ""), str):
        errors["comment"] = [Reason(ErrorCode.TEXT_REQUIRED, "text")]
    if errors:
        raise InputInvalid("the decision has errors", errors, code=ErrorCode.DECISION_INVALID)
    return dict(data)


def _decision_of(data: Mapping[str, Any]) -> tuple[Decision | None, str]:
    """The decision and comment a task's form data holds (a form may record no decision)."""
    decision, comment = data.get("decision"), data.get("comment")
    return (
        Decision(decision) if decision in tuple(Decision) else None,
        "" if comment is None else str(comment),
    )


def _return_for_supplement(
    uow: UnitOfWork, engine: Engine, actor: Actor, case: Case, task: HumanTask, missing: str
) -> None:
    """Park the task and the case until the applicant answers; the process does not move."""
    now = engine.clock.now()
    task.returned_at, task.assignee = now, None
    case.status, case.updated_at = CaseStatus.AWAITING_APPLICANT, now
    returned = Happening(
        TimelineKind.RETURNED,
        actor.id,
        activity=task.element_id,
        activity_name=task.name,
        decision=Decision.RETURN,
        comment=missing,
    )
    timeline.record(uow.session, case.id, now, [returned])
    journal(uow.session).append(Notification, [returned_notice(case, task.name, missing, now)])
    audit_trail.record(
        uow,
        engine,
        actor,
        "task.return",
        subject_type="case",
        subject_id=case.id,
        detail={"task": task.id, "element": task.element_id},
    )


def _visible_task(session: Session, actor: Actor, task_id: str) -> HumanTask:
    """The task if the actor may work on it; NotFound otherwise, so its existence stays hidden."""
    task = session.get(HumanTask, task_id)
    if task is None or not may_decide_task(actor, candidate_groups=task.posts, org_code=task.org_code):
        raise NotFound("no such task", code=ErrorCode.TASK_NOT_FOUND)
    return task


def reassign_task(engine: Engine, actor: Actor, task_id: str, *, to: str) -> TaskView:
    """A supervisor moves a held task from one of their reviewers to another able to decide it."""
    with engine.unit_of_work() as uow:
        session = uow.session
        task = session.get(HumanTask, task_id)
        holder = session.get(Account, task.assignee) if task and task.assignee else None
        if task is None or holder is None or holder.supervisor_id != actor.id:
            raise NotFound("no such task held by one of your reviewers", code=ErrorCode.TASK_NOT_FOUND)
        target = session.scalar(select(Account).where(Account.username == to, Account.disabled_at.is_(None)))
        if target is None or not may_decide_task(
            actor_of(target), candidate_groups=task.posts, org_code=task.org_code
        ):
            no_post = Reason(
                ErrorCode.NO_SUCH_POST_HERE, f"{to!r} holds none of this task's posts here", username=to
            )
            raise InputInvalid("cannot reassign", {"to": [no_post]}, code=ErrorCode.REASSIGNMENT_INVALID)
        require_separate_duties(session, engine, actor_of(target), task)
        task.assignee = target.id
        # the case row changes too, so that the old holder's decision in flight meets a conflict
        case_and_version(session, task.case_id)[0].updated_at = engine.clock.now()
        moved = Happening(
            TimelineKind.REASSIGNED,
            actor.id,
            note=f"{holder.username} → {target.username}",
            activity=task.element_id,
            activity_name=task.name,
        )
        timeline.record(session, task.case_id, engine.clock.now(), [moved])
        audit_trail.record(
            uow,
            engine,
            actor,
            "task.reassign",
            subject_type="case",
            subject_id=task.case_id,
            detail={"task": task_id, "from": holder.id, "to": target.id},
        )
        uow.commit()
        return task_view(task)


def get_task(engine: Engine, actor: Actor, task_id: str) -> TaskView:
    """One open task the actor may work on (NotFound otherwise)."""
    with engine.unit_of_work(immediate=False) as uow:
        return task_view(_visible_task(uow.session, actor, task_id))


def barred_because(engine: Engine, actor: Actor, task_id: str) -> str | None:
    """Why separation of duties keeps this task from the actor; None when it is theirs to decide."""
    with engine.unit_of_work(immediate=False) as uow:
        task = _visible_task(uow.session, actor, task_id)
        return barred_tasks(uow.session, engine, actor, [task]).get(task.id)


def task_form(engine: Engine, actor: Actor, task_id: str) -> dict[str, Any] | None:
    """The form-js schema a task is decided with, for rendering it."""
    return _case_form(engine, actor, task_id, lambda task, manifest: task.form_key or "")


def application_form(engine: Engine, actor: Actor, task_id: str) -> dict[str, Any] | None:
    """The start form of the version the task's case was applied with: what its data means."""
    return _case_form(engine, actor, task_id, lambda task, manifest: str(manifest["start_form"]))


def _case_form(
    engine: Engine, actor: Actor, task_id: str, form_id: Callable[[HumanTask, Mapping[str, Any]], str]
) -> dict[str, Any] | None:
    """One of the forms of the task's case's version, picked from the task and the manifest."""
    with engine.unit_of_work(immediate=False) as uow:
        task = _visible_task(uow.session, actor, task_id)
        _, version = case_and_version(uow.session, task.case_id)
        form = version.forms.get(form_id(task, version.manifest))
        return dict(form) if form else None


def earlier_decisions(engine: Engine, actor: Actor, task_id: str) -> list[DecisionView]:
    """What reviewers decided on the task's case so far, oldest first, with who decided (their
    name as their account gives it, which defaults to the username) and what they wrote: what
    the next reviewer reads before deciding."""
    with engine.unit_of_work(immediate=False) as uow:
        task = _visible_task(uow.session, actor, task_id)
        rows = uow.session.execute(
            select(
                TimelineEvent.at,
                TimelineEvent.activity_name,
                func.coalesce(func.nullif(Account.display_name, ""), Account.username, TimelineEvent.actor),
                TimelineEvent.decision,
                func.coalesce(TimelineEvent.comment, ""),
                TimelineEvent.activity,
            )
            .outerjoin(Account, Account.id == TimelineEvent.actor)
            .where(
                TimelineEvent.case_id == task.case_id,
                TimelineEvent.kind.in_((TimelineKind.DECIDED, TimelineKind.RETURNED)),
            )
            .order_by(TimelineEvent.id)
        )
        return [DecisionView(*row) for row in rows]
