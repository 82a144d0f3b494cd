"""Camunda-style JUEL conditions run as the Python SpiffWorkflow evaluates."""

from __future__ import annotations

import pytest

from engine.bpmn.expressions import to_python
from engine.bpmn.sandbox import SandboxEnvironment


@pytest.mark.parametrize(
    ("juel", "python"),
    [
        ("${approved}", "approved"),
        ("${!approved}", "not approved"),
        ("${amount > 1000 && urgent}", "amount > 1000  and  urgent"),
        ("${a eq 'x' || b ne null}", "a == 'x'  or  b != None"),
        ("#{decision == 'approve'}", "decision == 'approve'"),
        ("${note == 'a && b'}", "note == 'a && b'"),
        ("decision == 'approve'", "decision == 'approve'"),
    ],
)
def test_juel_becomes_python(juel: str, python: str) -> None:
    assert to_python(juel) == python


def test_juel_condition_evaluates_on_task_data() -> None:
    environment = SandboxEnvironment()
    assert environment.evaluate("${!approved && amount ge 10}", {"approved": False, "amount": 10}) is True


@pytest.mark.parametrize(
    ("feel", "python"), [("= approved", "approved"), ("true", "True"), ("false", "False")]
)
def test_simple_feel_and_xpath_literals(feel: str, python: str) -> None:
    assert to_python(feel) == python
