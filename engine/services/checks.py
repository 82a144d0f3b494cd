"""`matterflow catalogue check`: validate without deploying — one file, a matter, a catalogue.

A lone file is held to every rule it is subject to when it is deployed, and the rules that
need the rest of its bundle (matter.yaml, the forms a diagram names, the tasks that call a
decision or name a form) are listed as not checked instead of being silently skipped: a file
that passes check is refused at deployment only for what the report says it could not see.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from engine.bpmn import (
    BPMN_NS,
    ProcessSources,
    XmlRejected,
    check_decisions,
    compile_process,
    decode_xml,
    non_executable_processes,
    parse_xml,
    read_elements,
)
from engine.bundles import (
    DIAGRAM_SUFFIXES,
    FORM_SUFFIXES,
    MANIFEST,
    compile_bundle,
    read_bundle_path,
    read_form,
    routing_problems,
)
from engine.errors import Problem, ProcessInvalid
from engine.services.catalogue import load_catalogue, load_catalogue_matter

_MANIFEST_RULES = f"{MANIFEST}: which process a case starts, and that its start form is in the bundle"


@dataclass(frozen=True)
class CheckReport:
    """The problems found, and the rules that could not be checked without the bundle."""

    problems: tuple[Problem, ...] = ()
    unchecked: tuple[str, ...] = ()


def check_path(path: Path) -> CheckReport:
    """Validate a diagram, decision table or form file, a matter (folder or zip), or a catalogue."""
    if path.is_file() and not zipfile.is_zipfile(path):
        return check_file(path)
    try:
        if path.is_dir() and (path / "processes").is_dir():
            load_catalogue(path)
        elif path.is_dir() and path.parent.name == "processes":
            load_catalogue_matter(path.parent.parent, path.name)
        else:
            compile_bundle(read_bundle_path(path))
    except ProcessInvalid as exc:
        return CheckReport(exc.problems)
    return CheckReport()


def check_file(path: Path) -> CheckReport:
    """One file, by its kind."""
    name = path.name
    if name.endswith(FORM_SUFFIXES):
        return check_form_file(path)
    if name.endswith(".dmn"):
        return check_decision_file(path)
    if name.endswith((*DIAGRAM_SUFFIXES, ".xml")):
        return check_diagram_file(path)
    kinds = "a diagram (.bpmn), a decision table (.dmn) or a form (.form.json)"
    return CheckReport((Problem(name, "", f"not {kinds}"),))


def check_form_file(path: Path) -> CheckReport:
    _, problems = read_form(path.name, path.read_bytes())
    unchecked = f"whether {MANIFEST} or a task of the bundle names this form by its id"
    return CheckReport(tuple(problems), (unchecked,))


def check_decision_file(path: Path) -> CheckReport:
    try:
        root = parse_xml(decode_xml(path.read_bytes(), path.name), path.name)
    except XmlRejected as exc:
        return CheckReport((exc.problem,))
    unchecked = "whether a business rule task of the bundle calls its decision"
    return CheckReport(tuple(check_decisions(path.name, root)), (unchecked,))


def check_diagram_file(path: Path) -> CheckReport:
    """A lone BPMN file, with the DMN files beside it: every executable process must compile,
    and every user task reach reviewers; the forms it names are the bundle's business."""
    try:
        text = decode_xml(path.read_bytes(), path.name)
        root = parse_xml(text, path.name)
    except XmlRejected as exc:
        return CheckReport((exc.problem,))
    process_ids = [
        node.get("id", "")
        for node in root.iter(f"{{{BPMN_NS}}}process")
        if node.get("isExecutable", "true") != "false"
    ]
    if not process_ids:
        return CheckReport(tuple(non_executable_processes(path.name, root)) or _no_process(path.name))
    decisions, problems = _decisions_beside(path)
    if not problems:
        problems = _compile_each(path.name, text, process_ids, decisions)
    elements = read_elements(root, path.name)
    problems += [p for p in routing_problems(elements) if p not in problems]
    return CheckReport(tuple(problems), _diagram_rules_unchecked(root, path.name))


def _no_process(file: str) -> tuple[Problem, ...]:
    return (Problem(file, "", "the file defines no process"),)


def _decisions_beside(path: Path) -> tuple[dict[str, str], list[Problem]]:
    decisions: dict[str, str] = {}
    problems: list[Problem] = []
    for dmn in sorted(path.parent.glob("*.dmn")):
        try:
            decisions[dmn.name] = decode_xml(dmn.read_bytes(), dmn.name)
        except XmlRejected as exc:
            problems.append(exc.problem)
    return decisions, problems


def _compile_each(file: str, text: str, process_ids: list[str], decisions: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for process_id in process_ids:
        try:
            compile_process(ProcessSources(process_id, {file: text}, decisions))
        except ProcessInvalid as exc:
            problems += [p for p in exc.problems if p not in problems]
    return problems


def _diagram_rules_unchecked(root: etree._Element, file: str) -> tuple[str, ...]:
    forms = sorted({e.form_key for e in read_elements(root, file).values() if e.form_key})
    named = f"that the forms it names are in the bundle ({', '.join(forms)})" if forms else ""
    return tuple(rule for rule in (_MANIFEST_RULES, named) if rule)
