"""One case's workflow in memory for the length of one step: start or resume, act, report.

The runner knows SpiffWorkflow; the services above it see only plain values: the open user
tasks, the timers, messages and service calls waiting, which elements are done, the case data.
Time comes from the step (timing.py), never from the wall clock.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent, EventBasedGateway
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.extensions import ElementInfo
from engine.bpmn.sandbox import SandboxScriptEngine
from engine.bpmn.serializer import dump_state, load_state
from engine.bpmn.service_tasks import GAVE_UP, REQUEST, MatterServiceTask, store_answer
from engine.bpmn.specs import ParsedProcess
from engine.bpmn.timers import due_of, postpone
from engine.bpmn.timing import current, stepping
from engine.errors import Conflict, ErrorCode, ProcessFault

SCRIPT_ENGINE = SandboxScriptEngine()
# SpiffWorkflow logs every task state change at INFO, and while its loggers have no level of
# their own it walks the whole task tree on completion just to list the tasks in a log record.
# The timeline is matterflow's record of a case; a deployment can lower these again to debug.
for _name in ("spiff.task", "spiff.workflow"):
    logging.getLogger(_name).setLevel(logging.WARNING)


@dataclass(frozen=True)
class OpenUserTask:
    """A user task waiting for a person; `escalates_at` is when its first boundary timer fires."""

    id: str
    element: ElementInfo
    escalates_at: datetime | None = None


@dataclass(frozen=True)
class WaitingTimer:
    """A timer event waiting to fire."""

    id: str
    element_id: str
    due_at: datetime


@dataclass(frozen=True)
class WaitingMessage:
    """A task waiting for a message: a catch event, receive task, boundary event or gateway."""

    task_id: str
    element_id: str
    name: str
    correlation_key: str | None


@dataclass(frozen=True)
class PendingCall:
    """A service task waiting for the worker to call another system."""

    id: str
    element_id: str
    connector: str | None
    request: dict[str, Any]
    retries: int | None
    backoff_seconds: float | None


class CaseRun:
    """A restored workflow plus the operations a step may perform on it."""

    def __init__(self, parsed: ParsedProcess, workflow: Any, *, started_by: str | None = None) -> None:
        self.parsed = parsed
        self._workflow = workflow
        self._started_by = started_by
        self._faults: list[ProcessFault] = []

    @classmethod
    def begin(
        cls, parsed: ParsedProcess, data: Mapping[str, Any], *, started_by: str | None = None
    ) -> CaseRun:
        """A new workflow whose start event carries the data; `started_by` names the timer start
        event of a case the schedule starts."""
        workflow = BpmnWorkflow(parsed.spec, dict(parsed.subprocess_specs), script_engine=SCRIPT_ENGINE)
        workflow.task_tree.data.update(dict(data))
        return cls(parsed, workflow, started_by=started_by)

    @classmethod
    def resume(cls, parsed: ParsedProcess, state: str) -> CaseRun:
        workflow = load_state(state, parsed)
        workflow.script_engine = SCRIPT_ENGINE
        return cls(parsed, workflow)

    def dump(self) -> str:
        return dump_state(self._workflow, self.parsed.flavor)

    def advance(self) -> None:
        """Run every automatic step until the workflow waits for a person, a timer, a message, a
        call or the end. A service call given up in this step is this step's fault."""
        if self._faults:
            raise self._faults[0]
        try:
            with stepping(replace(current(), started_by=self._started_by)):
                self._workflow.do_engine_steps()
        except WorkflowException as exc:
            raise self._fault(exc) from exc

    def fire_due_timers(self) -> None:
        """Let every timer whose moment has come fire; advance() then runs what follows."""
        try:
            self._workflow.refresh_timers()
        except WorkflowException as exc:
            raise self._fault(exc) from exc

    def complete_user_task(self, task_id: str, data: Mapping[str, Any]) -> ElementInfo:
        """Record a person's input on an open user task and mark it done."""
        task = self._task(task_id)
        if not task.task_spec.manual or not task.has_state(TaskState.READY):
            raise Conflict(f"task {task_id} is not open on this case", code=ErrorCode.TASK_NOT_OPEN)
        task.data.update(dict(data))
        try:
            task.run()
        except WorkflowException as exc:
            raise self._fault(exc) from exc
        return self._info(task)

    def deliver_message(self, name: str, payload: Mapping[str, Any], task_ids: Collection[str]) -> int:
        """Hand a message to the named waiting tasks; its payload joins the data when they run."""
        delivered = 0
        for task in list(self._workflow.event_manager.tasks.values()):
            definition = _message_definition(task.task_spec.event_definition, name)
            if str(task.id) not in task_ids or definition is None:
                continue
            try:
                task.task_spec.catch(task, BpmnEvent(definition, payload=dict(payload)))
                task.task_spec._update(task)
            except WorkflowException as exc:
                raise self._fault(exc) from exc
            delivered += 1
        return delivered

    def complete_call(self, task_id: str, answer: Any) -> None:
        """A service call answered: store the answer and let the workflow go on."""
        task = self._pending_call_task(task_id)
        store_answer(task, answer)
        task.internal_data.pop(REQUEST, None)
        try:
            task.complete()
        except WorkflowException as exc:
            raise self._fault(exc) from exc

    def give_up_call(self, task_id: str, message: str) -> None:
        """The last attempt of a call failed: the task keeps waiting, marked, until a retry."""
        task = self._pending_call_task(task_id)
        task.internal_data[GAVE_UP] = message
        info = self._info(task)
        self._faults.append(ProcessFault(message, element=info.id, file=info.file))

    def merge_data(self, data: Mapping[str, Any]) -> None:
        """Retrying after a fault: correct the data on every task that is not finished, and
        re-arm the service calls that gave up, with requests evaluated from the corrected data."""
        for task in self._workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK):
            task.data.update(dict(data))
        self._workflow.task_tree.data.update(dict(data))
        for task in self._call_tasks():
            if GAVE_UP in task.internal_data:
                try:
                    task.task_spec._execute(task)
                except WorkflowException as exc:
                    raise self._fault(exc) from exc

    @property
    def completed(self) -> bool:
        return bool(self._workflow.is_completed())

    @property
    def data(self) -> dict[str, Any]:
        """The case data as the latest completed step left it."""
        if self.completed:
            return dict(self._workflow.data)
        last = self._workflow.last_task
        return dict(last.data if last is not None else self._workflow.task_tree.data)

    def open_user_tasks(self) -> list[OpenUserTask]:
        ready = self._workflow.get_tasks(state=TaskState.READY, manual=True)
        return [OpenUserTask(str(task.id), self._info(task), self._escalation_of(task)) for task in ready]

    def postpone_timers(self, by: timedelta) -> None:
        """Push every waiting duration and cycle timer back by `by` (timers.postpone)."""
        for task in self._workflow.event_manager.tasks.values():
            for definition in _definitions(task.task_spec.event_definition, TimerEventDefinition):
                postpone(task, definition, by)

    def waiting_timers(self) -> list[WaitingTimer]:
        timers = []
        for task in self._workflow.event_manager.tasks.values():
            for definition in _definitions(task.task_spec.event_definition, TimerEventDefinition):
                due = due_of(task, definition)
                if due is not None:
                    timers.append(WaitingTimer(str(task.id), task.task_spec.bpmn_id, due))
        return timers

    def waiting_messages(self) -> list[WaitingMessage]:
        waiting = []
        for task in self._workflow.event_manager.tasks.values():
            for definition, element in _listening(task.task_spec):
                if isinstance(definition, MessageEventDefinition):
                    key = self._correlation_key(task, self.parsed.element(element.bpmn_id))
                    waiting.append(WaitingMessage(str(task.id), element.bpmn_id, definition.name, key))
        return waiting

    def pending_calls(self) -> list[PendingCall]:
        return [
            PendingCall(
                id=str(task.id),
                element_id=task.task_spec.bpmn_id,
                connector=task.task_spec.call.connector,
                request=dict(task.internal_data.get(REQUEST) or {}),
                retries=task.task_spec.call.retries,
                backoff_seconds=task.task_spec.call.backoff_seconds,
            )
            for task in self._call_tasks()
            if GAVE_UP not in task.internal_data
        ]

    def element_states(self) -> dict[str, str]:
        """bpmn id → 'completed', 'active' or 'upcoming' (on the path SpiffWorkflow predicts
        from here), for marking the diagram."""
        states: dict[str, str] = {}
        for task in self._workflow.get_tasks():
            element = getattr(task.task_spec, "bpmn_id", None)
            if element is None:
                continue
            if task.has_state(TaskState.COMPLETED):
                states[element] = "completed"
            elif task.has_state(TaskState.READY | TaskState.WAITING | TaskState.STARTED):
                states[element] = "active" if states.get(element) != "completed" else "completed"
            elif task.has_state(TaskState.PREDICTED_MASK):
                states.setdefault(element, "upcoming")
        return states

    def _escalation_of(self, task: Any) -> datetime | None:
        """The earliest firing of the boundary timers on a user task: they are its siblings, all
        children of the split SpiffWorkflow puts before a task with boundary events."""
        parent = task.parent
        if parent is None:
            return None
        moments = [
            due
            for sibling in parent.children
            if isinstance(sibling.task_spec, BoundaryEvent)
            for definition in _definitions(sibling.task_spec.event_definition, TimerEventDefinition)
            if (due := due_of(sibling, definition)) is not None
        ]
        return min(moments, default=None)

    def _call_tasks(self) -> list[Any]:
        if "serviceTask" not in self.parsed.kinds:
            return []
        started = self._workflow.get_tasks(state=TaskState.STARTED)
        return [task for task in started if isinstance(task.task_spec, MatterServiceTask)]

    def _pending_call_task(self, task_id: str) -> Any:
        task = self._task(task_id)
        if not isinstance(task.task_spec, MatterServiceTask) or not task.has_state(TaskState.STARTED):
            raise Conflict(f"no call is pending for task {task_id}", code=ErrorCode.CALL_NOT_PENDING)
        return task

    def _correlation_key(self, task: Any, info: ElementInfo | None) -> str | None:
        """The key a case registers from its data, by the element's `correlationKey` expression."""
        if info is None or not info.correlation_key:
            return None
        try:
            value = self._workflow.script_engine.evaluate(task, info.correlation_key)
        except WorkflowException:
            return None  # not in the data (yet): the case id and number still correlate
        return None if value is None else str(value)

    def _task(self, task_id: str) -> Any:
        try:
            task = self._workflow.get_task_from_id(UUID(task_id))
        except (ValueError, WorkflowException) as exc:
            raise Conflict(f"task {task_id} is not open on this case", code=ErrorCode.TASK_NOT_OPEN) from exc
        if task is None:
            raise Conflict(f"task {task_id} is not open on this case", code=ErrorCode.TASK_NOT_OPEN)
        return task

    def _info(self, task: Any) -> ElementInfo:
        element_id = task.task_spec.bpmn_id
        return self.parsed.elements.get(element_id) or ElementInfo(
            id=element_id, name=task.task_spec.bpmn_name or element_id, kind="task", file=""
        )

    def _fault(self, exc: WorkflowException) -> ProcessFault:
        task = getattr(exc, "task", None)
        element = getattr(getattr(task, "task_spec", None), "bpmn_id", None) or ""
        info = self.parsed.elements.get(element)
        message = str(exc).split("\n")[0]
        notes = [note for note in getattr(exc, "__notes__", []) if note]
        if notes:
            message = f"{message} ({'; '.join(notes)})"
        return ProcessFault(message, element=element, file=info.file if info else "")


def _listening(spec: Any) -> list[tuple[Any, Any]]:
    """(definition, element) pairs a waiting task listens for: behind an event-based gateway
    each definition belongs to one of the gateway's outgoing events."""
    if isinstance(spec, EventBasedGateway):
        return list(zip(spec.event_definition.event_definitions, spec.outputs, strict=False))
    return [(definition, spec) for definition in _definitions(spec.event_definition, object)]


def _definitions(definition: Any, kind: type) -> list[Any]:
    """The definitions of one kind a waiting task listens for (several behind a gateway)."""
    found = definition.event_definitions if isinstance(definition, MultipleEventDefinition) else [definition]
    return [d for d in found if isinstance(d, kind)]


def _message_definition(definition: Any, name: str) -> Any:
    return next((d for d in _definitions(definition, MessageEventDefinition) if d.name == name), None)
