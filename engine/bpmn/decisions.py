"""Evaluate one DMN decision on its own: for testing tables row by row and for test runs of a
table before it is published, without a process around it."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.bpmn.extensions import MatterCamundaParser
from engine.bpmn.runner import SCRIPT_ENGINE
from engine.bpmn.xml import parse_xml
from engine.errors import ProcessFault


def evaluate_decision(dmn_text: str, file: str, decision_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The outputs of `decision_id` for `data`; ProcessFault when no rule matches or a test fails."""
    parser = MatterCamundaParser()
    parser.add_dmn_xml(parse_xml(dmn_text, file), filename=file)
    decision = parser.get_engine(decision_id, None)  # type: ignore[no-untyped-call]
    task = SimpleNamespace(data=dict(data), workflow=SimpleNamespace(script_engine=SCRIPT_ENGINE))
    try:
        result: dict[str, Any] = decision.result(task)
    except (SpiffWorkflowException, AttributeError) as exc:
        raise ProcessFault(str(exc).split("\n")[0], element=decision_id, file=file) from exc
    return result
