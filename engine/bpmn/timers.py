"""Timer events that read ISO 8601 the way Camunda Modeler writes it and tell time by the step.

The three kinds replace SpiffWorkflow's own: a date (`timeDate`), a duration after the timer
starts waiting (`timeDuration`), and a cycle (`timeCycle`, `R3/PT1H`). The text may be written
literally, quoted as a Python string (SpiffArena's habit), or be an expression over the case
data (`${deadline}`, `payment_window`) that yields such a text. A timer whose element carries
the extension property `calendar = working-days` counts whole days on the working calendar of
the case's region. The due moment is computed once, when the timer starts waiting, and kept in
the task's internal data like SpiffWorkflow's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent

from engine.bpmn.iso8601 import TimerTextInvalid, parse_cycle, parse_moment, parse_period
from engine.bpmn.timing import current

_LITERAL = re.compile(r"^(R\d*/|P\d|PT\d|\d{4}-\d{2}-\d{2})", re.IGNORECASE)
WORKING_DAYS = "working-days"


def is_literal(text: str) -> bool:
    """True when the timer text is ISO 8601 as written, not an expression to evaluate."""
    return bool(_LITERAL.match(text.strip()))


def timer_text(task: Any, expression: str) -> str:
    """The ISO text a timer stands for in this case."""
    raw = (expression or "").strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    if is_literal(raw):
        return raw
    value = task.workflow.script_engine.evaluate(task, raw)
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _started_here(task: Any) -> bool:
    """A scheduled case begins at its timer start event, which has fired by definition."""
    return isinstance(task.task_spec, StartEvent) and current().started_by == task.task_spec.bpmn_id


class _MatterTimer:
    """What the three kinds share: the working-days flag and faults that name the element."""

    def __init__(self, name: str, expression: str, *, working_days: bool = False, **kwargs: Any) -> None:
        super().__init__(name, expression, **kwargs)  # type: ignore[call-arg]
        self.working_days = working_days

    def _due(self, task: Any, compute: Callable[[str], datetime]) -> datetime:
        value = task._get_internal_data("event_value")
        if value is None:
            try:
                value = compute(timer_text(task, self.expression)).isoformat()  # type: ignore[attr-defined]
            except TimerTextInvalid as exc:
                raise WorkflowTaskException(str(exc), task=task) from exc
            task._set_internal_data(event_value=value)
        return datetime.fromisoformat(value)

    def _fired_if_due(self, task: Any, due: datetime) -> bool:
        if _started_here(task) or due <= current().now:
            task._set_internal_data(event_fired=True)
        return bool(task._get_internal_data("event_fired", False))


class MatterTimeDate(_MatterTimer, TimeDateEventDefinition):  # type: ignore[misc]
    """`timeDate`: fires at a moment ('2026-12-01T09:00:00+08:00')."""

    def has_fired(self, my_task):  # type: ignore[no-untyped-def]
        return self._fired_if_due(my_task, self._due(my_task, parse_moment))


class MatterDuration(_MatterTimer, DurationTimerEventDefinition):  # type: ignore[misc]
    """`timeDuration`: fires a period after it starts waiting ('P15D', 'PT36H')."""

    def has_fired(self, my_task):  # type: ignore[no-untyped-def]
        step = current()

        def due_after(text: str) -> datetime:
            period = parse_period(text, working_days=self.working_days)
            return period.after(step.now, step.calendar)

        return self._fired_if_due(my_task, self._due(my_task, due_after))


class MatterCycle(_MatterTimer, CycleTimerEventDefinition):  # type: ignore[misc]
    """`timeCycle`: fires repeatedly ('R3/PT1H'); each firing runs the outgoing path once."""

    def has_fired(self, my_task):  # type: ignore[no-untyped-def]
        if _started_here(my_task):
            my_task._set_internal_data(event_fired=True)
        return bool(my_task._get_internal_data("event_fired", False))

    def cycle_complete(self, my_task):  # type: ignore[no-untyped-def]
        step = current()
        value = my_task._get_internal_data("event_value")
        if value is None:
            text = timer_text(my_task, self.expression)
            value = {"text": text, "origin": step.now.isoformat(), "index": 0}
            value["next"] = self._occurrence(my_task, value)
        ready = False
        if value["next"] is None:
            my_task.internal_data.pop("event_value", None)
            my_task.internal_data["event_fired"] = True
            return False
        if datetime.fromisoformat(value["next"]) <= step.now:
            value["index"] += 1
            value["next"] = self._occurrence(my_task, value)
            ready = True
        my_task._set_internal_data(event_value=value)
        return ready

    def _occurrence(self, task: Any, value: dict[str, Any]) -> str | None:
        """The next firing as ISO text, or None when the repetitions are used up."""
        try:
            cycle = parse_cycle(value["text"], working_days=self.working_days)
        except TimerTextInvalid as exc:
            raise WorkflowTaskException(str(exc), task=task) from exc
        if not cycle.has_occurrence(value["index"]):
            return None
        origin = datetime.fromisoformat(value["origin"])
        return cycle.occurrence(value["index"], origin, current().calendar).isoformat()


def due_of(task: Any, definition: Any) -> datetime | None:
    """When a waiting timer task fires next, as computed when it started waiting."""
    value = task._get_internal_data("event_value")
    if isinstance(definition, MatterCycle) and isinstance(value, dict):
        value = value.get("next")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def postpone(task: Any, definition: Any, by: timedelta) -> None:
    """Move a waiting timer's next firing later by `by`: the time its case spent waiting for the
    applicant does not count. A `timeDate` names a moment in the calendar and keeps it."""
    value = task._get_internal_data("event_value")
    if isinstance(definition, MatterDuration) and isinstance(value, str):
        task._set_internal_data(event_value=(datetime.fromisoformat(value) + by).isoformat())
    elif isinstance(definition, MatterCycle) and isinstance(value, dict) and value.get("next"):
        moved = {key: (datetime.fromisoformat(value[key]) + by).isoformat() for key in ("origin", "next")}
        task._set_internal_data(event_value={**value, **moved})


TIMER_KINDS = {"timeDate": MatterTimeDate, "timeDuration": MatterDuration, "timeCycle": MatterCycle}
