"""Hostile diagrams: each is refused at deployment or stopped as an incident, never a crash."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from engine import Engine
from engine.actors import SYSTEM, Actor
from engine.bundles import read_bundle_path
from engine.errors import ProcessInvalid
from engine.services import cases, catalogue
from tests.conftest import FIXTURES

ORIGINAL_SCRIPT = "ratio = amount / months"
ENTITIES = {
    "external-entity": '<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    "billion-laughs": '<!DOCTYPE d [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
}


def hostile_bundle(tmp_path: Path, script: str | None = None, doctype: str | None = None) -> Path:
    folder = shutil.copytree(FIXTURES / "bundles" / "ratio-check", tmp_path / "hostile")
    diagram = folder / "ratio-check.bpmn"
    text = diagram.read_text(encoding="utf-8")
    if script is not None:
        text = text.replace(ORIGINAL_SCRIPT, script.replace("<", "&lt;"))
    if doctype is not None:
        text = text.replace("<bpmn:definitions", doctype + "\n<bpmn:definitions", 1)
    diagram.write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("script", "refusal"),
    [
        ("import os\nos.system('id')", "import is not allowed"),
        ("from subprocess import run", "import is not allowed"),
        ("x = ().__class__.__bases__[0].__subclasses__()", "names starting with '__'"),
        ("x = '{0.__class__}'.format(amount)", ".format() is not allowed"),
    ],
    ids=["import-os", "import-subprocess", "walk-subclasses", "format-escape"],
)
def test_scripts_that_reach_for_python_are_refused_at_deployment(
    engine: Engine, tmp_path: Path, script: str, refusal: str
) -> None:
    with pytest.raises(ProcessInvalid) as caught:
        catalogue.deploy_bundle(
            engine, SYSTEM, read_bundle_path(hostile_bundle(tmp_path, script)), publish=True
        )
    [problem] = caught.value.problems
    assert (problem.file, problem.element) == ("ratio-check.bpmn", "compute")
    assert refusal in problem.message


@pytest.mark.parametrize("attack", sorted(ENTITIES))
def test_entity_tricks_are_refused_before_parsing(engine: Engine, tmp_path: Path, attack: str) -> None:
    with pytest.raises(ProcessInvalid) as caught:
        read_bundle_path(hostile_bundle(tmp_path, doctype=ENTITIES[attack]))
    assert "DOCTYPE and ENTITY declarations are not allowed" in str(caught.value)


@pytest.mark.parametrize(
    ("script", "incident"),
    [
        ("data = open('/etc/passwd').read()", "name 'open' is not defined"),
        ("while True:\n    pass", "ran longer than 1 s"),
        ("x = 'a' * (1024 ** 4)", "would build"),
        ("x = [[0] * 1000000 for _ in range(100000)]", "built more than"),
        ("x = 10 ** 10 ** 10", "too large"),
    ],
    ids=["open-file", "loop-forever", "allocate-a-terabyte", "allocate-in-a-loop", "huge-number"],
)
def test_scripts_that_misbehave_at_run_time_become_incidents(
    engine: Engine, tmp_path: Path, applicant: Actor, script: str, incident: str
) -> None:
    catalogue.deploy_bundle(engine, SYSTEM, read_bundle_path(hostile_bundle(tmp_path, script)), publish=True)
    started = time.monotonic()

    case = cases.start_case(engine, applicant, matter="ratio-check", data={"amount": 1, "months": 1})

    assert time.monotonic() - started < 5
    [stopped] = case.open_incidents
    assert stopped.element_id == "compute" and incident in stopped.message
    assert case.status == "in_progress" and case.data == {"amount": 1, "months": 1}
