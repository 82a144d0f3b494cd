"""`begin_case`: the one way a case begins — an application over the API or a page, a periodic
matter's schedule, a row of an employer's batch — with the same checks, first step and audit row.

    with engine.unit_of_work() as uow:
        version = lookup.current_version(uow.session, "catchup-contribution")
        case = begin_case(uow, engine, actor, version, data)   # the row; decided if instant
        uow.commit()

Many cases may begin in one unit of work (a batch): each is checked and stepped on its own,
and an InputInvalid names what is wrong with the one that raised it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Engine
from engine.actors import Actor, Role
from engine.bpmn import CaseRun
from engine.casework import audit_trail
from engine.casework.happenings import Happening
from engine.casework.lookup import identity_on_record
from engine.casework.progress import advance_case, open_case, with_application_date
from engine.errors import ErrorCode, Forbidden, NotFound
from engine.persistence.models import Case, ProcessVersion
from engine.persistence.uow import UnitOfWork
from engine.vocabulary import TimelineKind

_APPLICANT_ROLE = {"individual": Role.APPLICANT, "unit": Role.UNIT}


def begin_case(
    uow: UnitOfWork,
    engine: Engine,
    actor: Actor,
    version: ProcessVersion,
    data: Mapping[str, Any],
    *,
    start_event: str | None = None,
    note: str = "",
) -> Case:
    """Open a case on `version` for `actor`, in the actor's own name and region, and run its
    first step in the caller's unit of work; return the case row (completed already where the
    rules decide it at once, else waiting; an incident if its first step failed).

    - the actor must be of the matter's applicant type (an individual or a unit); the engine's
      own actors (internal: the worker, the command line) begin any matter;
    - `data` meets the start form's rules, and the fields naming the applicant hold the identity
      number on their account; it is dated with the day applied for (`applied_on`);
    - `start_event` names a timer start event for a periodic matter's case: no one applied,
      so no form is filled in;
    - the timeline says STARTED (with `note`, such as "schedule" or a batch's id) and the audit
      trail `case.start`.
    """
    manifest = version.manifest
    _require_applicant(actor, manifest["applicant"])
    if start_event is None:
        data = _application(uow, engine, actor, version, data)
    data = with_application_date(engine, actor.org_code, data)
    case = open_case(engine, version, applicant_id=actor.id, org_code=actor.org_code, data=data)
    uow.session.add(case)
    parsed = engine.parsed(version)
    # a timer start event is named by the diagram (progress names it); an application by the matter
    named = None if start_event else manifest["name"]["zh"]
    started = Happening(TimelineKind.STARTED, actor.id, note=note, activity=start_event, activity_name=named)
    advance_case(engine, case, lambda: CaseRun.begin(parsed, data, started_by=start_event), [started])
    audit_trail.record(
        uow,
        engine,
        actor,
        "case.start",
        subject_type="case",
        subject_id=case.id,
        detail={"matter": manifest["code"], "number": case.number},
    )
    return case


def _application(
    uow: UnitOfWork, engine: Engine, actor: Actor, version: ProcessVersion, data: Mapping[str, Any]
) -> dict[str, Any]:
    """The application's data, cleaned by the start form, in the applicant's own name."""
    start_form = engine.validator(version, version.manifest["start_form"])
    if start_form is None:
        raise NotFound(
            f"matter {version.manifest['code']!r} has no start form", code=ErrorCode.START_FORM_MISSING
        )
    cleaned = start_form.validate(data)
    start_form.require_identity(cleaned, identity_on_record(uow.session, actor.id))
    return cleaned


def _require_applicant(actor: Actor, applicant_type: str) -> None:
    if actor.internal:  # a periodic matter's case, started by the schedule
        return
    if _APPLICANT_ROLE[applicant_type] not in actor.roles:
        if applicant_type == "unit":
            raise Forbidden("this matter is applied for by employers (units)", code=ErrorCode.UNITS_ONLY)
        raise Forbidden(
            "this matter is applied for by individual applicants", code=ErrorCode.INDIVIDUALS_ONLY
        )
