"""`matterflow case retry`: a failed case run on with corrected data from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import build_engine
from engine.actors import SYSTEM
from engine.cli import main
from engine.services import cases
from engine.settings import Settings
from tests.conftest import FIXTURES, ROOT
from tests.factories import person


@pytest.fixture
def failed_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("MATTERFLOW_CATALOGUE", str(ROOT))
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    deployed = runner.invoke(
        main, ["catalogue", "deploy", str(FIXTURES / "bundles" / "ratio-check"), "--publish"]
    )
    assert deployed.exit_code == 0, deployed.output
    engine = build_engine(Settings.from_env())
    try:
        case = cases.start_case(
            engine, person("zhang.san"), matter="ratio-check", data={"amount": 300, "months": 0}
        )
    finally:
        engine.close()
    assert case.open_incidents
    return case.id


def test_a_retry_with_corrected_data_runs_the_case_on(failed_case: str) -> None:
    runner = CliRunner()
    still_failing = runner.invoke(main, ["case", "retry", failed_case])
    assert still_failing.exit_code == 1 and "still failing at compute" in still_failing.output

    result = runner.invoke(main, ["case", "retry", failed_case, "--data", '{"months": 3}'])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(": in_progress")
    engine = build_engine(Settings.from_env())
    try:
        assert [t.element_id for t in cases.get_case(engine, SYSTEM, failed_case).open_tasks] == ["review"]
    finally:
        engine.close()


@pytest.mark.parametrize(("data", "said"), [("{months", "not JSON"), ("[3]", "a JSON object")])
def test_corrections_must_be_a_json_object(failed_case: str, data: str, said: str) -> None:
    result = CliRunner().invoke(main, ["case", "retry", failed_case, "--data", data])
    assert result.exit_code == 2 and said in result.output


def test_an_unknown_case_is_an_error(failed_case: str) -> None:
    result = CliRunner().invoke(main, ["case", "retry", "no-such-case"])
    assert result.exit_code == 1 and "no such case" in result.output
