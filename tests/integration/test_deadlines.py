"""Deadlines: when each task is due, and the clock that stops while a case waits for the applicant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine import Engine
from engine.actors import SYSTEM, Actor
from engine.clock import FrozenClock
from engine.errors import InputInvalid
from engine.services import applications, cases, inbox, notifications, tasks, timers
from tests import worker_matters as wm
from tests.conftest import START
from tests.factories import decide, reviewer
from tests.integration.test_cases import LONG_GAP

REVIEWER = reviewer("li.si", "review")
SUPERVISOR = reviewer("zhao.liu", "supervisor")
MONDAY_30_NOV = START + timedelta(days=7)  # five working days after Monday 23 November


def test_a_case_is_promised_by_its_time_limit_and_every_task_is_due_by_that_date(
    loaded: Engine, clock: FrozenClock, applicant: Actor, acceptor: Actor
) -> None:
    case = cases.start_case(loaded, applicant, matter="catchup-contribution", data=LONG_GAP)
    promised = START + timedelta(days=28)  # 20 working days: four weeks with no holiday in them
    [acceptance] = case.open_tasks
    assert (case.due_at, acceptance.due_at) == (promised, promised)

    clock.advance(timedelta(days=3))
    [review] = decide(loaded, acceptor, acceptance.id, {"decision": "approve", "comment": "受理"}).open_tasks
    assert review.due_at == promised  # the statutory limit runs from the application, not per task


def test_a_task_is_due_when_its_boundary_timer_fires(engine: Engine, applicant: Actor) -> None:
    five_working_days = f"{wm.WORKING_DAYS}{wm.timer('timeDuration', 'P5D')}"
    body = wm.ESCALATION.replace(five_working_days, wm.timer("timeDuration", "P2D"))
    wm.deploy(engine, "escalation", "escalation", body)
    [task] = cases.start_case(engine, applicant, matter="escalation", data={}).open_tasks
    assert task.due_at == START + timedelta(days=2)


def test_a_task_is_due_when_its_due_date_says(engine: Engine, applicant: Actor) -> None:
    groups = 'camunda:candidateGroups="review"'
    body = wm.ESCALATION.replace(groups, f'{groups} camunda:dueDate="PT36H"')
    wm.deploy(engine, "escalation", "escalation", body)
    [task] = cases.start_case(engine, applicant, matter="escalation", data={}).open_tasks
    assert task.due_at == START + timedelta(hours=36)


def test_the_clock_stops_while_the_case_waits_for_the_applicant(
    engine: Engine, clock: FrozenClock, applicant: Actor
) -> None:
    wm.deploy(engine, "escalation", "escalation", wm.ESCALATION)
    case = cases.start_case(engine, applicant, matter="escalation", data={})
    [task] = case.open_tasks
    assert task.due_at == MONDAY_30_NOV

    clock.advance(timedelta(days=1))
    returned = decide(engine, REVIEWER, task.id, {"decision": "return", "comment": "请补充劳动合同"})
    assert returned.status == "awaiting_applicant"
    clock.advance(timedelta(days=8))  # past the five working days, but the applicant has the case
    assert timers.fire_due_timers(engine) == 0
    assert notifications.list_notifications(engine, SUPERVISOR) == []

    supplemented = applications.supplement_case(engine, applicant, case.id, {"note": "已补充"})
    [back] = supplemented.open_tasks
    assert back.id == task.id and back.due_at == MONDAY_30_NOV + timedelta(days=8)
    assert supplemented.due_at == MONDAY_30_NOV + timedelta(days=8)
    assert inbox.list_tasks(engine, REVIEWER)[0].id == task.id  # back in the post's inbox

    clock.advance(MONDAY_30_NOV + timedelta(days=8) - clock.now() - timedelta(seconds=1))
    assert timers.fire_due_timers(engine) == 0
    clock.advance(timedelta(seconds=1))
    assert timers.fire_due_timers(engine) == 1
    [escalated] = cases.get_case(engine, SYSTEM, case.id).open_tasks
    assert escalated.element_id == "supervise"
    [notice] = notifications.list_notifications(engine, SUPERVISOR)
    assert notice.kind == "escalated"


def test_a_task_without_a_form_takes_only_a_decision_and_a_comment(engine: Engine, applicant: Actor) -> None:
    body = wm.ESCALATION.replace(
        ' camunda:candidateGroups="review" camunda:formKey="review-decision"',
        ' camunda:candidateGroups="review"',
    )
    wm.deploy(engine, "escalation", "escalation", body)
    [task] = cases.start_case(engine, applicant, matter="escalation", data={}).open_tasks
    assert task.form_key is None
    tasks.claim_task(engine, REVIEWER, task.id)

    with pytest.raises(InputInvalid) as refused:
        tasks.complete_task(engine, REVIEWER, task.id, {"decision": "approve", "outcome": "rejected"})
    assert set(refused.value.fields) == {"outcome"}
    with pytest.raises(InputInvalid) as unknown:
        tasks.complete_task(engine, REVIEWER, task.id, {"decision": "maybe"})
    assert set(unknown.value.fields) == {"decision"}
    done = tasks.complete_task(engine, REVIEWER, task.id, {"decision": "approve", "comment": "同意"})
    assert (done.status, done.outcome) == ("completed", "approved")
