"""`matterflow org add`, `user add` and `demo` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import main
from tests.conftest import ROOT


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("MATTERFLOW_CATALOGUE", str(ROOT))
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    return runner


def test_org_and_user_add(runner: CliRunner) -> None:
    assert (
        runner.invoke(main, ["org", "add", "110000", "北京市"]).output.strip()
        == "110000 北京市 (province, under 000000)"
    )
    assert runner.invoke(main, ["org", "add", "110105", "朝阳区"]).exit_code == 0

    made = runner.invoke(
        main,
        [
            "user",
            "add",
            "li.si",
            "--role",
            "reviewer",
            "--org",
            "110105",
            "--post",
            "acceptance",
            "--post",
            "review",
            "--password-stdin",
        ],
        input="Correct-Horse-7\n",
    )
    assert made.exit_code == 0, made.output
    assert made.output.strip() == "li.si reviewer 110105 acceptance,review"

    generated = runner.invoke(
        main,
        [
            "user",
            "add",
            "zhang.san",
            "--role",
            "applicant",
            "--org",
            "110105",
            "--identity",
            "11010519491231002X",
        ],
    )
    assert generated.exit_code == 0
    assert "110105********002X" in generated.output and "password (shown once): " in generated.output


@pytest.mark.parametrize("password", ["123456", "Password123!", "Abcdef1234"])
def test_user_add_refuses_weak_passwords_and_unknown_orgs(runner: CliRunner, password: str) -> None:
    weak = runner.invoke(
        main,
        ["user", "add", "li.si", "--role", "reviewer", "--org", "000000", "--password-stdin"],
        input=f"{password}\n",
    )
    nowhere = runner.invoke(main, ["user", "add", "li.si", "--role", "reviewer", "--org", "999999"])
    assert weak.exit_code == 1 and "not strong enough" in weak.output
    assert nowhere.exit_code == 1 and "no organisation 999999" in nowhere.output


def test_demo_prints_each_password_once(runner: CliRunner) -> None:
    first = runner.invoke(main, ["demo"])
    second = runner.invoke(main, ["demo"])

    assert first.exit_code == 0 and second.exit_code == 0, first.output
    passwords = [line.split()[-1] for line in first.output.splitlines()]
    assert len(passwords) == 8 and len(set(passwords)) == 8 and all(len(p) == 16 for p in passwords)
    assert second.output.count("(exists; password unchanged)") == 8
    assert runner.invoke(main, ["audit", "verify"]).exit_code == 0


def _add_reviewer(runner: CliRunner, *post_options: str) -> str:
    assert runner.invoke(main, ["org", "add", "110000", "北京市"]).exit_code == 0
    made = runner.invoke(
        main,
        ["user", "add", "li.si", "--role", "reviewer", "--org", "110000", *post_options, "--password-stdin"],
        input="Correct-Horse-7\n",
    )
    assert made.exit_code == 0, made.output
    return made.output.strip()


@pytest.mark.parametrize(
    "post_options",
    [
        ["--post", "acceptance", "review"],  # as API.md writes it: --post POST ...
        ["--post", "acceptance", "--post", "review"],
        ["--post=acceptance", "review"],
    ],
    ids=["one-option-two-posts", "repeated-option", "equals-form"],
)
def test_user_add_takes_several_posts_either_way(runner: CliRunner, post_options: list[str]) -> None:
    assert _add_reviewer(runner, *post_options) == "li.si reviewer 110000 acceptance,review"


def test_user_disable_ends_sign_in(runner: CliRunner) -> None:
    _add_reviewer(runner, "--post", "acceptance")

    disabled = runner.invoke(main, ["user", "disable", "li.si"])
    unknown = runner.invoke(main, ["user", "disable", "nobody"])

    assert (disabled.exit_code, disabled.output.strip()) == (0, "li.si reviewer 110000 acceptance disabled")
    assert unknown.exit_code == 1 and "no account 'nobody'" in unknown.output
