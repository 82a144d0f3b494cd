"""Turn a matter's BPMN and DMN sources into a runnable spec, or into located problems.

Parsing is far slower than running, so parsed specs are kept in a cache keyed by the sha256 of
the sources: a version is immutable, so its key never goes stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.util import BPMN_MODEL_NS
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.bpmn.dmn import check_decisions
from engine.bpmn.event_parsers import SPIFF_NS
from engine.bpmn.executability import not_executable
from engine.bpmn.expressions import to_python
from engine.bpmn.extensions import (
    ElementInfo,
    MatterCamundaParser,
    MatterSpiffParser,
    read_elements,
)
from engine.bpmn.sandbox import ScriptRejected, compile_checked
from engine.bpmn.service_tasks import MatterServiceTask
from engine.bpmn.timers import TIMER_KINDS
from engine.bpmn.xml import XmlRejected, parse_xml
from engine.errors import Problem, ProcessInvalid

_BPMN = f"{{{BPMN_MODEL_NS}}}"
_WAITS = {TimerEventDefinition: "timer", MessageEventDefinition: "message"}


@dataclass(frozen=True)
class ProcessSources:
    """The diagram files of one process version: file name → XML text."""

    process_id: str
    bpmn: Mapping[str, str]
    dmn: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TimerStart:
    """A timer start event of the process: the worker starts a case each time it fires."""

    element_id: str
    kind: str  # timeDate, timeDuration or timeCycle
    text: str


@dataclass(frozen=True)
class ParsedProcess:
    """A validated, runnable process: the Spiff spec plus what matterflow reads around it."""

    process_id: str
    flavor: str
    spec: Any
    subprocess_specs: Mapping[str, Any]
    elements: Mapping[str, ElementInfo]

    def element(self, element_id: str) -> ElementInfo | None:
        return self.elements.get(element_id)

    @cached_property
    def kinds(self) -> frozenset[str]:
        """The element kinds used anywhere in the process and the sub-processes it calls."""
        return frozenset(info.kind for info in self.elements.values())

    @cached_property
    def waits_for(self) -> frozenset[str]:
        """What a running case of this process can wait on — `user` tasks, `timer`s, `message`s,
        service `call`s — so that a step reads and updates only those projections."""
        found: set[str] = set()
        for spec in self._all_task_specs():
            if getattr(spec, "manual", False):
                found.add("user")
            if isinstance(spec, MatterServiceTask):
                found.add("call")
            definition: Any = getattr(spec, "event_definition", None)
            several = isinstance(definition, MultipleEventDefinition)
            for one in definition.event_definitions if several else [definition]:
                found |= {name for kind, name in _WAITS.items() if isinstance(one, kind)}
        return frozenset(found)

    def _all_task_specs(self) -> list[Any]:
        specs = [self.spec, *self.subprocess_specs.values()]
        return [task_spec for spec in specs for task_spec in spec.task_specs.values()]

    @cached_property
    def timer_starts(self) -> tuple[TimerStart, ...]:
        kinds = {timer: kind for kind, timer in TIMER_KINDS.items()}
        return tuple(
            TimerStart(spec.bpmn_id, kinds[type(spec.event_definition)], spec.event_definition.expression)
            for spec in self.spec.task_specs.values()
            if isinstance(spec, StartEvent) and type(spec.event_definition) in kinds
        )


def compile_process(sources: ProcessSources) -> ParsedProcess:
    """Validate and parse; raise ProcessInvalid listing every problem found, file by file."""
    documents, problems = _read_documents(sources)
    if not problems:
        problems = _static_checks(sources, documents)
    if problems:
        raise ProcessInvalid(problems)
    return _parse_with_spiff(sources, documents, _elements(documents))


def elements_of(sources: ProcessSources) -> dict[str, ElementInfo]:
    """The flow nodes of every readable BPMN file (unreadable ones are compile_process's to report)."""
    documents, _ = _read_documents(sources)
    return _elements(documents)


def _elements(documents: _Documents) -> dict[str, ElementInfo]:
    elements: dict[str, ElementInfo] = {}
    for name, root in documents.bpmn.items():
        elements.update(read_elements(root, name))
    return elements


@dataclass
class _Documents:
    bpmn: dict[str, etree._Element] = field(default_factory=dict)
    dmn: dict[str, etree._Element] = field(default_factory=dict)


def _read_documents(sources: ProcessSources) -> tuple[_Documents, list[Problem]]:
    documents, problems = _Documents(), []
    for kind, files in (("bpmn", sources.bpmn), ("dmn", sources.dmn)):
        for name, text in sorted(files.items()):
            try:
                getattr(documents, kind)[name] = parse_xml(text, name)
            except XmlRejected as exc:
                problems.append(exc.problem)
    if not sources.bpmn:
        problems.append(Problem("", "", "the bundle has no BPMN file"))
    return documents, problems


def _static_checks(sources: ProcessSources, documents: _Documents) -> list[Problem]:
    """Checks SpiffWorkflow either skips, or reports without naming the file and element, or
    reports one at a time: every element that cannot run is listed before Spiff parses."""
    decisions = {
        node.get("id")
        for root in documents.dmn.values()
        for node in root.iter()
        if isinstance(node.tag, str) and etree.QName(node).localname == "decision"
    }
    processes: dict[str, str] = {}
    problems: list[Problem] = []
    for name, root in documents.bpmn.items():
        for process in root.iter(f"{_BPMN}process"):
            processes[process.get("id", "")] = name
        problems += _check_flows(name, root)
        problems += _check_decision_refs(name, root, decisions)
        problems += _check_code(name, root)
        problems += not_executable(name, root)
    for name, root in documents.dmn.items():
        problems += check_decisions(name, root)
    if sources.process_id not in processes:
        known = ", ".join(sorted(processes)) or "none"
        problems.append(
            Problem(
                ", ".join(sorted(sources.bpmn)),
                sources.process_id,
                f"process {sources.process_id!r} is not defined (defined: {known})",
            )
        )
    for name, root in documents.bpmn.items():
        for call in root.iter(f"{_BPMN}callActivity"):
            called = call.get("calledElement")
            if called and called not in processes:
                problems.append(
                    Problem(name, call.get("id", ""), f"calls process {called!r}, which no file defines")
                )
    return problems


def _check_flows(name: str, root: etree._Element) -> list[Problem]:
    ids = {node.get("id") for node in root.iter() if isinstance(node.tag, str)}
    problems = []
    for flow in root.iter(f"{_BPMN}sequenceFlow"):
        for end in ("sourceRef", "targetRef"):
            ref = flow.get(end)
            if not ref or ref not in ids:
                problems.append(
                    Problem(
                        name,
                        flow.get("id", ""),
                        f"{end} {ref!r} names no element of this diagram",
                        flow.sourceline,
                    )
                )
    return problems


def _check_decision_refs(name: str, root: etree._Element, decisions: set[str | None]) -> list[Problem]:
    problems = []
    for task in root.iter(f"{_BPMN}businessRuleTask"):
        ref = task.get("{http://camunda.org/schema/1.0/bpmn}decisionRef")
        if ref is None:
            ref = next((n.text for n in task.iter(f"{{{SPIFF_NS}}}calledDecisionId")), None)
        if ref is None:
            problems.append(
                Problem(name, task.get("id", ""), "business rule task names no decision", task.sourceline)
            )
        elif ref not in decisions:
            known = ", ".join(sorted(d for d in decisions if d)) or "none"
            problems.append(
                Problem(
                    name,
                    task.get("id", ""),
                    f"unknown decision id {ref!r} (decisions in the bundle: {known})",
                    task.sourceline,
                )
            )
    return problems


def _check_code(name: str, root: etree._Element) -> list[Problem]:
    """Scripts and conditions must compile and pass the sandbox rules before deployment."""
    problems = []
    for script in root.iter(f"{_BPMN}script"):
        owner = script.getparent()
        problems += _compile(name, owner, script.text or "", "exec", "script")
    for condition in root.iter(f"{_BPMN}conditionExpression"):
        owner = condition.getparent()
        problems += _compile(name, owner, condition.text or "", "eval", "condition")
    return problems


def _compile(name: str, owner: etree._Element, source: str, mode: str, what: str) -> list[Problem]:
    if not source.strip():
        return [Problem(name, owner.get("id", ""), f"{what} is empty", owner.sourceline)]
    try:
        compile_checked(to_python(source) if mode == "eval" else source, mode)
    except SyntaxError as exc:
        return [Problem(name, owner.get("id", ""), f"{what} does not parse: {exc.msg}", owner.sourceline)]
    except ScriptRejected as exc:
        return [Problem(name, owner.get("id", ""), f"{what} refused: {exc}", owner.sourceline)]
    return []


def _parse_with_spiff(
    sources: ProcessSources, documents: _Documents, elements: Mapping[str, ElementInfo]
) -> ParsedProcess:
    spiff = any(SPIFF_NS in text for text in sources.bpmn.values())
    parser = MatterSpiffParser() if spiff else MatterCamundaParser()
    try:
        for name, root in documents.bpmn.items():
            parser.add_bpmn_xml(etree.ElementTree(root), filename=name)
        for name, root in documents.dmn.items():
            parser.add_dmn_xml(root, filename=name)
        spec = parser.get_spec(sources.process_id)
        subprocess_specs = parser.get_subprocess_specs(sources.process_id)
    except ValidationException as exc:
        file = exc.file_name or _file_of(exc.id, elements, sources)
        raise ProcessInvalid(
            [Problem(file, exc.id, str(exc).split("\n")[0], exc.line_number or None)]
        ) from exc
    except (SpiffWorkflowException, KeyError, AttributeError, TypeError, ValueError) as exc:
        raise ProcessInvalid(
            [Problem(", ".join(sorted(sources.bpmn)), "", f"cannot be executed: {type(exc).__name__}: {exc}")]
        ) from exc
    return ParsedProcess(
        process_id=sources.process_id,
        flavor="spiff" if spiff else "camunda",
        spec=spec,
        subprocess_specs=subprocess_specs,
        elements=elements,
    )


def _file_of(element_id: str, elements: Mapping[str, ElementInfo], sources: ProcessSources) -> str:
    info = elements.get(element_id)
    return info.file if info else ", ".join(sorted(sources.bpmn))


class SpecCache:
    """Parsed processes by the sha256 of their sources; least recently used dropped first."""

    def __init__(self, capacity: int = 256) -> None:
        self._capacity = capacity
        self._items: OrderedDict[str, ParsedProcess] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha256: str, load: Callable[[], ProcessSources]) -> ParsedProcess:
        with self._lock:
            parsed = self._items.get(sha256)
            if parsed is not None:
                self._items.move_to_end(sha256)
                return parsed
        parsed = compile_process(load())
        with self._lock:
            self._items[sha256] = parsed
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return parsed

    def __len__(self) -> int:
        return len(self._items)
