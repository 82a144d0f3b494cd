"""Frozen views of case and task rows, built the same way by every use case that answers with one.

A view is built from rows loaded by the caller (no lazy loading behind its back); after a
commit, `current_view` reads the timeline as the step wrote it.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from engine.casework import timeline
from engine.persistence.models import Case, HumanTask
from engine.views import CaseView, IncidentView, TaskView, TimelineEntry


def current_view(session: Session, case: Case, matter_code: str, version_number: int) -> CaseView:
    """A case (loaded) with its timeline as stored now: after a commit, what the step wrote."""
    return case_view(case, matter_code, version_number, timeline.entries(session, case.id))


def case_view(
    case: Case, matter_code: str, version_number: int, history: tuple[TimelineEntry, ...]
) -> CaseView:
    """A case with its data, open tasks and incidents (loaded by the caller) and its timeline."""
    return replace(
        summary_view(case, matter_code, version_number),
        data=dict(case.data),
        open_tasks=tuple(task_view(t) for t in case.tasks),
        timeline=history,
        incidents=tuple(
            IncidentView(i.id, i.element_id, i.file, i.message, i.created_at, i.resolved_at)
            for i in case.incidents
        ),
    )


def summary_view(case: Case, matter_code: str, version_number: int) -> CaseView:
    """A case for lists: no data, tasks or timeline (and no lazy loading)."""
    return CaseView(
        id=case.id,
        number=case.number,
        matter=matter_code,
        version=version_number,
        status=case.status,
        outcome=case.outcome,
        applicant_id=case.applicant_id,
        org_code=case.org_code,
        data={},
        created_at=case.created_at,
        updated_at=case.updated_at,
        due_at=case.due_at,
    )


def task_view(task: HumanTask) -> TaskView:
    return TaskView(
        id=task.id,
        case_id=task.case_id,
        element_id=task.element_id,
        name=task.name,
        form_key=task.form_key,
        candidate_groups=task.posts,
        assignee=task.assignee,
        due_at=task.due_at,
        created_at=task.created_at,
    )
