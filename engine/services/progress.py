"""Advancing a case by one step and writing everything that follows from it together.

A step is an outside input (an application, a decision, a retry) followed by every automatic
activity it sets off. If an automatic activity fails, the automatic part is undone: the case is
saved as it stood right after the input, with an incident naming the element, so that nothing
the person gave is lost and a retry can pick up from there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from engine import Engine
from engine.bpmn import CaseRun, OpenUserTask
from engine.calendar import add_working_days, due_from_expression
from engine.errors import ProcessFault
from engine.persistence.models import Case, DueTimer, HumanTask, Incident, TimelineEvent

IN_PROGRESS = "in_progress"
COMPLETED = "completed"
OUTCOMES = frozenset({"approved", "rejected"})
_RECORDED_AUTOMATIC = frozenset({"businessRuleTask", "serviceTask", "callActivity", "receiveTask"})


@dataclass(frozen=True)
class Happening:
    """A timeline entry a service wants recorded with the step."""

    kind: str
    actor: str | None
    note: str = ""
    activity: str | None = None
    activity_name: str | None = None


def advance_case(
    engine: Engine,
    case: Case,
    prepare: Callable[[], CaseRun],
    happenings: Sequence[Happening],
    *,
    time_limit_days: int,
) -> ProcessFault | None:
    """Run one step on `case` (a row in the caller's unit of work); return the fault, if any."""
    run = prepare()
    before = run.element_states()
    events = list(happenings)
    try:
        run.advance()
    except ProcessFault as fault:
        _save(engine, case, prepare(), events, time_limit_days)
        _record_incident(engine, case, fault)
        return fault
    events += _automatic_steps(run, before)
    _save(engine, case, run, events, time_limit_days)
    return None


def _automatic_steps(run: CaseRun, before: dict[str, str]) -> list[Happening]:
    """Decisions and calls the engine made on its own during the step, for the timeline."""
    done = []
    for element_id, state in run.element_states().items():
        info = run.parsed.element(element_id)
        if (
            state == "completed"
            and before.get(element_id) != "completed"
            and info
            and info.kind in _RECORDED_AUTOMATIC
        ):
            done.append(Happening("automatic", "system", activity=info.id, activity_name=info.name))
    return done


def _save(engine: Engine, case: Case, run: CaseRun, events: list[Happening], time_limit_days: int) -> None:
    now = engine.clock.now()
    case.state = run.dump()
    case.data = run.data
    case.updated_at = now
    events += _sync_tasks(case, run.open_user_tasks(), now, time_limit_days)
    _sync_timers(case, run)
    if run.completed:
        outcome = case.data.get("outcome")
        case.status = COMPLETED
        case.outcome = outcome if outcome in OUTCOMES else None
        case.closed_at = now
        events.append(Happening("completed", "system", note=case.outcome or ""))
    case.timeline.extend(
        TimelineEvent(
            at=now,
            kind=e.kind,
            activity=e.activity,
            activity_name=e.activity_name,
            actor=e.actor,
            note=e.note,
        )
        for e in events
    )


def _sync_tasks(case: Case, open_tasks: list[OpenUserTask], now: datetime, limit: int) -> list[Happening]:
    """Make the open-task rows match the workflow; report the tasks that just opened."""
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
        due = due_from_expression(element.due_date, now) or add_working_days(now, limit)
        case.tasks.append(
            HumanTask(
                id=task.id,
                element_id=element.id,
                name=element.name,
                form_key=element.form_key,
                candidate_groups=",".join(element.candidate_groups),
                org_code=case.org_code,
                assignee=None,
                due_at=due,
                created_at=now,
            )
        )
        opened.append(
            Happening(
                "task_opened",
                None,
                activity=element.id,
                activity_name=element.name,
                note=", ".join(element.candidate_groups),
            )
        )
    return opened


def _sync_timers(case: Case, run: CaseRun) -> None:
    wanted = {timer.id: timer for timer in run.waiting_timers()}
    for row in list(case.timers):
        if row.id not in wanted:
            case.timers.remove(row)
    known = {row.id for row in case.timers}
    case.timers.extend(
        DueTimer(id=t.id, element_id=t.element_id, due_at=t.due_at)
        for t in wanted.values()
        if t.id not in known
    )


def _record_incident(engine: Engine, case: Case, fault: ProcessFault) -> None:
    now = engine.clock.now()
    case.incidents.append(
        Incident(
            element_id=fault.element,
            file=fault.file,
            message=fault.message,
            created_at=now,
            resolved_at=None,
            resolved_by=None,
        )
    )
    info_name = fault.element
    case.timeline.append(
        TimelineEvent(
            at=now,
            kind="incident",
            activity=fault.element,
            activity_name=info_name,
            actor="system",
            note=fault.message,
        )
    )
