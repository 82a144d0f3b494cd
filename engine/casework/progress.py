"""Advancing a case by one step and writing everything that follows from it together.

A step is an outside input (an application, a decision, a fired timer, a message, a service
call's answer, a retry) followed by every automatic activity it sets off. If an automatic
activity fails, the automatic part is undone: the case is saved as it stood right after the
input, with an incident naming the element, so that nothing given is lost and a retry can pick
up from there. A step that makes the case wait for a message that arrived earlier is followed
at once, in the same transaction, by the step that delivers it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, object_session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from engine import Engine
from engine.bpmn import CaseRun, ParsedProcess, StepTime, stepping
from engine.casework import mailbox, timeline
from engine.casework.happenings import Happening
from engine.casework.notices import incident_notice, notices_for_step
from engine.casework.projections import Projected, sync_projections
from engine.errors import ProcessFault
from engine.persistence.journal import journal
from engine.persistence.models import Case, Incident, Notification, ProcessVersion
from engine.vocabulary import CaseStatus, Outcome, TimelineKind

APPLIED_ON = "applied_on"
_RECORDED_AUTOMATIC = frozenset({"businessRuleTask", "serviceTask", "callActivity", "receiveTask"})
# What a step reads of a case besides its row: the projections it brings up to date, by what the
# process can wait on (ParsedProcess.waits_for). The version is left to the identity map (a batch
# of cases shares a handful); the timeline and incidents are only appended to.
PROJECTIONS = {"user": Case.tasks, "timer": Case.timers, "message": Case.message_waits, "call": Case.calls}
STEP_LOADS = tuple(selectinload(collection) for collection in PROJECTIONS.values())


def step_loads(waits_for: Iterable[str]) -> list[LoaderOption]:
    """The loaders of the projections that processes waiting for `waits_for` can have rows in."""
    return [selectinload(PROJECTIONS[kind]) for kind in sorted(set(waits_for))]


@dataclass(frozen=True)
class _Outcome:
    fault: ProcessFault | None
    parsed: ParsedProcess
    projected: Projected


def advance_case(
    engine: Engine,
    case: Case,
    prepare: Callable[[], CaseRun],
    happenings: Sequence[Happening],
) -> ProcessFault | None:
    """Run one step on `case` (a row in the caller's unit of work); return the fault, if any."""
    moment = StepTime(engine.clock.now(), engine.calendars.for_region(case.org_code))
    with stepping(moment):
        outcome = _step(case, prepare, happenings, moment)
        while outcome.fault is None and outcome.projected.waits:
            mail = mailbox.take_stored(_session_of(case), case, outcome.projected.waits, moment.now)
            if mail is None:
                break
            received = Happening(TimelineKind.MESSAGE, "system", note=mail.name, activity=mail.element_id)
            prepare = delivering(outcome.parsed, case.state, mail)
            outcome = _step(case, prepare, [received], moment)
    return outcome.fault


def open_case(
    engine: Engine, version: ProcessVersion, *, applicant_id: str, org_code: str, data: Mapping[str, Any]
) -> Case:
    """A new case row on `version`, before its first step, promised by the matter's time limit
    in working days on the calendar of its region."""
    now = engine.clock.now()
    calendar = engine.calendars.for_region(org_code)
    promised = calendar.add_working_days(now, version.manifest["time_limit_days"])
    return Case(
        id=uuid4().hex,
        number=case_number(now),
        matter_id=version.matter_id,
        version_id=version.id,
        applicant_id=applicant_id,
        org_code=org_code,
        status=CaseStatus.IN_PROGRESS,
        outcome=None,
        data=dict(data),
        state="",
        created_at=now,
        updated_at=now,
        closed_at=None,
        due_at=promised,
        tasks=[],
        timers=[],
        incidents=[],
    )


def with_application_date(engine: Engine, org_code: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The application's data and the day it was made in its region (`applied_on`, ISO date),
    which a matter's rules may test: a catch-up period must end before the month applied in."""
    zone = ZoneInfo(engine.calendars.for_region(org_code).zone)
    return {**data, APPLIED_ON: engine.clock.now().astimezone(zone).date().isoformat()}


def case_number(now: datetime) -> str:
    """A number people can read out on the phone: the date, then 12 random digits."""
    return f"{now:%Y%m%d}{secrets.randbelow(10**12):012d}"


def delivering(parsed: ParsedProcess, state: str, mail: mailbox.Mail) -> Callable[[], CaseRun]:
    """A step's input that hands a message to the case's waiting tasks."""

    def prepare() -> CaseRun:
        run = CaseRun.resume(parsed, state)
        run.deliver_message(mail.name, mail.payload, mail.task_ids)
        return run

    return prepare


def _step(
    case: Case, prepare: Callable[[], CaseRun], happenings: Sequence[Happening], moment: StepTime
) -> _Outcome:
    run = prepare()
    # walking the task tree twice costs as much as the step itself: only where it can find something
    tracked = bool(run.parsed.kinds & _RECORDED_AUTOMATIC)
    before = run.element_states() if tracked else {}
    events = list(happenings)
    try:
        run.advance()
    except ProcessFault as fault:
        projected = _save(case, prepare(), events, moment)
        _record_incident(case, fault, moment)
        return _Outcome(fault, run.parsed, projected)
    if tracked:
        events += _automatic_steps(run, before)
    return _Outcome(None, run.parsed, _save(case, run, events, moment))


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
            done.append(
                Happening(TimelineKind.AUTOMATIC, "system", activity=info.id, activity_name=info.name)
            )
    return done


def _save(case: Case, run: CaseRun, events: list[Happening], moment: StepTime) -> Projected:
    now = moment.now
    case.state = run.dump()
    case.data = run.data
    case.updated_at = now
    projected = sync_projections(case, run, now)
    events += projected.happenings()
    if run.completed:
        case.status = CaseStatus.COMPLETED
        case.outcome = _outcome(case.data.get("outcome"))
        case.closed_at = now
        events.append(Happening(TimelineKind.COMPLETED, "system", outcome=case.outcome))
    session = _session_of(case)
    timeline.record(session, case.id, now, (_named(e, run.parsed) for e in events))
    journal(session).append(Notification, notices_for_step(case, run.parsed, events, projected.tasks, now))
    return projected


def _outcome(value: object) -> Outcome | None:
    """What the process decided, if its `outcome` variable holds an outcome at all."""
    return Outcome(value) if isinstance(value, str) and value in tuple(Outcome) else None


def _named(happening: Happening, parsed: ParsedProcess) -> Happening:
    if happening.activity_name or not happening.activity:
        return happening
    info = parsed.element(happening.activity)
    return replace(happening, activity_name=info.name) if info else happening


def _record_incident(case: Case, fault: ProcessFault, moment: StepTime) -> None:
    now = moment.now
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
    session = _session_of(case)
    happened = Happening(
        TimelineKind.INCIDENT,
        "system",
        note=fault.message,
        activity=fault.element,
        activity_name=fault.element,
    )
    timeline.record(session, case.id, now, [happened])
    journal(session).append(Notification, [incident_notice(case, fault.element, fault.message, now)])


def _session_of(case: Case) -> Session:
    session = object_session(case)
    if session is None:
        raise RuntimeError("a case is stepped inside a unit of work")
    return session
