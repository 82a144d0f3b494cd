"""Separation of duties: who may not decide a task, whatever their post and region.

Nobody decides a case they applied for; and where the diagram names earlier tasks on a task
(`differentDeciderFrom`), whoever decided one of those on the case may not decide this one. The
rule is asked in two places, with one answer: before a claim or a decision (refused), and for
an inbox page (each task marked, so a reviewer is not offered work they would be refused).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import Engine
from engine.actors import Actor
from engine.errors import ErrorCode, Forbidden, Reason
from engine.persistence.models import Case, HumanTask, ProcessVersion, TimelineEvent
from engine.vocabulary import TimelineKind


def require_separate_duties(session: Session, engine: Engine, actor: Actor, task: HumanTask) -> None:
    """Forbidden, saying why, when the rule keeps this task from the actor."""
    reason = barred_tasks(session, engine, actor, [task]).get(task.id)
    if reason is not None:
        raise Forbidden(reason)


def barred_tasks(
    session: Session, engine: Engine, actor: Actor, tasks: Sequence[HumanTask]
) -> dict[str, Reason]:
    """The tasks the rule keeps from the actor, each with the reason; two queries for a page of
    tasks as for one (the inbox asks for every page it shows)."""
    if not tasks:
        return {}
    cases = {
        case_id: (applicant_id, version)
        for case_id, applicant_id, version in session.execute(
            select(Case.id, Case.applicant_id, ProcessVersion)
            .join(ProcessVersion, ProcessVersion.id == Case.version_id)
            .where(Case.id.in_({t.case_id for t in tasks}))
        ).tuples()
    }
    own = Reason(ErrorCode.OWN_CASE, "nobody may decide a case they applied for")
    barred = {t.id: own for t in tasks if cases[t.case_id][0] == actor.id}
    earlier = {
        task.id: names
        for task in tasks
        if task.id not in barred and (names := _earlier_tasks(engine, cases[task.case_id][1], task))
    }
    if not earlier:
        return barred
    decided = set(
        session.execute(
            select(TimelineEvent.case_id, TimelineEvent.activity).where(
                TimelineEvent.case_id.in_({t.case_id for t in tasks if t.id in earlier}),
                TimelineEvent.kind == TimelineKind.DECIDED,
                TimelineEvent.actor == actor.id,
            )
        ).tuples()
    )
    for task in tasks:
        names = earlier.get(task.id, ())
        if any((task.case_id, name) in decided for name in names):
            earlier_steps = ", ".join(names)
            barred[task.id] = Reason(
                ErrorCode.EARLIER_DECIDER,
                f"whoever decided {earlier_steps} on this case may not also decide {task.name}",
                earlier=earlier_steps,
                task=task.name,
            )
    return barred


def _earlier_tasks(engine: Engine, version: ProcessVersion, task: HumanTask) -> tuple[str, ...]:
    """The elements the diagram says this task's decider must not have decided."""
    element = engine.parsed(version).element(task.element_id)
    return element.decider_differs_from if element else ()
