"""Service tasks: calls to other departments' systems, made by the worker, never inside a step.

When a case reaches a service task, the task evaluates its request from the case data, records
it, and waits (SpiffWorkflow's STARTED state). The worker makes the call through the named
connector and completes the task with the answer, or gives up after the last retry, which is an
incident. Diagrams name a connector, never a URL or a secret:

- Camunda Modeler: an external task, `camunda:type="external" camunda:topic="<connector>"`,
  with `camunda:inputParameter`s as the request (`${...}` is evaluated, other text is literal)
  and optionally `camunda:failedJobRetryTimeCycle` (`R5/PT1M`: five retries, the first after a
  minute, then doubling).
- SpiffArena: `spiffworkflow:serviceTaskOperator id="<connector>"` with its parameters (Python
  expressions), `resultVariable` and `retry`.

The answer (a JSON object) is merged into the case data, or stored under the result variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.defaults import ServiceTask
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, CamundaTaskParser
from SpiffWorkflow.spiff.parser.task_spec import SpiffTaskParser

from engine.bpmn.iso8601 import TimerTextInvalid, parse_cycle

REQUEST = "matterflow_request"  # internal data: the evaluated request, while the call is pending
GAVE_UP = "matterflow_gave_up"  # internal data: the last failure, until a retry re-arms the call
_CAMUNDA = f"{{{CAMUNDA_MODEL_NS}}}"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # any fixed moment, to measure a period in seconds


@dataclass(frozen=True)
class CallSpec:
    """What a diagram says about one call: which connector, which request, how persistent."""

    connector: str | None
    parameters: Mapping[str, str] = field(default_factory=dict)  # name → expression
    result_variable: str | None = None
    retries: int | None = None
    backoff_seconds: float | None = None


class MatterServiceTask(ServiceTask):  # type: ignore[misc]
    """Records its request and waits for the worker instead of running anything itself."""

    def __init__(self, wf_spec: Any, bpmn_id: str, call: CallSpec, **kwargs: Any) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.call = call

    def _execute(self, task: Any) -> None:
        engine = task.workflow.script_engine
        task.internal_data[REQUEST] = {
            name: engine.evaluate(task, expression) for name, expression in self.call.parameters.items()
        }
        task.internal_data.pop(GAVE_UP, None)


def store_answer(task: Any, answer: Any) -> None:
    """Put a call's answer into the task's data as the diagram asks."""
    spec: MatterServiceTask = task.task_spec
    if spec.call.result_variable:
        task.data[spec.call.result_variable] = answer
    elif isinstance(answer, Mapping):
        task.data.update(answer)
    else:
        task.data[f"{spec.bpmn_id}_result"] = answer


class CamundaServiceTaskParser(CamundaTaskParser):  # type: ignore[misc]
    """A Camunda 7 external task whose topic names the connector."""

    def create_task(self):  # type: ignore[no-untyped-def]
        node = self.node
        parameters = {
            param.get("name"): _camunda_expression(param.text or "")
            for param in node.iter(f"{_CAMUNDA}inputParameter")
        }
        retries, backoff = _retry_cycle(node)
        call = CallSpec(
            connector=node.get(f"{_CAMUNDA}topic"),
            parameters=parameters,
            result_variable=node.get(f"{_CAMUNDA}resultVariable"),
            retries=retries,
            backoff_seconds=backoff,
        )
        return MatterServiceTask(self.spec, self.bpmn_id, call, **self.bpmn_attributes)


def _camunda_expression(text: str) -> str:
    """Camunda input parameters are literal text unless written as ${...}."""
    stripped = text.strip()
    return stripped if stripped.startswith("${") else repr(stripped)


def _retry_cycle(node: Any) -> tuple[int | None, float | None]:
    found = next(node.iter(f"{_CAMUNDA}failedJobRetryTimeCycle"), None)
    if found is None or not (found.text or "").strip():
        return None, None
    try:
        cycle = parse_cycle(found.text)
    except TimerTextInvalid:
        return None, None
    first = cycle.period.after(_EPOCH) - _EPOCH
    return cycle.repeats, first.total_seconds()


class SpiffServiceTaskParser(SpiffTaskParser):  # type: ignore[misc]
    """A SpiffArena service task whose operator id names the connector."""

    def create_task(self):  # type: ignore[no-untyped-def]
        operator = self.parse_extensions().get("serviceTaskOperator") or {}
        call = CallSpec(
            connector=operator.get("name"),
            parameters={name: param["value"] for name, param in operator.get("parameters", {}).items()},
            result_variable=operator.get("resultVariable") or None,
            retries=operator.get("retries"),
            backoff_seconds=operator.get("retryBackoffBase"),
        )
        return MatterServiceTask(self.spec, self.bpmn_id, call, **self.bpmn_attributes)
