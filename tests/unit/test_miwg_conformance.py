"""Every BPMN MIWG reference diagram goes through check, deploy and sync without a crash.

Each either passes or is refused with problems that name the file and, where there is one,
an element of the diagram; and the report lists every element that cannot run, not only the
first (../shared/conformance/README.md). SpiffWorkflow alone runs C.1.0 and C.9.1; matterflow
runs C.1.0, and refuses C.9.1 for a user task with no reviewer post.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from engine import Engine, build_engine
from engine.actors import SYSTEM
from engine.bundles import read_bundle_path
from engine.errors import Problem, ProcessInvalid
from engine.services import catalogue
from engine.services.checks import check_path
from engine.settings import Settings
from tests.conftest import CHEAP_HASHES, IN_CI

# shared/ sits beside the checkout (as in CI); MATTERFLOW_SHARED points elsewhere.
SHARED = Path(os.environ.get("MATTERFLOW_SHARED", Path(__file__).resolve().parents[3] / "shared"))
MIWG = SHARED / "conformance" / "miwg"
DIAGRAMS = sorted(MIWG.glob("*.bpmn"))
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
ACCEPTED = {"C.1.0.bpmn"}
# Elements each diagram has that matterflow cannot run, all of which the report must name
# (checked by hand against the diagrams; the report may name more).
NOT_EXECUTABLE = {
    "C.4.0.bpmn": {  # three data stores, and user tasks without a post
        "_d367181e-c25a-407e-a5fb-817a27698a30",
        "_7c793f30-d450-4a8e-becf-f168b14317ea",
        "_2addcc9a-638e-4496-b84f-5b0e28fe6536",
        "_7e9d2e5a-21f7-493b-9ae4-03245aa33a5c",
        "_737503c8-10bc-483f-8871-5461d822b469",
    },
    "C.6.0.bpmn": {"_9cc2ac34-f12c-49e0-b37c-144e5a84fd92", "_22612d45-65ca-4a74-a6eb-53af7ebcb5ff"},
    "C.7.0.bpmn": {  # a decision task with no decision, a multi-instance task without a count
        "_eae674ce-4d6e-48ac-819c-c79e0868e40d",
        "_a36ddf2f-23c1-46c5-86d4-bd2a0eb42535",
        "_15b00027-5049-4081-8952-fd398e8b722a",
    },
    "C.9.0.bpmn": {
        "BusinessRuleTask_CheckApplicationAutomatically",
        "SequenceFlow_Red",
        "SequenceFlow_Yellow",
        "Activity_ManualCheck",
        "UserTask_HandleTimeout",
    },
    "C.9.1.bpmn": {"UserTask_CallCustomer"},
    "C.9.2.bpmn": {"CallActivity_RequestDocument", "UserTask_DecideOnApplication", "UserTask_CheckForFraud"},
}
START_FORM = {"id": "start", "components": []}


def test_the_corpus_is_there() -> None:
    if not DIAGRAMS and not IN_CI:
        pytest.skip(f"the MIWG corpus is not beside this checkout ({MIWG}); set MATTERFLOW_SHARED")
    assert len(DIAGRAMS) >= 20, f"MIWG corpus not found under {MIWG}"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One SQLite engine for the corpus: deploying is what is under test, not the database."""
    folder = tmp_path_factory.mktemp("miwg")
    database = f"sqlite:///{folder / 'miwg.sqlite3'}"
    built = build_engine(Settings(database_url=database, catalogue_root=folder, password_cost=CHEAP_HASHES))
    built.migrate()
    yield built
    built.close()


def element_ids(diagram: Path) -> set[str]:
    return {node.get("id") for node in etree.parse(str(diagram)).iter() if node.get("id")}


def processes(diagram: Path) -> tuple[list[str], list[str]]:
    """The ids of the diagram's processes: those it lets run, and those marked not executable."""
    found = list(etree.parse(str(diagram)).iter(f"{BPMN}process"))
    marked = [str(p.get("id")) for p in found if p.get("isExecutable") == "false"]
    return [str(p.get("id")) for p in found if str(p.get("id")) not in marked], marked


def first_process(diagram: Path) -> str:
    runnable, marked = processes(diagram)
    return (runnable or marked)[0]


def write_matter(diagram: Path, processes: Path, forms: Path) -> None:
    """The diagram as a matter: processes/ holds it and matter.yaml, forms/ a start form."""
    code = "miwg-" + diagram.stem.lower().replace(".", "-")
    processes.mkdir(parents=True)
    forms.mkdir(parents=True, exist_ok=True)
    shutil.copy(diagram, processes / diagram.name)
    bilingual = '{zh: "MIWG", en: "MIWG"}'
    (processes / "matter.yaml").write_text(
        f"code: {code}\nname: {bilingual}\ncategory: {bilingual}\napplicant: individual\n"
        f"process: {json.dumps(first_process(diagram))}\nstart_form: start\ntime_limit_days: 5\n"
        f"instant: false\nguide:\n  eligibility: {bilingual}\n  materials: []\n"
        f"  legal_basis: {bilingual}\n  fees: {bilingual}\n  channels: [web]\n",
        encoding="utf-8",
    )
    (forms / "start.form.json").write_text(json.dumps(START_FORM), encoding="utf-8")


def assert_located(problems: tuple[Problem, ...], diagram: Path, folder: str = "") -> None:
    ids = element_ids(diagram)
    for problem in problems:
        assert problem.message
        assert problem.file == f"{folder}{diagram.name}", problem
        assert problem.element == "" or problem.element in ids, problem


def reported(diagram: Path, problems: tuple[Problem, ...]) -> set[str]:
    return {p.element for p in problems if p.file.endswith(diagram.name)}


@pytest.mark.parametrize("diagram", DIAGRAMS, ids=lambda p: p.stem)
def test_check_accepts_or_names_every_element_that_cannot_run(diagram: Path) -> None:
    report = check_path(diagram)

    assert (not report.problems) == (diagram.name in ACCEPTED), report.problems
    assert_located(report.problems, diagram)
    runnable, marked = processes(diagram)
    expected = NOT_EXECUTABLE.get(diagram.name, set()) | (set() if runnable else set(marked))
    assert expected <= reported(diagram, report.problems)


@pytest.mark.parametrize("diagram", DIAGRAMS, ids=lambda p: p.stem)
def test_deploy_agrees_with_check(engine: Engine, tmp_path: Path, diagram: Path) -> None:
    write_matter(diagram, tmp_path / "bundle", tmp_path / "bundle")
    try:
        version = catalogue.deploy_bundle(
            engine, SYSTEM, read_bundle_path(tmp_path / "bundle"), publish=False
        )
    except ProcessInvalid as refused:
        problems = tuple(p for p in refused.problems if p.file == diagram.name)
        assert diagram.name not in ACCEPTED, refused.problems
        assert_located(problems, diagram)
        assert NOT_EXECUTABLE.get(diagram.name, set()) <= reported(diagram, problems)
    else:
        assert diagram.name in ACCEPTED and version.number >= 1


@pytest.mark.parametrize("diagram", DIAGRAMS, ids=lambda p: p.stem)
def test_sync_reports_the_diagram_by_its_catalogue_path(
    engine: Engine, tmp_path: Path, diagram: Path
) -> None:
    code = "miwg-" + diagram.stem.lower().replace(".", "-")
    write_matter(diagram, tmp_path / "processes" / code, tmp_path / "forms" / code)
    try:
        changes = catalogue.sync_catalogue(engine, SYSTEM, tmp_path)
    except ProcessInvalid as refused:
        assert diagram.name not in ACCEPTED, refused.problems
        folder = f"processes/{code}/"
        assert_located(tuple(p for p in refused.problems if p.file.endswith(".bpmn")), diagram, folder)
    else:
        assert diagram.name in ACCEPTED and [c.code for c in changes] == [code]
