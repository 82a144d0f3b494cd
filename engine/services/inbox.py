"""A reviewer's inbox: the open tasks of their posts in their region, overdue first, paged.

The two lists (unclaimed, and held by the reviewer) and their counts share one set of
conditions, so that a page and the counts above it never disagree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, TextClause, func, literal, or_, select, text
from sqlalchemy.orm import Session

from engine import Engine
from engine.actors import Actor, Role
from engine.casework.case_views import task_view
from engine.casework.duties import barred_tasks
from engine.casework.permissions import region_covers, region_prefix
from engine.errors import ErrorCode, Forbidden
from engine.persistence.models import Case, HumanTask, Matter, ProcessVersion
from engine.persistence.models.cases import SHARED
from engine.views import InboxTask, TaskCount
from engine.vocabulary import InboxScope

PAGE_SIZE = 20


def list_tasks(
    engine: Engine,
    actor: Actor,
    *,
    scope: InboxScope = InboxScope.AVAILABLE,
    matter: str | None = None,
    due_before: datetime | None = None,
    region: str | None = None,
    page: int = 1,
) -> list[InboxTask]:
    """Open tasks of the reviewer's posts in the reviewer's region (or the part of it in
    `region`): unclaimed ('available') or held by the reviewer ('mine'); overdue and soonest
    due first, with the case number and matter of each.
    """
    branches = _inbox_branches(actor, scope=scope, matter=matter, due_before=due_before, region=region)
    window = max(page, 1) * PAGE_SIZE
    with engine.unit_of_work(immediate=False) as uow:
        # Each branch walks its own index in due order; merging two short lists here keeps
        # the planner from sorting every open task of the region.
        found = [
            task
            for where in branches
            for task in uow.session.scalars(
                select(HumanTask).where(*where).order_by(HumanTask.due_at, HumanTask.id).limit(window)
            )
        ]
        found.sort(key=lambda task: (task.due_at.timestamp() if task.due_at else float("inf"), task.id))
        return _identified(engine, uow.session, actor, found[window - PAGE_SIZE : window])


def count_tasks(
    engine: Engine,
    actor: Actor,
    *,
    scope: InboxScope = InboxScope.AVAILABLE,
    matter: str | None = None,
    due_before: datetime | None = None,
    region: str | None = None,
) -> TaskCount:
    """How many tasks list_tasks pages through for the same arguments, and how many of them
    are past their due date now."""
    branches = _inbox_branches(actor, scope=scope, matter=matter, due_before=due_before, region=region)
    late = func.count().filter(HumanTask.due_at < engine.clock.now())
    with engine.unit_of_work(immediate=False) as uow:
        counted = [
            uow.session.execute(select(func.count(), late).select_from(HumanTask).where(*where)).one()
            for where in branches
        ]
    return TaskCount(total=sum(row[0] for row in counted), overdue=sum(row[1] for row in counted))


def _inbox_branches(
    actor: Actor, *, scope: InboxScope, matter: str | None, due_before: datetime | None, region: str | None
) -> tuple[list[ColumnElement[bool] | TextClause], ...]:
    """The conditions of the inbox's two disjoint branches, for listing and counting alike.

    Tasks offered to one post (nearly all) are found by equality on the post, an ordered walk of
    ix_human_tasks_inbox; the few offered to several posts come from a second, small branch.
    """
    if Role.REVIEWER not in actor.roles or not actor.posts:
        raise Forbidden("only reviewers with a post have an inbox", code=ErrorCode.INBOX_FOR_REVIEWERS)
    conditions: list[ColumnElement[bool] | TextClause] = [
        HumanTask.org_code.startswith(_searched_region(actor, region), autoescape=True),
        HumanTask.returned_at.is_(None),
        HumanTask.assignee == actor.id if scope == InboxScope.MINE else HumanTask.assignee.is_(None),
    ]
    if due_before:
        conditions.append(HumanTask.due_at < due_before)
    if matter:
        in_matter = select(Case.id).join(Matter, Matter.id == Case.matter_id).where(Matter.code == matter)
        conditions.append(HumanTask.case_id.in_(in_matter))
    return (
        [HumanTask.candidate_groups.in_(sorted(actor.posts)), *conditions],
        [text(SHARED), _holds_any_post(actor.posts), *conditions],
    )


def _searched_region(actor: Actor, region: str | None) -> str:
    """The code prefix an inbox searches: the reviewer's whole region, or a part of it they
    narrowed to; a region outside their own is refused, not quietly widened or emptied."""
    if region is None:
        return region_prefix(actor.org_code)
    if not region_covers(actor.org_code, region):
        raise Forbidden(
            f"region {region} is outside your own region {actor.org_code}",
            code=ErrorCode.REGION_OUTSIDE_OWN,
            params={"region": region, "own": actor.org_code},
        )
    return region_prefix(region)


def _identified(engine: Engine, session: Session, actor: Actor, found: list[HumanTask]) -> list[InboxTask]:
    """The tasks with their case's number, matter and version, and whether separation of duties
    keeps each from this reviewer: a few queries for the page, not per task."""
    if not found:
        return []
    barred = barred_tasks(session, engine, actor, found)
    labels = {
        case_id: {"case_number": number, "matter": code, "version": version}
        for case_id, number, code, version in session.execute(
            select(Case.id, Case.number, Matter.code, ProcessVersion.number)
            .join(Matter, Matter.id == Case.matter_id)
            .join(ProcessVersion, ProcessVersion.id == Case.version_id)
            .where(Case.id.in_({task.case_id for task in found}))
        )
    }
    return [
        InboxTask(**vars(task_view(task)), **labels[task.case_id], barred_because=barred.get(task.id))
        for task in found
    ]


def _holds_any_post(posts: frozenset[str]) -> ColumnElement[bool]:
    padded = literal(",") + HumanTask.candidate_groups + literal(",")
    return or_(*(padded.contains(f",{post},", autoescape=True) for post in sorted(posts)))
