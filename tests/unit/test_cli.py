"""The command line of API.md: init, catalogue check/sync/deploy, with their exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import main
from tests.conftest import FIXTURES, ROOT


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("MATTERFLOW_CATALOGUE", str(ROOT))
    return CliRunner()


@pytest.mark.parametrize(
    ("diagram", "expected"),
    [
        ("missing-target.bpmn", "missing-target.bpmn:5 [to_nowhere]: targetRef 'review_that_was_deleted'"),
        ("unknown-decision.bpmn", "unknown-decision.bpmn:6 [decide]: unknown decision id 'no_such_decision'"),
        ("malformed.bpmn", "malformed.bpmn:5: malformed XML: Opening and ending tag mismatch"),
        ("entity-expansion.bpmn", "entity-expansion.bpmn: DOCTYPE and ENTITY declarations are not allowed"),
        (
            "not-a-decision.dmn",
            "not-a-decision.dmn: not a DMN 1.1-1.3 document (its root is 'definitions' of http://www.omg.org/spec/BPMN",
        ),
        ("escaping-cell.dmn", "escaping-cell.dmn:12 [only_out]: '(n for n in [1]).gi_frame.f_back' refused"),
        ("bad-key.form.json", "bad-key.form.json [Field_class]: key '__class__' must be a letter"),
    ],
)
def test_check_names_file_and_element_of_a_broken_diagram(
    runner: CliRunner, diagram: str, expected: str
) -> None:
    result = runner.invoke(main, ["catalogue", "check", str(FIXTURES / "broken" / diagram)])

    assert result.exit_code == 1
    assert expected in result.output


def test_check_passes_the_catalogue_and_a_bundle(runner: CliRunner) -> None:
    assert runner.invoke(main, ["catalogue", "check"]).exit_code == 0
    assert (
        runner.invoke(main, ["catalogue", "check", str(FIXTURES / "bundles" / "ratio-check")]).exit_code == 0
    )


def test_check_of_a_matter_with_a_missing_form_names_the_element(runner: CliRunner, tmp_path: Path) -> None:
    bundle = shutil.copytree(FIXTURES / "bundles" / "ratio-check", tmp_path / "ratio-check")
    (bundle / "review-decision.form.json").unlink()

    result = runner.invoke(main, ["catalogue", "check", str(bundle)])

    assert result.exit_code == 1
    assert "ratio-check.bpmn [review]: form 'review-decision' is not in the bundle" in result.output


def test_init_migrates_and_loads_the_catalogue_then_sync_finds_nothing_new(runner: CliRunner) -> None:
    first = runner.invoke(main, ["init"])
    assert first.exit_code == 0, first.output
    assert "created  catchup-contribution  v1" in first.output

    again = runner.invoke(main, ["catalogue", "sync"])
    assert again.exit_code == 0
    assert "unchanged  catchup-contribution  v1" in again.output


def test_deploy_a_bundle_as_draft_then_published(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["init"]).exit_code == 0
    archive = shutil.make_archive(str(tmp_path / "ratio"), "zip", FIXTURES / "bundles" / "ratio-check")

    draft = runner.invoke(main, ["catalogue", "deploy", archive])
    published = runner.invoke(
        main, ["catalogue", "deploy", str(FIXTURES / "bundles" / "ratio-check"), "--publish"]
    )

    assert (draft.exit_code, draft.output.strip()) == (0, "ratio-check 1 draft")
    assert (published.exit_code, published.output.strip()) == (0, "ratio-check 1 published")


def test_deploy_refuses_a_broken_bundle_with_located_messages(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["init"]).exit_code == 0
    bundle = shutil.copytree(FIXTURES / "bundles" / "ratio-check", tmp_path / "broken")
    shutil.copy(FIXTURES / "broken" / "unknown-decision.bpmn", bundle / "ratio-check.bpmn")

    result = runner.invoke(main, ["catalogue", "deploy", str(bundle), "--publish"])

    assert result.exit_code == 1
    assert "process 'ratio_check' is not defined" in result.output


UNTRUSTED_FILES = {
    "deep-form": (
        "ratio-start.form.json",
        b"[" * 100_000 + b"]" * 100_000,
        "ratio-start.form.json: not a form",
    ),
    "undecodable-utf16": (
        "ratio-check.bpmn",
        "\ufeff<a>".encode("utf-16-le")[:-1],
        "ratio-check.bpmn: not valid",
    ),
}


@pytest.mark.parametrize("command", ["check", "deploy"])
@pytest.mark.parametrize(
    ("name", "content", "expected"), UNTRUSTED_FILES.values(), ids=UNTRUSTED_FILES.keys()
)
def test_check_and_deploy_report_unreadable_files_without_a_traceback(
    runner: CliRunner, tmp_path: Path, command: str, name: str, content: bytes, expected: str
) -> None:
    assert runner.invoke(main, ["init"]).exit_code == 0
    bundle = shutil.copytree(FIXTURES / "bundles" / "ratio-check", tmp_path / "untrusted")
    (bundle / name).write_bytes(content)

    result = runner.invoke(main, ["catalogue", command, str(bundle)])

    assert (result.exit_code, result.exception.__class__) == (1, SystemExit)
    assert f"error: {expected}" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("file", "note"),
    [
        ("ratio-check.bpmn", "that the forms it names are in the bundle (ratio-start, review-decision)"),
        ("ratio-band.dmn", "whether a business rule task of the bundle calls its decision"),
        ("review-decision.form.json", "whether matter.yaml or a task of the bundle names this form"),
    ],
)
def test_check_of_a_lone_file_says_which_rules_need_the_bundle(
    runner: CliRunner, file: str, note: str
) -> None:
    result = runner.invoke(main, ["catalogue", "check", str(FIXTURES / "bundles" / "ratio-check" / file)])

    assert result.exit_code == 0, result.output
    assert f"note: not checked without the rest of the bundle: {note}" in result.output
    assert result.output.strip().endswith(f"ok: {FIXTURES / 'bundles' / 'ratio-check' / file}")


def test_check_of_a_lone_diagram_applies_the_rules_deploy_applies(runner: CliRunner, tmp_path: Path) -> None:
    bundle = shutil.copytree(FIXTURES / "bundles" / "ratio-check", tmp_path / "no-post")
    diagram = bundle / "ratio-check.bpmn"
    diagram.write_text(diagram.read_text(encoding="utf-8").replace(' camunda:candidateGroups="review"', ""))
    assert runner.invoke(main, ["init"]).exit_code == 0

    checked = runner.invoke(main, ["catalogue", "check", str(diagram)])
    deployed = runner.invoke(main, ["catalogue", "deploy", str(bundle)])

    expected = "ratio-check.bpmn [review]: user task names no candidate group (reviewer post) or lane"
    assert checked.exit_code == deployed.exit_code == 1
    assert expected in checked.output and expected in deployed.output
