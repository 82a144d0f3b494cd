"""What an applicant does to a case after applying: withdraw it, or answer a return.

A reviewer's "return for supplement" does not move the process: the task stays where it is,
the case waits for the applicant (`awaiting_applicant`), and the statutory clock stops: no timer
of the case fires and no call is made meanwhile. The applicant's supplement merges the new data
into the case and puts the task back in the inbox of the same post; the case's promised date,
the due dates and the timers (durations and cycles; a `timeDate` keeps its moment) are pushed
back by the time spent waiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from engine import Engine
from engine.actors import Actor
from engine.bpmn import CaseRun
from engine.casework import audit_trail, timeline
from engine.casework.case_views import current_view
from engine.casework.happenings import Happening
from engine.casework.lookup import case_and_version, identity_on_record
from engine.casework.permissions import may_read_case
from engine.casework.projections import sync_timers
from engine.errors import Conflict, ErrorCode, Forbidden, NotFound
from engine.persistence.models import Case
from engine.views import CaseView
from engine.vocabulary import CaseStatus, TimelineKind


def withdraw_case(engine: Engine, actor: Actor, case_id: str) -> CaseView:
    """The owner withdraws a case on which no decision has been taken yet."""
    with engine.unit_of_work() as uow:
        case, version = case_and_version(uow.session, case_id)
        _require_owner(actor, case)
        if not case.status.is_open or timeline.any_decision(uow.session, case.id):
            raise Conflict(
                "a decision has been taken on this case; it can no longer be withdrawn",
                code=ErrorCode.CASE_DECIDED,
            )
        now = engine.clock.now()
        case.status, case.outcome, case.closed_at, case.updated_at = CaseStatus.WITHDRAWN, None, now, now
        for waiting in (case.tasks, case.timers, case.message_waits, case.calls):
            waiting.clear()  # a withdrawn case waits for nothing and nobody
        timeline.record(uow.session, case.id, now, [Happening(TimelineKind.WITHDRAWN, actor.id)])
        audit_trail.record(uow, engine, actor, "case.withdraw", subject_type="case", subject_id=case.id)
        uow.commit()
        return current_view(uow.session, case, version.matter.code, version.number)


def supplement_case(engine: Engine, actor: Actor, case_id: str, data: Mapping[str, Any]) -> CaseView:
    """The owner answers a return: fields of the application form, validated, merged in."""
    with engine.unit_of_work() as uow:
        case, version = case_and_version(uow.session, case_id)
        _require_owner(actor, case)
        if case.status != CaseStatus.AWAITING_APPLICANT:
            raise Conflict("nothing was asked of the applicant on this case", code=ErrorCode.NOTHING_ASKED)
        form = engine.validator(version, version.manifest["start_form"])
        if form is None:
            raise NotFound(
                "this matter has no application form to supplement", code=ErrorCode.START_FORM_MISSING
            )
        cleaned = form.validate(data, partial=True)
        form.require_identity(cleaned, identity_on_record(uow.session, case.applicant_id))
        now = engine.clock.now()
        waited = _time_waited(case, now)
        run = CaseRun.resume(engine.parsed(version), case.state)
        run.merge_data(cleaned)
        run.postpone_timers(waited)
        case.state, case.data = run.dump(), {**case.data, **cleaned}
        case.status, case.updated_at = CaseStatus.IN_PROGRESS, now
        _stop_the_clock(case, run, waited)
        supplied = Happening(TimelineKind.SUPPLEMENTED, actor.id, fields=tuple(sorted(cleaned)))
        timeline.record(uow.session, case.id, now, [supplied])
        audit_trail.record(
            uow,
            engine,
            actor,
            "case.supplement",
            subject_type="case",
            subject_id=case.id,
            detail={"fields": sorted(cleaned)},
        )
        uow.commit()
        return current_view(uow.session, case, version.matter.code, version.number)


def _time_waited(case: Case, now: datetime) -> timedelta:
    """How long the case has waited for the applicant: since its task was returned."""
    returned = [task.returned_at for task in case.tasks if task.returned_at is not None]
    return now - min(returned) if returned else timedelta(0)


def _stop_the_clock(case: Case, run: CaseRun, waited: timedelta) -> None:
    """The time spent waiting for the applicant does not count against the office: the case's
    promised date, its tasks' due dates and its timers move back by it, and the returned task
    goes back to the inbox of its post."""
    case.due_at = case.due_at + waited if case.due_at else None
    for task in case.tasks:
        task.due_at = task.due_at + waited if task.due_at else None
        task.returned_at, task.assignee = None, None
    sync_timers(case, run)


def _require_owner(actor: Actor, case: Case) -> None:
    if case.applicant_id == actor.id:
        return
    if may_read_case(actor, applicant_id=case.applicant_id, org_code=case.org_code):
        raise Forbidden("only the applicant may do this", code=ErrorCode.OWNER_ONLY)
    raise NotFound("no such case", code=ErrorCode.CASE_NOT_FOUND)
