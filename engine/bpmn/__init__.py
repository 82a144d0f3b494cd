"""The only package that imports SpiffWorkflow: parse and validate, cache, run, serialize.

Its public surface is what the services use; nothing outside engine/bpmn sees a Spiff object.
"""

from SpiffWorkflow.bpmn.parser.util import BPMN_MODEL_NS as BPMN_NS

from engine.bpmn.decisions import evaluate_decision
from engine.bpmn.extensions import ElementInfo
from engine.bpmn.runner import CaseRun, OpenUserTask, WaitingTimer
from engine.bpmn.specs import ParsedProcess, ProcessSources, SpecCache, compile_process
from engine.bpmn.xml import XmlRejected, decode_xml, parse_xml

__all__ = [
    "BPMN_NS",
    "CaseRun",
    "ElementInfo",
    "OpenUserTask",
    "ParsedProcess",
    "ProcessSources",
    "SpecCache",
    "WaitingTimer",
    "XmlRejected",
    "compile_process",
    "decode_xml",
    "evaluate_decision",
    "parse_xml",
]
