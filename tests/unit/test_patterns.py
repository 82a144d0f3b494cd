"""Form patterns run in linear time on the server, and `catalogue check` refuses those a
browser's backtracking engine would hang on, and those RE2 cannot run, naming file and element."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.errors import InputInvalid
from engine.forms import FormValidator
from engine.patterns import pattern_problems
from tests.conftest import FIXTURES

CATASTROPHIC = {
    "nested-plus": r"^(a+)+$",  # the issue's: 40 a's and a '!' hung a worker for 30 s
    "nested-star-words": r"^(\w+\s?)*$",
    "overlapping-alternatives": r"^(a|aa)*$",
    "overlapping-classes": r"^(\w|\d)+$",
    "overlapping-chinese": r"^(中|中国)+$",
    "empty-repeated": r"^(a?)*$",
    "cubic": r"^.*a.*a.*a.*$",
    "email-with-nested-repetition": r"^([a-z0-9])(([\-.]|[_]+)?([a-z0-9]+))*(@){1}[a-z0-9]+[.]{1}[a-z]{2,3}$",
}
UNRUNNABLE = {"backreference": r"^(a)\1$", "lookahead": r"^(?=\d)\w+$", "lookbehind": r"(?<!x)y"}
FINE = {
    "resident-id": r"^\d{17}[\dXx]$",
    "mobile": r"^1[3-9]\d{9}$",
    "division-code": r"^\d{6}(\d{3})?$",
    "month": r"^\d{4}-(0[1-9]|1[0-2])$",
    "chinese-name": r"^[\u4e00-\u9fa5·]{2,20}$",
    "delimited-repetition": r"^(\d+,)*\d+$",
    "email": r"^[\w.+-]+@([\w-]+\.)+\w{2,}$",
    "disjoint-alternatives": r"^([a-z]|[0-9])+$",
}


@pytest.mark.parametrize("pattern", CATASTROPHIC.values(), ids=CATASTROPHIC.keys())
def test_catastrophic_patterns_are_refused(pattern: str) -> None:
    [problem] = pattern_problems(pattern)
    assert "backtracking engine" in problem


@pytest.mark.parametrize("pattern", UNRUNNABLE.values(), ids=UNRUNNABLE.keys())
def test_patterns_re2_cannot_run_are_refused(pattern: str) -> None:
    [problem] = pattern_problems(pattern)
    assert "cannot be run in linear time (RE2" in problem


@pytest.mark.parametrize("pattern", FINE.values(), ids=FINE.keys())
def test_ordinary_patterns_pass(pattern: str) -> None:
    assert pattern_problems(pattern) == []


def _form(pattern: str) -> dict[str, object]:
    return {
        "id": "f",
        "components": [
            {"id": "name_field", "key": "name", "type": "textfield", "validate": {"pattern": pattern}}
        ],
    }


def test_a_form_with_a_catastrophic_pattern_is_refused_by_catalogue_check(tmp_path: Path) -> None:
    folder = shutil.copytree(FIXTURES / "bundles" / "ratio-check", tmp_path / "hostile")
    form_file = folder / "ratio-start.form.json"
    form = json.loads(form_file.read_text(encoding="utf-8"))
    form["components"].append(
        {"id": "nick", "key": "nick", "type": "textfield", "validate": {"pattern": "^(a+)+$"}}
    )
    form_file.write_text(json.dumps(form), encoding="utf-8")

    result = CliRunner().invoke(main, ["catalogue", "check", str(folder)])

    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert "ratio-start.form.json [nick]: pattern is catastrophic" in line


def test_a_pattern_deployed_before_the_check_runs_in_linear_time() -> None:
    """The issue's attack on a form that already holds `^(a+)+$`: refused at once, and another
    request is answered meanwhile (the check runs in RE2 and releases nothing it holds)."""
    validator = FormValidator(_form(r"^(a+)+$"))
    hostile = {"name": "a" * 40 + "!"}
    answered: list[float] = []

    def other_request() -> None:
        started = time.monotonic()
        FormValidator(_form(r"^\d+$")).validate({"name": "42"})
        answered.append(time.monotonic() - started)

    started = time.monotonic()
    meanwhile = threading.Thread(target=other_request)
    meanwhile.start()
    with pytest.raises(InputInvalid, match="form has errors"):
        validator.validate({"name": "a" * 100_000 + "!"})
    with pytest.raises(InputInvalid):
        validator.validate(hostile)
    meanwhile.join(timeout=5)
    assert time.monotonic() - started < 1.0 and answered and answered[0] < 1.0
    assert validator.validate({"name": "aaaa"}) == {"name": "aaaa"}


def test_chinese_ranges_written_as_unicode_escapes_run_on_the_server() -> None:
    validator = FormValidator(_form(FINE["chinese-name"]))
    assert validator.validate({"name": "欧阳·娜娜"}) == {"name": "欧阳·娜娜"}
    with pytest.raises(InputInvalid):
        validator.validate({"name": "Nana"})
