"""Workflow state to JSON and back, without the spec.

SpiffWorkflow's serializer writes the whole parsed spec into every snapshot; a version's spec
never changes, so matterflow stores only the task tree and data and re-attaches the cached spec
on restore. That keeps one case's state small and restoring cheap.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.event_definition import (
    MessageEventDefinitionConverter,
    TimerConditionalEventDefinitionConverter,
)
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from engine import json_text
from engine.bpmn.specs import ParsedProcess
from engine.bpmn.timers import TIMER_KINDS

STATE_FORMAT = "matterflow-state/1"


class _StateOnlyConverter(BpmnWorkflowConverter):  # type: ignore[misc]
    """Converts a top-level workflow without its spec and subprocess specs."""

    def to_dict(self, workflow):  # type: ignore[no-untyped-def]
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, parsed=None):  # type: ignore[no-untyped-def]
        workflow = self.target_class(parsed.spec, dict(parsed.subprocess_specs), deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _serializer(config: dict[Any, Any]) -> BpmnWorkflowSerializer:
    config = deepcopy(config)
    config[BpmnWorkflow] = _StateOnlyConverter
    # an event-based gateway keeps the events it has seen in its task data: matterflow's timers,
    # and the plain BPMN messages both flavours parse to (event_parsers.py)
    config.update(dict.fromkeys(TIMER_KINDS.values(), TimerConditionalEventDefinitionConverter))
    config[MessageEventDefinition] = MessageEventDefinitionConverter
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


_SERIALIZERS = {"camunda": _serializer(CAMUNDA_CONFIG), "spiff": _serializer(SPIFF_CONFIG)}


def dump_state(workflow: Any, flavor: str) -> str:
    """The workflow's task tree and data as compact JSON text."""
    serializer = _SERIALIZERS[flavor]
    dct = serializer.to_dict(workflow)
    dct["format"] = STATE_FORMAT
    return json_text.dumps(dct)


def load_state(state: str, parsed: ParsedProcess) -> Any:
    """Rebuild the workflow from dump_state's text and the cached spec of its version."""
    dct = json_text.loads(state)
    if dct.pop("format", None) != STATE_FORMAT:
        raise ValueError("not a matterflow workflow state")
    return _SERIALIZERS[parsed.flavor].from_dict(dct, parsed=parsed)
