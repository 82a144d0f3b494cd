"""English names of diagram elements: the `name_en` extension property (engine/bpmn/names.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from engine.bpmn import BPMN_NS, localised_diagram, parse_xml, read_elements
from engine.bpmn.names import english_name

ROOT = Path(__file__).resolve().parents[2]
MATTER_DIAGRAMS = sorted((ROOT / "processes").glob("*/*.bpmn"))
DIAGRAM = """<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:userTask id="review" name="审核">
      <bpmn:extensionElements><camunda:properties>
        <camunda:property name="name_en" value="Review" />
        <camunda:property name="differentDeciderFrom" value="acceptance" />
      </camunda:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="yes" name="通过" sourceRef="review" targetRef="end">
      <bpmn:extensionElements><camunda:properties>
        <camunda:property name="name_en" value="Passed" />
      </camunda:properties></bpmn:extensionElements>
    </bpmn:sequenceFlow>
    <bpmn:endEvent id="end" name="已办结" />
  </bpmn:process>
</bpmn:definitions>"""


def _named(root: etree._Element) -> list[etree._Element]:
    """The BPMN elements with a name (extension properties have a `name` too: not these)."""
    return [node for node in root.iter(f"{{{BPMN_NS}}}*") if node.get("name")]


def _names(xml: str) -> dict[str, str]:
    return {node.get("id"): node.get("name") for node in _named(etree.fromstring(xml.encode()))}


def test_elements_with_an_english_name_are_relabelled_the_rest_keep_theirs() -> None:
    english = localised_diagram(DIAGRAM, "en", "d.bpmn")

    assert _names(english) == {"review": "Review", "yes": "Passed", "end": "已办结"}
    assert 'name="differentDeciderFrom"' in english  # nothing else of the diagram changes
    assert localised_diagram(DIAGRAM, "zh", "d.bpmn") == DIAGRAM


DRAWN = """<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:sequenceFlow id="yes" name="是" sourceRef="a" targetRef="b">
      <bpmn:extensionElements><camunda:properties>
        <camunda:property name="name_en" value="{english}" />
      </camunda:properties></bpmn:extensionElements>
    </bpmn:sequenceFlow>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="p">
    <bpmndi:BPMNEdge id="yes_di" bpmnElement="yes">
      <bpmndi:BPMNLabel><dc:Bounds x="100" y="50" width="12" height="14" /></bpmndi:BPMNLabel>
    </bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>"""


@pytest.mark.parametrize(
    ("english", "x", "width"),
    [("Yes", "92", "28"), ("Not accepted: documents missing", "61", "90")],
)
def test_a_label_drawn_for_a_short_chinese_name_is_widened_for_its_english_one(
    english: str, x: str, width: str
) -> None:
    """bpmn-js wraps a flow's label at the width the diagram gives it: "Yes" in the 12 px drawn
    for 是 came out a letter a line. The label grows about its centre, up to bpmn-js's own 90 px."""
    relabelled = etree.fromstring(localised_diagram(DRAWN.format(english=english), "en", "d.bpmn").encode())
    bounds = relabelled.find(".//{http://www.omg.org/spec/DD/20100524/DC}Bounds")

    assert bounds is not None
    assert (bounds.get("x"), bounds.get("width"), bounds.get("y")) == (x, width, "50")


def test_an_element_knows_its_name_in_each_language_it_has() -> None:
    elements = read_elements(parse_xml(DIAGRAM, "d.bpmn"), "d.bpmn")

    assert elements["review"].names == {"zh": "审核", "en": "Review"}
    assert elements["end"].names == {"zh": "已办结"}


@pytest.mark.parametrize("diagram", MATTER_DIAGRAMS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_named_element_of_the_catalogue_has_an_english_name(diagram: Path) -> None:
    """Messages are named for the systems that send them, not for people; everything else is read."""
    root = parse_xml(diagram.read_text(), diagram.name)
    read_by_people = (node for node in _named(root) if etree.QName(node).localname != "message")

    assert [node.get("id") for node in read_by_people if english_name(node) is None] == []
