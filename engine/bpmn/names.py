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
_DI = "http://www.omg.org/spec/BPMN/20100524/DI"
_DC = "http://www.omg.org/spec/DD/20100524/DC"
_LABEL_BOUNDS = f"{{{_DI}}}BPMNLabel/{{{_DC}}}Bounds"
# bpmn-js wraps an external label (a flow's, an event's, a gateway's) at the width its layout
# gives it. Two Chinese characters fit in 24 px; "Passed" does not, and was drawn a letter a line.
_LABEL_WIDTH = 90  # what bpmn-js gives a label it lays out itself
_CHARACTER_WIDTH = 7  # px, a Latin letter in the viewer's 11 px label font, with some room


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
    renamed = {}
    for node in root.iter(f"{{{BPMN_MODEL_NS}}}*"):
        translated = (element_property(node, f"name_{language}") or "").strip()
        if node.get("name") is not None and translated:
            node.set("name", translated)
            renamed[node.get("id")] = translated
    _widen_labels(root, renamed)
    relabelled: str = etree.tostring(root, encoding="unicode")
    return relabelled


def _widen_labels(root: etree._Element, names: dict[str | None, str]) -> None:
    """Give each renamed element's external label the width its new name needs (up to what
    bpmn-js would give it), about the same centre, so a longer name wraps between words."""
    for shape in root.iter(f"{{{_DI}}}BPMNShape", f"{{{_DI}}}BPMNEdge"):
        name = names.get(shape.get("bpmnElement"))
        bounds = shape.find(_LABEL_BOUNDS)
        if name is None or bounds is None:
            continue
        width = float(bounds.get("width", "0"))
        wanted = min(_LABEL_WIDTH, _CHARACTER_WIDTH * (len(name) + 1))
        if wanted > width:
            bounds.set("x", f"{float(bounds.get('x', '0')) - (wanted - width) / 2:g}")
            bounds.set("width", f"{wanted:g}")
