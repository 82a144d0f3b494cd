"""Shared sub-processes: which called processes a matter needs from the shared library.

Processes used by many matters (identity verification, payment confirmation) are kept once, in
`processes/_shared/`. A matter's call activities name them by process id; deploying the matter
copies the files that define them (and whatever those call in turn) into its bundle, so that
the version stays immutable when the shared file later changes: the next sync makes a new
version of each matter that calls it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lxml import etree
from SpiffWorkflow.bpmn.parser.util import BPMN_MODEL_NS

from engine.bpmn.xml import XmlRejected, decode_xml, parse_xml

_BPMN = f"{{{BPMN_MODEL_NS}}}"


def shared_files_called(bpmn: Mapping[str, bytes], library: Mapping[str, bytes]) -> dict[str, bytes]:
    """The library files the BPMN files call, directly or through one another."""
    documents = {name: _root(name, data) for name, data in bpmn.items()}
    shelf = {name: _root(name, data) for name, data in library.items()}
    defined_by = {pid: name for name, root in shelf.items() if root is not None for pid in _defined(root)}
    taken: dict[str, bytes] = {}
    wanted = _called(documents.values()) - _defined_all(documents.values())
    while wanted:
        name = defined_by.get(wanted.pop())
        if name is None or name in taken or name in bpmn:
            continue
        taken[name] = library[name]
        documents[name] = shelf[name]
        wanted |= _called([shelf[name]]) - _defined_all(documents.values())
    return taken


def _root(name: str, data: bytes) -> etree._Element | None:
    try:
        return parse_xml(decode_xml(data, name), name)
    except XmlRejected:
        return None  # reported when the bundle itself is read


def _defined(root: etree._Element) -> set[str]:
    return {node.get("id", "") for node in root.iter(f"{_BPMN}process")}


def _defined_all(roots: Iterable[etree._Element | None]) -> set[str]:
    return {pid for root in roots if root is not None for pid in _defined(root)}


def _called(roots: Iterable[etree._Element | None]) -> set[str]:
    return {
        node.get("calledElement", "")
        for root in roots
        if root is not None
        for node in root.iter(f"{_BPMN}callActivity")
    }
