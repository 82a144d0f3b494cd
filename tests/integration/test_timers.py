"""Timers fired by the worker: waits, escalation on working days, periodic matters, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from engine import Engine, build_engine
from engine.actors import SYSTEM, Actor
from engine.calendar import Calendars, WorkingCalendar, calendar_from
from engine.clock import FrozenClock
from engine.persistence.models import AuditEvent, Case, DueTimer
from engine.services import applications, cases, notifications, schedules, timers
from engine.worker import Worker
from tests import worker_matters as wm
from tests.conftest import START
from tests.factories import decide, reviewer


def test_a_timer_fires_when_due_and_not_before(engine: Engine, clock: FrozenClock, applicant: Actor) -> None:
    wm.deploy(engine, "timer-wait", "timer_wait", wm.TIMER_WAIT)
    case = cases.start_case(engine, applicant, matter="timer-wait", data={})

    clock.advance(timedelta(days=15) - timedelta(seconds=1))
    assert timers.fire_due_timers(engine) == 0
    clock.advance(timedelta(seconds=1))
    assert timers.fire_due_timers(engine) == 1
    assert timers.fire_due_timers(engine) == 0

    done = cases.get_case(engine, applicant, case.id)
    assert (done.status, done.outcome) == ("completed", "approved")
    assert [e.kind for e in done.timeline] == ["started", "timer", "completed"]
    assert _due_timers(engine) == []


def test_timers_survive_a_restart_of_every_process(
    engine: Engine, clock: FrozenClock, applicant: Actor
) -> None:
    wm.deploy(engine, "timer-wait", "timer_wait", wm.TIMER_WAIT)
    case = cases.start_case(engine, applicant, matter="timer-wait", data={})
    engine.close()  # every process stops; only the database remains

    clock.advance(timedelta(days=16))
    restarted = build_engine(engine.settings, clock=clock)
    try:
        assert Worker(restarted).run_once()["timers"] == 1
        assert cases.get_case(restarted, applicant, case.id).status == "completed"
    finally:
        restarted.close()


def test_overdue_review_escalates_to_the_supervisor_after_five_working_days(
    engine: Engine, clock: FrozenClock, applicant: Actor
) -> None:
    # Monday 23 Nov; a regional holiday on Wednesday 25th pushes five working days to Tuesday 1 Dec
    engine.calendars = Calendars({"110000": calendar_from({"holidays": ["2026-11-25"]})})
    wm.deploy(engine, "escalation", "escalation", wm.ESCALATION)
    case = cases.start_case(engine, applicant, matter="escalation", data={})
    [due] = _due_timers(engine)
    assert due.due_at == START + timedelta(days=8)

    clock.advance(timedelta(days=8))
    timers.fire_due_timers(engine)

    escalated = cases.get_case(engine, SYSTEM, case.id)
    [task] = escalated.open_tasks
    assert (task.element_id, task.candidate_groups) == ("supervise", ("supervisor",))
    supervisor = reviewer("zhao.liu", "supervisor")
    [notice] = notifications.list_notifications(engine, supervisor)
    assert notice.kind == "escalated" and case.number in notice.subject
    assert notifications.list_notifications(engine, reviewer("li.si", "review")) == []
    done = decide(engine, supervisor, task.id, {"decision": "approve", "comment": "督办通过"})
    assert (done.status, done.outcome) == ("completed", "approved")


def test_a_review_decided_in_time_cancels_the_escalation(
    engine: Engine, clock: FrozenClock, applicant: Actor
) -> None:
    wm.deploy(engine, "escalation", "escalation", wm.ESCALATION)
    case = cases.start_case(engine, applicant, matter="escalation", data={})
    decide(
        engine, reviewer("li.si", "review"), case.open_tasks[0].id, {"decision": "reject", "comment": "不符"}
    )

    clock.advance(timedelta(days=30))
    assert timers.fire_due_timers(engine) == 0
    assert cases.get_case(engine, SYSTEM, case.id).outcome == "rejected"


def test_working_days_skip_weekends_holidays_and_count_make_up_days() -> None:
    calendar = WorkingCalendar(
        holidays=frozenset(
            calendar_from({"holidays": [{"from": "2026-10-01", "to": "2026-10-07"}]}).holidays
        ),
        workdays=frozenset(calendar_from({"workdays": ["2026-10-10"]}).workdays),
    )
    # Wednesday 30 Sep + 2 working days: the National Day week is off, Saturday 10 Oct is worked
    assert calendar.add_working_days(START.replace(month=9, day=30), 2).date().isoformat() == "2026-10-09"
    assert calendar.add_working_days(START.replace(month=10, day=8), 2).date().isoformat() == "2026-10-10"


def test_a_periodic_matter_starts_a_case_every_month(engine: Engine, clock: FrozenClock) -> None:
    wm.deploy(engine, "monthly-reminder", "monthly_reminder", wm.MONTHLY)
    assert schedules.sync_schedules(engine) == 1
    assert schedules.sync_schedules(engine) == 0
    assert schedules.start_scheduled_cases(engine) == 0  # 23 Nov: the first is on 1 Dec

    clock.advance(timedelta(days=8))  # 1 Dec 09:00 UTC, past 09:00 Beijing time
    assert schedules.start_scheduled_cases(engine) == 1
    assert schedules.start_scheduled_cases(engine) == 0
    clock.advance(timedelta(days=31))
    assert schedules.start_scheduled_cases(engine) == 1

    started = cases.list_cases(engine, SYSTEM, matter="monthly-reminder")
    assert [(c.status, c.applicant_id) for c in started] == [("completed", "system")] * 2

    # it began like any case (engine/casework/beginning.py): on the timeline, audited
    first = cases.get_case(engine, SYSTEM, started[-1].id)
    assert (first.timeline[0].kind, first.timeline[0].note) == ("started", "schedule")
    with engine.unit_of_work(immediate=False) as uow:
        audited = uow.session.scalars(select(AuditEvent.subject_id).where(AuditEvent.action == "case.start"))
        assert set(audited) == {c.id for c in started}


def test_a_closed_case_waits_for_nothing(engine: Engine, clock: FrozenClock, applicant: Actor) -> None:
    wm.deploy(engine, "escalation", "escalation", wm.ESCALATION)
    case = cases.start_case(engine, applicant, matter="escalation", data={})
    applications.withdraw_case(engine, applicant, case.id)

    clock.advance(timedelta(days=30))
    timers.fire_due_timers(engine)

    withdrawn = cases.get_case(engine, SYSTEM, case.id)
    assert withdrawn.status == "withdrawn" and "timer" not in [e.kind for e in withdrawn.timeline]


def _due_timers(engine: Engine) -> list[DueTimer]:
    with engine.unit_of_work(immediate=False) as uow:
        return list(uow.session.scalars(select(DueTimer).join(Case)))


def test_a_timer_on_a_date_fires_at_that_moment_in_its_zone(
    engine: Engine, clock: FrozenClock, applicant: Actor
) -> None:
    until = '<bpmn:intermediateCatchEvent id="until">' + wm.timer("timeDate", "2026-12-01T09:00:00+08:00")
    body = "\n".join(
        [
            wm.START,
            f"{until}</bpmn:intermediateCatchEvent>",
            wm.APPROVE,
            wm.END,
            wm.flow("start", "until"),
            wm.flow("until", "approve"),
            wm.flow("approve", "end"),
        ]
    )
    wm.deploy(engine, "until-date", "until_date", body)
    case = cases.start_case(engine, applicant, matter="until-date", data={})
    nine_in_beijing = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    [due] = _due_timers(engine)
    assert due.due_at == nine_in_beijing

    clock.advance(nine_in_beijing - clock.now() - timedelta(seconds=1))
    assert timers.fire_due_timers(engine) == 0
    clock.advance(timedelta(seconds=1))
    assert timers.fire_due_timers(engine) == 1
    assert cases.get_case(engine, applicant, case.id).outcome == "approved"
