"""Make a case's projection rows match its workflow after a step.

Open human tasks, due timers, message waits and pending service calls are rows so that inboxes
and workers find work with an indexed query instead of restoring workflows. Each is keyed by
the SpiffWorkflow task it mirrors; rows whose task stopped waiting are deleted, new ones added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine.bpmn import CaseRun, OpenUserTask, due_from_expression
from engine.casework.happenings import Happening
from engine.persistence.models import Case, DueTimer, HumanTask, MessageWait, ServiceCall
from engine.persistence.models.base import joined
from engine.vocabulary import TimelineKind


@dataclass
class Projected:
    """What a step opened: tasks (for the timeline and notices) and message waits (for mail
    that arrived before the case waited)."""

    tasks: list[HumanTask] = field(default_factory=list)
    waits: list[MessageWait] = field(default_factory=list)

    def happenings(self) -> list[Happening]:
        return [
            Happening(
                TimelineKind.TASK_OPENED,
                None,
                activity=task.element_id,
                activity_name=task.name,
                note=", ".join(task.posts),
            )
            for task in self.tasks
        ]


def sync_projections(case: Case, run: CaseRun, now: datetime) -> Projected:
    """Bring the rows up to date; a kind of row the process never waits on is not even read."""
    waits_for, projected = run.parsed.waits_for, Projected()
    if "user" in waits_for:
        projected.tasks = _sync_tasks(case, run.open_user_tasks(), now)
    if "timer" in waits_for:
        sync_timers(case, run)
    if "message" in waits_for:
        projected.waits = _sync_waits(case, run)
    if "call" in waits_for:
        _sync_calls(case, run, now)
    return projected


def _sync_tasks(case: Case, open_tasks: list[OpenUserTask], now: datetime) -> list[HumanTask]:
    wanted = {task.id: task for task in open_tasks}
    for row in list(case.tasks):
        if row.id not in wanted:
            case.tasks.remove(row)
    known = {row.id for row in case.tasks}
    opened = []
    for task in open_tasks:
        if task.id in known:
            continue
        element = task.element
        row = HumanTask(
            id=task.id,
            element_id=element.id,
            name=element.name,
            form_key=element.form_key,
            candidate_groups=joined(element.candidate_groups),
            org_code=case.org_code,
            assignee=None,
            due_at=_due_of(task, case, now),
            created_at=now,
        )
        case.tasks.append(row)
        opened.append(row)
    return opened


def _due_of(task: OpenUserTask, case: Case, now: datetime) -> datetime | None:
    """The diagram's `dueDate`, else the first boundary timer on the task, else the date the
    case is promised by."""
    return due_from_expression(task.element.due_date, now) or task.escalates_at or case.due_at


def sync_timers(case: Case, run: CaseRun) -> None:
    """Make the due-timer rows match the timers the workflow waits on."""
    wanted = {timer.id: timer for timer in run.waiting_timers()}
    for row in list(case.timers):
        timer = wanted.pop(row.id, None)
        if timer is None:
            case.timers.remove(row)
        elif row.due_at != timer.due_at and not row.failures:  # a cycle moved on to its next firing
            row.due_at = timer.due_at
    case.timers.extend(
        DueTimer(id=t.id, element_id=t.element_id, due_at=t.due_at, failures=0) for t in wanted.values()
    )


def _sync_waits(case: Case, run: CaseRun) -> list[MessageWait]:
    wanted = {(w.task_id, w.name): w for w in run.waiting_messages()}
    for row in list(case.message_waits):
        wait = wanted.pop((row.task_id, row.name), None)
        if wait is None:
            case.message_waits.remove(row)
        elif row.correlation_key != wait.correlation_key:
            row.correlation_key = wait.correlation_key
    opened = [
        MessageWait(
            task_id=w.task_id, element_id=w.element_id, name=w.name, correlation_key=w.correlation_key
        )
        for w in wanted.values()
    ]
    case.message_waits.extend(opened)
    return opened


def _sync_calls(case: Case, run: CaseRun, now: datetime) -> None:
    wanted = {call.id: call for call in run.pending_calls()}
    for row in list(case.calls):
        if wanted.pop(row.id, None) is None:
            case.calls.remove(row)
    case.calls.extend(
        ServiceCall(
            id=call.id,
            element_id=call.element_id,
            connector=call.connector,
            request=call.request,
            retries=call.retries,
            backoff_seconds=call.backoff_seconds,
            attempts=0,
            next_attempt_at=now,
            locked_until=None,
            last_error=None,
            created_at=now,
        )
        for call in wanted.values()
    )
