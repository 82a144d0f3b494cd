"""Untrusted XML in, an lxml tree out: no DTDs, no entities, no network, bounded size."""

from __future__ import annotations

import re

from lxml import etree

from engine.errors import Problem

MAX_XML_BYTES = 2 * 1024 * 1024
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_FORBIDDEN = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class XmlRejected(Exception):
    """The document cannot be read safely; carries the Problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def decode_xml(raw: bytes, file: str) -> str:
    """Turn the bytes of an XML file into text, honouring its declared encoding (MIWG A.1.0 is
    ISO-8859-1), and drop the declaration so the text can be stored and parsed again as str."""
    check_size_and_doctype(raw, file)
    try:
        tree = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        raise XmlRejected(Problem(file, "", f"malformed XML: {exc.msg}", exc.lineno)) from exc
    encoding = tree.getroottree().docinfo.encoding or "utf-8"
    return _DECLARATION.sub(b"", raw, count=1).decode(encoding)


def parse_xml(text: str, file: str) -> etree._Element:
    """Parse stored XML text (see decode_xml) into an element tree, or raise XmlRejected."""
    raw = text.encode("utf-8")
    check_size_and_doctype(raw, file)
    try:
        return etree.fromstring(_DECLARATION.sub(b"", raw, count=1), _parser())
    except etree.XMLSyntaxError as exc:
        raise XmlRejected(Problem(file, "", f"malformed XML: {exc.msg}", exc.lineno)) from exc


def check_size_and_doctype(raw: bytes, file: str) -> None:
    """Refuse oversized documents and any DTD: entity expansion and external entities live there."""
    if len(raw) > MAX_XML_BYTES:
        raise XmlRejected(Problem(file, "", f"file is larger than {MAX_XML_BYTES} bytes"))
    if _FORBIDDEN.search(raw):
        raise XmlRejected(Problem(file, "", "DOCTYPE and ENTITY declarations are not allowed"))
