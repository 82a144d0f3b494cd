"""Elements a diagram may draw but matterflow cannot run, found all at once.

SpiffWorkflow's parser stops at the first element it cannot turn into a task, so a diagram
from another tool (the BPMN MIWG suite, a Camunda model) would be refused one element per
attempt. These checks walk the whole document first and name every such element, so that the
author sees the full list: data stores (case data is the only store), data associations that
do not lead to a data object reference, and multi-instance activities that do not say how many.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree
from SpiffWorkflow.bpmn.parser.util import BPMN_MODEL_NS
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS

from engine.errors import Problem

_BPMN = f"{{{BPMN_MODEL_NS}}}"
_ASSOCIATIONS = (
    ("dataInputAssociation", "sourceRef", "input"),
    ("dataOutputAssociation", "targetRef", "output"),
)


def not_executable(file: str, root: etree._Element) -> list[Problem]:
    """One problem per element of the document that cannot run, with its id."""
    return [*_data_stores(file, root), *_data_associations(file, root), *_multi_instances(file, root)]


def non_executable_processes(file: str, root: etree._Element) -> list[Problem]:
    """The processes a diagram marks isExecutable="false" (pools drawn for another party)."""
    return [
        Problem(file, process.get("id", ""), 'the process is marked isExecutable="false"', process.sourceline)
        for process in root.iter(f"{_BPMN}process")
        if process.get("isExecutable", "true") == "false"
    ]


def _data_stores(file: str, root: etree._Element) -> Iterator[Problem]:
    for store in root.iter(f"{_BPMN}dataStore"):
        yield Problem(
            file,
            store.get("id", ""),
            f"data store {store.get('name', '')!r} has no implementation (case data is the only store)",
            store.sourceline,
        )


def _data_associations(file: str, root: etree._Element) -> Iterator[Problem]:
    """Associations must lead to a data object reference to be case data (SpiffWorkflow
    resolves nothing else: not a data object itself, a process data input or a data store)."""
    references = {node.get("id") for node in root.iter(f"{_BPMN}dataObjectReference")}
    for tag, end, direction in _ASSOCIATIONS:
        for association in root.iter(f"{_BPMN}{tag}"):
            ref = association.find(f"{_BPMN}{end}")
            name = (ref.text or "").strip() if ref is not None else ""
            if name and name not in references:
                owner = association.getparent()
                yield Problem(
                    file,
                    owner.get("id", "") if owner is not None else "",
                    f"data {direction} {name!r} is not a data object reference, so it cannot be case data",
                    association.sourceline,
                )


def _multi_instances(file: str, root: etree._Element) -> Iterator[Problem]:
    for loop in root.iter(f"{_BPMN}multiInstanceLoopCharacteristics"):
        counted = loop.find(f"{_BPMN}loopCardinality") is not None
        listed = loop.find(f"{_BPMN}loopDataInputRef") is not None
        if counted or listed or loop.get(f"{{{CAMUNDA_MODEL_NS}}}collection"):
            continue
        activity = loop.getparent()
        yield Problem(
            file,
            activity.get("id", "") if activity is not None else loop.get("id", ""),
            "multi-instance activity names neither a loopCardinality nor a collection to run over",
            loop.sourceline,
        )
