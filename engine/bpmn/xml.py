"""Untrusted XML in, an lxml tree out: no DTDs, no entities, no network, bounded size."""

from __future__ import annotations

import codecs
import re

from lxml import etree

from engine.errors import Problem

MAX_XML_BYTES = 2 * 1024 * 1024
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_TEXT_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']")
_FORBIDDEN = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# XML 1.0 appendix F: a byte order mark, else the first bytes of "<?" in a 16-bit encoding
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\0?\0", "utf-16-le"),
    (b"\0<\0?", "utf-16-be"),
)


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
    """Turn the bytes of an XML file into text, in the encoding its byte order mark or
    declaration names (MIWG A.1.0 is ISO-8859-1, Windows tools write UTF-16 with a BOM), drop
    the declaration so the text can be stored and parsed again as str, and check that it is
    well-formed. Every failure is an XmlRejected naming the file, never a decoding error."""
    if len(raw) > MAX_XML_BYTES:
        raise XmlRejected(Problem(file, "", f"file is larger than {MAX_XML_BYTES} bytes"))
    encoding = _encoding_of(raw)
    try:
        text = raw.decode(encoding)
    except LookupError as exc:
        raise XmlRejected(Problem(file, "", f"unknown encoding {encoding!r}")) from exc
    except UnicodeDecodeError as exc:
        message = f"not valid {encoding} text at byte {exc.start}: {exc.reason}"
        raise XmlRejected(Problem(file, "", message)) from exc
    text = _TEXT_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    parse_xml(text, file)
    return text


def _encoding_of(raw: bytes) -> str:
    for mark, encoding in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            return encoding
    declared = _DECLARED_ENCODING.match(raw)
    return declared.group(1).decode("ascii") if declared else "utf-8"


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
