"""Hostile diagrams: each is refused at deployment or stopped as an incident, never a crash."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from engine import Engine
from engine.actors import SYSTEM, Actor
from engine.bpmn import sandbox_process
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


FRAME_WALK = """gen = (gen.gi_frame.f_back for _ in [1])
frame = list(gen)[0]
while 'builtins' not in frame.f_globals:
    frame = frame.f_back
secret = frame.f_globals['builtins'].open('/etc/passwd').read()"""
CAUGHT = "try:\n    int('x')\nexcept ValueError as error:\n"
REFUSED_AT_DEPLOYMENT = {
    "import-os": ("import os\nos.system('id')", "import is not allowed"),
    "import-subprocess": ("from subprocess import run", "import is not allowed"),
    "walk-subclasses": ("x = ().__class__.__bases__[0].__subclasses__()", "names starting with '__'"),
    "format-escape": ("x = '{0.__class__}'.format(amount)", ".format() is not allowed"),
    "read-a-file": ("data = open('/etc/passwd').read()", "attribute .read is not allowed"),
    "generator-frame-walk": (FRAME_WALK, "line 1: attribute .f_back is not allowed"),
    "generator-frame": ("frame = (n for n in [1]).gi_frame", "attribute .gi_frame is not allowed"),
    "coroutine": ("async def work():\n    pass\nframe = work().cr_frame", "asynchronous code"),
    "async-generator": ("async def items():\n    yield 1\nframe = items().ag_frame", "asynchronous code"),
    "caught-traceback": (CAUGHT + "    frame = error.__traceback__.tb_frame", ".tb_frame is not allowed"),
    "match-traceback": (
        CAUGHT + "    match error:\n        case ValueError(__traceback__=tb):\n            pass",
        "names starting with '__'",
    ),
    "type-mro": ("classes = type(amount).mro()", "attribute .mro is not allowed"),
}


@pytest.mark.parametrize(
    ("script", "refusal"), REFUSED_AT_DEPLOYMENT.values(), ids=REFUSED_AT_DEPLOYMENT.keys()
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


STOPPED_AT_RUN_TIME = {
    "open-file": ("data = open('/etc/passwd')", "name 'open' is not defined"),
    "type-of-a-value": ("kind = type(amount)", "name 'type' is not defined"),
    "generator-attribute": ("gen = (n for n in [1])\nx = gen.count", "is not available to diagram scripts"),
    "loop-forever": ("while True:\n    pass", "used more than 1 s of CPU"),
    "allocate-a-terabyte": ("x = 'a' * (1024 ** 4)", "would build"),
    "allocate-in-a-loop": ("x = [[0] * 1000000 for _ in range(100000)]", "built more than"),
    "huge-number": ("x = 10 ** 10 ** 10", "too large"),
    "join-a-megabyte": ("s = 'x' * 1000000\nx = '-'.join([s] * 3000)", "would build"),
    "double-a-string": ("s = 'x'\nfor _ in range(40):\n    s = s + s", "would build"),
    "double-a-list": ("x = [0]\nfor _ in range(40):\n    x.extend(x)", "would build"),
    "leave-a-shared-list": ("s = 'x'.ljust(1000000)\nx = [s] * 1000", "written out as more than"),
    "leave-a-shared-list-inline": ("s = 'x' * 1000000\nx = [s] * 1000", "built more than 1,000,000 items"),
    # issue 11: allocations no count saw, stopped by the sandbox process's memory cap
    "encode-and-hex": ("s = 'a' * 999999\nfor i in range(6):\n    s = s.encode('utf-32').hex()", "256 MiB"),
    "copies-of-a-list": ("l = list(range(999999))\nkeep = [list(l) for i in range(200)]", "256 MiB"),
    "nested-too-deep": ("a = []\nfor i in range(1000):\n    a = [a]", "nested more than 100 levels"),
}


def stopped_for(reason: str, message: str) -> bool:
    """Whether an incident's message gives `reason`, or says the script's sandbox process was
    stopped at its wall-clock limit: on a machine so busy that the script could not use up its
    second of CPU, or its memory, within the limit (engine/bpmn/sandbox_process.py), it is
    stopped all the same, and this test is about its being stopped, not the machine's speed."""
    wall = f"did not finish within {sandbox_process.WALL_LIMIT_SECONDS:g} s"
    return reason in message or wall in message


@pytest.mark.parametrize(("script", "incident"), STOPPED_AT_RUN_TIME.values(), ids=STOPPED_AT_RUN_TIME.keys())
def test_scripts_that_misbehave_at_run_time_become_incidents(
    engine: Engine, tmp_path: Path, applicant: Actor, script: str, incident: str
) -> None:
    catalogue.deploy_bundle(engine, SYSTEM, read_bundle_path(hostile_bundle(tmp_path, script)), publish=True)
    started = time.thread_time()  # the CPU this thread uses: other processes do not inflate it

    case = cases.start_case(engine, applicant, matter="ratio-check", data={"amount": 1, "months": 1})

    assert time.thread_time() - started < 5
    [stopped] = case.open_incidents
    assert stopped.element_id == "compute" and stopped_for(incident, stopped.message)
    assert case.status == "in_progress" and case.data == {
        "amount": 1,
        "months": 1,
        "applied_on": "2026-11-23",
    }


def _deep_group(levels: int) -> str:
    group = '{"type": "group", "components": []}'
    for _ in range(levels):
        group = '{"type": "group", "components": [' + group + "]}"
    return '{"id": "ratio-start", "components": [' + group + "]}"


@pytest.mark.parametrize(
    "form",
    ["[" * 100_000 + "]" * 100_000, _deep_group(400)],
    ids=["beyond-the-json-parser", "groups-in-groups"],
)
def test_a_deeply_nested_form_is_refused_with_its_file_name(
    engine: Engine, tmp_path: Path, form: str
) -> None:
    folder = hostile_bundle(tmp_path)
    (folder / "ratio-start.form.json").write_text(form, encoding="utf-8")

    with pytest.raises(ProcessInvalid) as caught:
        read_bundle_path(folder)

    [problem] = caught.value.problems
    assert problem.file == "ratio-start.form.json" and "nested deeper than 32 levels" in problem.message


def test_a_utf16_diagram_with_a_byte_order_mark_is_read_as_utf16(
    engine: Engine, tmp_path: Path, applicant: Actor
) -> None:
    folder = hostile_bundle(tmp_path)
    diagram = folder / "ratio-check.bpmn"
    undeclared = diagram.read_text(encoding="utf-8").split("?>", 1)[1]  # no encoding="..." to go by
    diagram.write_bytes(undeclared.encode("utf-16"))
    catalogue.deploy_bundle(engine, SYSTEM, read_bundle_path(folder), publish=True)

    case = cases.start_case(engine, applicant, matter="ratio-check", data={"amount": 6, "months": 3})

    assert case.data["ratio"] == 2 and not case.open_incidents


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("\ufeff<bpmn:definitions>".encode("utf-16-le")[:-1], "not valid utf-16 text at byte"),
        (b'<?xml version="1.0" encoding="klingon"?><definitions/>', "unknown encoding 'klingon'"),
        (
            '<?xml version="1.0" encoding="UTF-8"?><definitions>\u00e9'.encode("latin-1"),
            "not valid UTF-8 text",
        ),
    ],
    ids=["truncated-utf16", "unknown-encoding", "latin1-declared-utf8"],
)
def test_a_diagram_that_cannot_be_decoded_is_refused_with_its_file_name(
    engine: Engine, tmp_path: Path, raw: bytes, message: str
) -> None:
    folder = hostile_bundle(tmp_path)
    (folder / "ratio-check.bpmn").write_bytes(raw)

    with pytest.raises(ProcessInvalid) as caught:
        read_bundle_path(folder)

    [problem] = caught.value.problems
    assert problem.file == "ratio-check.bpmn" and message in problem.message


def test_a_decision_table_cell_that_reaches_for_python_is_refused_at_deployment(
    engine: Engine, tmp_path: Path
) -> None:
    folder = hostile_bundle(tmp_path)
    table = folder / "ratio-band.dmn"
    cell = "<text>(n for n in [1]).gi_frame.f_back</text>"
    table.write_text(table.read_text(encoding="utf-8").replace('<text>"low"</text>', cell))

    with pytest.raises(ProcessInvalid) as caught:
        catalogue.deploy_bundle(engine, SYSTEM, read_bundle_path(folder), publish=True)

    [problem] = caught.value.problems
    assert (problem.file, problem.element) == ("ratio-band.dmn", "low_out")
    assert "attribute .f_back is not allowed" in problem.message
