"""Event parsing for both flavours: matterflow's timers, and messages whose payload joins the data.

SpiffWorkflow's Camunda and SpiffArena parsers each have their own message definitions (the
payload lands under a result variable); matterflow correlates messages itself and merges the
payload into the case data, so every event parser here produces the plain BPMN message
definition and the timers of timers.py. The parser classes are SpiffWorkflow's, with this
mixin in front.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.event_parsers import EventDefinitionParser
from SpiffWorkflow.bpmn.parser.util import BPMN_MODEL_NS, full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS

from engine.bpmn.iso8601 import TimerTextInvalid, parse_cycle, parse_moment, parse_period
from engine.bpmn.timers import TIMER_KINDS, WORKING_DAYS, is_literal

SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
EVENT_TAGS = frozenset(
    full_tag(tag)
    for tag in (
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "receiveTask",
        "sendTask",
    )
)
_CHECKS: dict[str, Callable[[str], object]] = {
    "timeDate": parse_moment,
    "timeDuration": parse_period,
    "timeCycle": parse_cycle,
}


def element_property(node: etree._Element, name: str) -> str | None:
    """An extension property (`camunda:property` or `spiffworkflow:property`) of an element."""
    extensions = node.find(f"{{{BPMN_MODEL_NS}}}extensionElements")
    if extensions is None:
        return None
    for namespace in (CAMUNDA_MODEL_NS, SPIFF_NS):
        for prop in extensions.iter(f"{{{namespace}}}property"):
            if prop.get("name") == name:
                value: str | None = prop.get("value")
                return value
    return None


class MatterEventParsing:
    """Mixin for SpiffWorkflow's event parsers."""

    node: etree._Element
    filename: str

    def parse_timer_event(self, event: etree._Element) -> Any:
        working_days = element_property(self.node, "calendar") == WORKING_DAYS
        name = self.node.get("name", self.node.get("id"))
        for tag, kind in TIMER_KINDS.items():
            found = event.find(f"{{{BPMN_MODEL_NS}}}{tag}")
            if found is None:
                continue
            text = (found.text or "").strip()
            if is_literal(text):
                self._check(tag, text)
            elif etree.QName(self.node).localname == "startEvent":
                raise ValidationException(
                    "a timer start event needs a literal ISO 8601 date, duration or cycle",
                    node=self.node,
                    file_name=self.filename,
                )
            description = self.get_event_description(event)  # type: ignore[attr-defined]
            return kind(name, text, working_days=working_days, description=description)
        raise ValidationException(
            "the timer has no date, duration or cycle", node=self.node, file_name=self.filename
        )

    def parse_message_event(self, message_event: etree._Element) -> Any:
        return EventDefinitionParser.parse_message_event(self, message_event)

    def _check(self, tag: str, text: str) -> None:
        try:
            _CHECKS[tag](text)
        except TimerTextInvalid as exc:
            raise ValidationException(f"timer: {exc}", node=self.node, file_name=self.filename) from exc


def with_matter_events(classes: dict[str, tuple[Any, Any]]) -> dict[str, tuple[Any, Any]]:
    """A parser-class table whose event parsers have MatterEventParsing in front."""
    return {
        tag: (type(parser.__name__, (MatterEventParsing, parser), {}), spec)
        if tag in EVENT_TAGS
        else (parser, spec)
        for tag, (parser, spec) in classes.items()
    }
