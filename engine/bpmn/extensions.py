"""What matterflow reads from diagrams beyond SpiffWorkflow: routing, forms and due dates.

Camunda Modeler writes `camunda:candidateGroups`, `camunda:formKey` and `camunda:dueDate`;
SpiffArena names forms with a `formJsonSchemaFilename` property and routes by lanes. Both are
read here into one `ElementInfo` per flow node, so the rest of the engine never looks at XML.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.parser.event_parsers import ReceiveTaskParser, SendTaskParser
from SpiffWorkflow.bpmn.parser.util import BPMN_MODEL_NS, full_tag
from SpiffWorkflow.bpmn.specs.defaults import ReceiveTask, SendTask
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.specs.model import HitPolicy
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine.bpmn.event_parsers import SPIFF_NS, element_property, with_matter_events
from engine.bpmn.names import english_name
from engine.bpmn.service_tasks import CamundaServiceTaskParser, MatterServiceTask, SpiffServiceTaskParser

_BPMN = f"{{{BPMN_MODEL_NS}}}"
_CAMUNDA = f"{{{CAMUNDA_MODEL_NS}}}"

FLOW_NODE_TAGS = frozenset(
    {
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "task",
        "userTask",
        "manualTask",
        "scriptTask",
        "serviceTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
        "callActivity",
        "subProcess",
        "transaction",
        "exclusiveGateway",
        "parallelGateway",
        "inclusiveGateway",
        "eventBasedGateway",
        "complexGateway",
    }
)


@dataclass(frozen=True)
class ElementInfo:
    """One flow node of a diagram, with the routing and form facts the engine needs."""

    id: str
    name: str
    kind: str
    file: str
    form_key: str | None = None
    candidate_groups: tuple[str, ...] = ()
    due_date: str | None = None
    lane: str | None = None
    correlation_key: str | None = None  # an expression over the case data (messages)
    # separation of duties: whoever decided one of these user tasks may not decide this one
    decider_differs_from: tuple[str, ...] = ()
    name_en: str | None = None  # the English name (extension property name_en; names.py)

    @property
    def names(self) -> dict[str, str]:
        """The element's name in each language the diagram gives it: Chinese, maybe English."""
        return {"zh": self.name, **({"en": self.name_en} if self.name_en else {})}


def read_elements(root: etree._Element, file: str) -> dict[str, ElementInfo]:
    """Collect every flow node of every process in one BPMN document."""
    lanes = _lane_names(root)
    elements: dict[str, ElementInfo] = {}
    for node in root.iter(f"{_BPMN}*"):
        kind = etree.QName(node).localname
        node_id = node.get("id")
        if kind not in FLOW_NODE_TAGS or not node_id:
            continue
        lane = lanes.get(node_id)
        groups = _split(node.get(f"{_CAMUNDA}candidateGroups")) or ((lane,) if lane else ())
        elements[node_id] = ElementInfo(
            id=node_id,
            name=(node.get("name") or node_id).strip(),
            kind=kind,
            file=file,
            form_key=node.get(f"{_CAMUNDA}formKey") or _spiff_form(node),
            candidate_groups=groups if kind == "userTask" else (),
            due_date=node.get(f"{_CAMUNDA}dueDate"),
            lane=lane,
            correlation_key=element_property(node, "correlationKey"),
            decider_differs_from=_split(element_property(node, "differentDeciderFrom")),
            name_en=english_name(node),
        )
    return elements


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _lane_names(root: etree._Element) -> dict[str, str]:
    """Map flow node id → the name (else id) of the lane that holds it."""
    owners: dict[str, str] = {}
    for lane in root.iter(f"{_BPMN}lane"):
        label = (lane.get("name") or lane.get("id") or "").strip()
        for ref in lane.findall(f"{_BPMN}flowNodeRef"):
            if ref.text:
                owners[ref.text.strip()] = label
    return owners


def _spiff_form(node: etree._Element) -> str | None:
    for prop in node.iter(f"{{{SPIFF_NS}}}property"):
        if prop.get("name") == "formJsonSchemaFilename" and prop.get("value"):
            value: str = prop.get("value")
            return value.removesuffix(".json").removesuffix("-schema")
    return None


class StrictDMNEngine(DMNEngine):  # type: ignore[misc]
    """A decision table where no matching rule is an error, never an empty result.

    SpiffWorkflow returns {} when nothing matches; the gateway after it would then fail on a
    missing variable far from the cause. Failing here names the decision that has the gap.
    """

    def result(self, task):  # type: ignore[no-untyped-def]
        outcome = super().result(task)
        table = self.decision_table
        if not outcome and table.hit_policy != HitPolicy.COLLECT.value:
            raise WorkflowTaskException(
                f"decision table {table.id!r} has no rule matching the case data", task=task
            )
        return outcome


class _StrictDecisions:
    """Parser mixin that hands business rule tasks a StrictDMNEngine."""

    def get_engine(self, decision_ref, node):  # type: ignore[no-untyped-def]
        engine = super().get_engine(decision_ref, node)  # type: ignore[misc]
        return StrictDMNEngine(engine.decision_table)


class MatterCamundaParser(_StrictDecisions, CamundaParser):  # type: ignore[misc]
    """Camunda 7 flavour: bpmn.io and Camunda Modeler diagrams."""

    OVERRIDE_PARSER_CLASSES = with_matter_events(
        {
            **CamundaParser.OVERRIDE_PARSER_CLASSES,
            full_tag("receiveTask"): (ReceiveTaskParser, ReceiveTask),
            full_tag("sendTask"): (SendTaskParser, SendTask),
            full_tag("serviceTask"): (CamundaServiceTaskParser, MatterServiceTask),
        }
    )


class MatterSpiffParser(_StrictDecisions, SpiffBpmnParser):  # type: ignore[misc]
    """SpiffArena flavour: diagrams with spiffworkflow extension elements."""

    OVERRIDE_PARSER_CLASSES = with_matter_events(
        {
            **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
            full_tag("serviceTask"): (SpiffServiceTaskParser, MatterServiceTask),
        }
    )
