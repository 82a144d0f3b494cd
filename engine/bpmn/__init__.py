"""The only package that imports SpiffWorkflow: parse and validate, cache, run, serialize.

Its public surface is what the services use; nothing outside engine/bpmn sees a Spiff object.
"""

from SpiffWorkflow.bpmn.parser.util import BPMN_MODEL_NS as BPMN_NS

from engine.bpmn.decisions import evaluate_decision
from engine.bpmn.dmn import check_decisions
from engine.bpmn.executability import non_executable_processes
from engine.bpmn.extensions import ElementInfo, read_elements
from engine.bpmn.iso8601 import TimerTextInvalid, due_from_expression, parse_cycle, parse_moment, parse_period
from engine.bpmn.names import localised_diagram
from engine.bpmn.runner import CaseRun, OpenUserTask, PendingCall, WaitingMessage, WaitingTimer
from engine.bpmn.specs import (
    ParsedProcess,
    ProcessSources,
    SpecCache,
    TimerStart,
    compile_process,
    elements_of,
)
from engine.bpmn.timing import StepTime, stepping
from engine.bpmn.xml import XmlRejected, decode_xml, parse_xml

__all__ = [
    "BPMN_NS",
    "CaseRun",
    "ElementInfo",
    "OpenUserTask",
    "ParsedProcess",
    "PendingCall",
    "ProcessSources",
    "SpecCache",
    "StepTime",
    "TimerStart",
    "TimerTextInvalid",
    "WaitingMessage",
    "WaitingTimer",
    "XmlRejected",
    "check_decisions",
    "compile_process",
    "decode_xml",
    "due_from_expression",
    "elements_of",
    "evaluate_decision",
    "localised_diagram",
    "non_executable_processes",
    "parse_cycle",
    "parse_moment",
    "parse_period",
    "parse_xml",
    "read_elements",
    "stepping",
]
