"""Names of diagram elements in both languages of the site.

An element's `name` is its Chinese name, as drawn; its English name is the extension property
`name_en` (Camunda Modeler: Properties → Extension properties; SpiffArena: a
`spiffworkflow:property`). Keeping it on the element itself means the diagram stays the one
file to edit: renaming, copying or deleting an element in the modeler takes its English name
along, and no list elsewhere goes stale.
"""

from __future__ import annotations

from lxml import etree
from SpiffWorkflow.bpmn.parser.util import BPMN_MODEL_NS

from engine.bpmn.event_parsers import element_property
from engine.bpmn.xml import parse_xml

DRAWN_LANGUAGE = "zh"  # the language of the `name` attributes themselves


def english_name(node: etree._Element) -> str | None:
    """The element's `name_en` property, stripped; None when it has none."""
    return (element_property(node, "name_en") or "").strip() or None


def localised_diagram(xml: str, language: str, file: str) -> str:
    """The diagram with every element that has a name in `language` relabelled with it, so a
    viewer draws the labels (tasks, events, gateways, flows, lanes) in the page's language;
    elements without one keep the name they were drawn with."""
    if language == DRAWN_LANGUAGE:
        return xml
    root = parse_xml(xml, file)
    for node in root.iter(f"{{{BPMN_MODEL_NS}}}*"):
        translated = (element_property(node, f"name_{language}") or "").strip()
        if node.get("name") is not None and translated:
            node.set("name", translated)
    relabelled: str = etree.tostring(root, encoding="unicode")
    return relabelled
