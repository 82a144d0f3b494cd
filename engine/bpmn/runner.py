"""One case's workflow in memory for the length of one step: start or resume, act, report.

The runner knows SpiffWorkflow; the services above it see only plain values: the open user
tasks, the timers waiting, which elements are done, and the case data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.extensions import ElementInfo
from engine.bpmn.sandbox import SandboxScriptEngine
from engine.bpmn.serializer import dump_state, load_state
from engine.bpmn.specs import ParsedProcess
from engine.errors import Conflict, ProcessFault

SCRIPT_ENGINE = SandboxScriptEngine()


@dataclass(frozen=True)
class OpenUserTask:
    """A user task waiting for a person."""

    id: str
    element: ElementInfo


@dataclass(frozen=True)
class WaitingTimer:
    """A timer event waiting to fire."""

    id: str
    element_id: str
    due_at: datetime | None


class CaseRun:
    """A restored workflow plus the operations a step may perform on it."""

    def __init__(self, parsed: ParsedProcess, workflow: Any) -> None:
        self.parsed = parsed
        self._workflow = workflow

    @classmethod
    def begin(cls, parsed: ParsedProcess, data: Mapping[str, Any]) -> CaseRun:
        """A new workflow whose start event carries the application data."""
        workflow = BpmnWorkflow(parsed.spec, dict(parsed.subprocess_specs), script_engine=SCRIPT_ENGINE)
        workflow.task_tree.data.update(dict(data))
        return cls(parsed, workflow)

    @classmethod
    def resume(cls, parsed: ParsedProcess, state: str) -> CaseRun:
        workflow = load_state(state, parsed)
        workflow.script_engine = SCRIPT_ENGINE
        return cls(parsed, workflow)

    def dump(self) -> str:
        return dump_state(self._workflow, self.parsed.flavor)

    def advance(self) -> None:
        """Run every automatic step until the workflow waits for a person, a timer or the end."""
        try:
            self._workflow.do_engine_steps()
        except WorkflowException as exc:
            raise self._fault(exc) from exc

    def complete_user_task(self, task_id: str, data: Mapping[str, Any]) -> ElementInfo:
        """Record a person's input on an open user task and mark it done."""
        task = self._ready_user_task(task_id)
        task.data.update(dict(data))
        try:
            task.run()
        except WorkflowException as exc:
            raise self._fault(exc) from exc
        return self._info(task)

    def merge_data(self, data: Mapping[str, Any]) -> None:
        """Correct case data on every task that is not finished (used to retry after a fault)."""
        for task in self._workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK):
            task.data.update(dict(data))
        self._workflow.task_tree.data.update(dict(data))

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
        return [OpenUserTask(id=str(task.id), element=self._info(task)) for task in ready]

    def waiting_timers(self) -> list[WaitingTimer]:
        timers = []
        for task in self._workflow.get_tasks(state=TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(definition, TimerEventDefinition):
                value = task.internal_data.get("event_value")
                due = datetime.fromisoformat(value) if isinstance(value, str) else None
                timers.append(WaitingTimer(str(task.id), task.task_spec.bpmn_id, due))
        return timers

    def element_states(self) -> dict[str, str]:
        """bpmn id → 'completed' or 'active', for marking the diagram."""
        states: dict[str, str] = {}
        for task in self._workflow.get_tasks():
            element = getattr(task.task_spec, "bpmn_id", None)
            if element is None:
                continue
            if task.has_state(TaskState.COMPLETED):
                states[element] = "completed"
            elif task.has_state(TaskState.READY | TaskState.WAITING | TaskState.STARTED):
                states.setdefault(element, "active")
        return states

    def _ready_user_task(self, task_id: str) -> Any:
        try:
            task = self._workflow.get_task_from_id(UUID(task_id))
        except (ValueError, WorkflowException) as exc:
            raise Conflict(f"task {task_id} is not open on this case") from exc
        if task is None or not task.task_spec.manual or not task.has_state(TaskState.READY):
            raise Conflict(f"task {task_id} is not open on this case")
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
