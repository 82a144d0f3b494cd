"""Timer events in the runner, without a database: cycles, expressions, and bad text refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.bpmn import CaseRun, ParsedProcess, ProcessSources, StepTime, compile_process, stepping
from engine.errors import ProcessFault, ProcessInvalid
from tests import worker_matters as wm

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _compile(body: str) -> ParsedProcess:
    return compile_process(ProcessSources("p", {"p.bpmn": wm.diagram("p", body)}))


def _wait(text: str) -> str:
    return "\n".join(
        [
            wm.START,
            f'<bpmn:intermediateCatchEvent id="wait">{wm.timer("timeDuration", text)}'
            "</bpmn:intermediateCatchEvent>",
            wm.END,
            wm.flow("start", "wait"),
            wm.flow("wait", "end"),
        ]
    )


def test_a_non_interrupting_cycle_reminds_as_often_as_it_says() -> None:
    body = "\n".join(
        [
            wm.START,
            '<bpmn:userTask id="review" camunda:candidateGroups="review"/>',
            '<bpmn:boundaryEvent id="remind" attachedToRef="review" cancelActivity="false">'
            f"{wm.timer('timeCycle', 'R2/PT1H')}</bpmn:boundaryEvent>",
            wm.script("count", "reminded = True"),
            '<bpmn:endEvent id="reminded"/>',
            wm.END,
            wm.flow("start", "review"),
            wm.flow("review", "end"),
            wm.flow("remind", "count"),
            wm.flow("count", "reminded"),
        ]
    )
    parsed = _compile(body)
    with stepping(StepTime(T0)):
        run = CaseRun.begin(parsed, {})
        run.advance()
    dues = [run.waiting_timers()[0].due_at]
    for hours in (1, 2, 3):
        run = CaseRun.resume(parsed, run.dump())
        with stepping(StepTime(T0 + timedelta(hours=hours))):
            run.fire_due_timers()
            run.advance()
        dues += [t.due_at for t in run.waiting_timers()]
    assert dues == [T0 + timedelta(hours=1), T0 + timedelta(hours=2)]
    assert [t.element.id for t in run.open_user_tasks()] == ["review"]


def test_a_timer_text_may_come_from_the_case_data() -> None:
    parsed = _compile(_wait("${window}"))
    with stepping(StepTime(T0)):
        run = CaseRun.begin(parsed, {"window": "P3D"})
        run.advance()
    assert [t.due_at for t in run.waiting_timers()] == [T0 + timedelta(days=3)]


def test_a_timer_text_from_the_data_that_is_not_iso_is_a_fault_on_the_event() -> None:
    parsed = _compile(_wait("window"))
    with stepping(StepTime(T0)), pytest.raises(ProcessFault) as fault:
        run = CaseRun.begin(parsed, {"window": "three days"})
        run.advance()
    assert fault.value.element == "wait"


def test_a_written_timer_that_is_not_iso_is_refused_at_deployment() -> None:
    with pytest.raises(ProcessInvalid) as refused:
        _compile(_wait("P15X"))
    assert "wait" in str(refused.value) and "ISO 8601" in str(refused.value)
