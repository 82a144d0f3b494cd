"""What an applicant does to a case after applying: withdraw it, or answer a return.

A reviewer's "return for supplement" does not move the process: the task stays where it is,
the case waits for the applicant (`awaiting_applicant`), and the statutory clock stops. The
applicant's supplement merges the new data into the case and puts the task back in the inbox
of the same post, its due date pushed back by the time spent waiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Engine
from engine.actors import Actor
from engine.bpmn import CaseRun
from engine.errors import Conflict, Forbidden, InputInvalid, NotFound
from engine.persistence.models import Case
from engine.services import audit, timeline
from engine.services.cases import case_and_version, current_view
from engine.services.happenings import Happening
from engine.services.permissions import may_read_case
from engine.views import CaseView

AWAITING_APPLICANT = "awaiting_applicant"
WITHDRAWN = "withdrawn"
OPEN_STATUSES = frozenset({"in_progress", AWAITING_APPLICANT})


def withdraw_case(engine: Engine, actor: Actor, case_id: str) -> CaseView:
    """The owner withdraws a case on which no decision has been taken yet."""
    with engine.unit_of_work() as uow:
        case, version = case_and_version(uow.session, case_id)
        _require_owner(actor, case)
        if case.status not in OPEN_STATUSES or timeline.any_decision(uow.session, case.id):
            raise Conflict("a decision has been taken on this case; it can no longer be withdrawn")
        now = engine.clock.now()
        case.status, case.outcome, case.closed_at, case.updated_at = WITHDRAWN, None, now, now
        case.tasks.clear()
        case.timers.clear()
        timeline.record(uow.session, case.id, now, [Happening("withdrawn", actor.id)])
        audit.record(uow, engine, actor, "case.withdraw", subject_type="case", subject_id=case.id)
        uow.commit()
        return current_view(uow.session, case, version.matter.code, version.number)


def supplement_case(engine: Engine, actor: Actor, case_id: str, data: Mapping[str, Any]) -> CaseView:
    """The owner answers a return: fields of the application form, validated, merged in."""
    with engine.unit_of_work() as uow:
        case, version = case_and_version(uow.session, case_id)
        _require_owner(actor, case)
        if case.status != AWAITING_APPLICANT:
            raise Conflict("nothing was asked of the applicant on this case")
        form = engine.validator(version, version.manifest["start_form"])
        if form is None:
            raise InputInvalid("this matter has no application form to supplement")
        cleaned = form.validate(data, partial=True)
        run = CaseRun.resume(engine.parsed(version), case.state)
        run.merge_data(cleaned)
        now = engine.clock.now()
        case.state, case.data = run.dump(), {**case.data, **cleaned}
        case.status, case.updated_at = "in_progress", now
        for task in case.tasks:
            if task.returned_at is not None:
                waited = now - task.returned_at
                task.due_at = task.due_at + waited if task.due_at else None
                task.returned_at, task.assignee = None, None
        supplied = Happening("supplemented", actor.id, note=", ".join(sorted(cleaned)))
        timeline.record(uow.session, case.id, now, [supplied])
        audit.record(
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


def _require_owner(actor: Actor, case: Case) -> None:
    if case.applicant_id == actor.id:
        return
    if may_read_case(actor, applicant_id=case.applicant_id, org_code=case.org_code):
        raise Forbidden("only the applicant may do this")
    raise NotFound("no such case")
