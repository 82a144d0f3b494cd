"""Diagram scripts cannot reach Python's dangerous parts; refusals name the line."""

from __future__ import annotations

import pytest

from engine.bpmn.sandbox import SandboxEnvironment, ScriptRejected, compile_checked


@pytest.mark.parametrize(
    "script",
    [
        "import os",
        "from os import system",
        "x = ().__class__.__bases__[0].__subclasses__()",
        "x = __builtins__",
        "global y\ny = 1",
    ],
)
def test_dangerous_scripts_are_refused_before_they_run(script: str) -> None:
    with pytest.raises(ScriptRejected):
        compile_checked(script, "exec")


@pytest.mark.parametrize("name", ["open", "eval", "exec", "compile", "getattr", "globals", "type", "vars"])
def test_dangerous_builtins_are_not_there(name: str) -> None:
    context: dict[str, object] = {}
    with pytest.raises(NameError):
        SandboxEnvironment().execute(f"x = {name}", context)


def test_plain_data_work_runs_and_leaves_only_data() -> None:
    context: dict[str, object] = {"months": 3, "base": 5000}
    SandboxEnvironment().execute("amount = round(base * months * 0.24, 2)\nok = amount < 20000", context)
    assert context == {"months": 3, "base": 5000, "amount": 3600.0, "ok": True}


def test_expressions_see_task_data() -> None:
    assert SandboxEnvironment().evaluate("decision == 'approve'", {"decision": "approve"}) is True
