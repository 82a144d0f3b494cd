"""Diagram scripts cannot reach Python's dangerous parts; refusals name the line."""

from __future__ import annotations

from datetime import datetime

import pytest

from engine.bpmn.sandbox import SandboxEnvironment, ScriptRejected, compile_checked

FRAME_WALK = """gen = (gen.gi_frame.f_back for _ in [1])
frame = list(gen)[0]
while 'builtins' not in frame.f_globals:
    frame = frame.f_back
opened = frame.f_globals['builtins'].open('/etc/passwd')"""
CAUGHT = "try:\n    int('x')\nexcept ValueError as error:\n"

ESCAPES = {
    "import": ("import os", "import is not allowed"),
    "import-from": ("from os import system", "import is not allowed"),
    "walk-subclasses": ("x = ().__class__.__bases__[0].__subclasses__()", "names starting with '__'"),
    "builtins": ("x = __builtins__", "names starting with '__'"),
    "global": ("global y\ny = 1", "global is not allowed"),
    "generator-frame-walk": (FRAME_WALK, "attribute .f_back is not allowed"),
    "generator-code": ("def numbers():\n    yield 1\ncode = numbers().gi_code.co_code", ".co_code"),
    "coroutine": ("async def work():\n    pass\nframe = work().cr_frame", "asynchronous code"),
    "coroutine-frame": ("frame = task.cr_frame", "attribute .cr_frame is not allowed"),
    "async-generator": ("async def items():\n    yield 1\nframe = items().ag_frame", "asynchronous code"),
    "async-generator-frame": ("frame = items.ag_frame.f_locals", ".f_locals"),
    "caught-traceback": (CAUGHT + "    frame = error.__traceback__.tb_frame", ".tb_frame"),
    "traceback": (CAUGHT + "    tb = error.__traceback__", "names starting with '__'"),
    "traceback-chain": ("frame = tb.tb_next.tb_frame", "attribute .tb_frame is not allowed"),
    "with-traceback": (CAUGHT + "    again = error.with_traceback(None)", ".with_traceback"),
    "match-traceback": (
        CAUGHT + "    match error:\n        case ValueError(__traceback__=tb):\n            pass",
        "names starting with '__'",
    ),
    "match-frame": ("match gen:\n    case dict(gi_frame=frame):\n        pass", ".gi_frame"),
    "type-mro": ("classes = type(1).mro()", "attribute .mro is not allowed"),
    "function-globals": ("g = (lambda: 0).func_globals", ".func_globals"),
    "frame-builtins": ("b = frame.f_builtins", ".f_builtins"),
    "code-constants": ("c = code.co_consts", ".co_consts"),
    "format-attribute": ("x = '{0.gi_frame}'.format(gen)", ".format() is not allowed"),
    "format-map": ("x = '{a.f_back}'.format_map(data)", ".format_map() is not allowed"),
    "format-spec-from-data": ("x = f'{name:{width}}'", "format spec taken from data"),
    "shadow-a-check": ("_mf_attr = lambda value, name: value", "'_mf'"),
    "set-an-attribute": ("numbers.real = 1", "setting or deleting .real"),
    "class": ("class Escape:\n    pass", "class definitions are not allowed"),
}


@pytest.mark.parametrize(("script", "refusal"), ESCAPES.values(), ids=ESCAPES.keys())
def test_dangerous_scripts_are_refused_before_they_run(script: str, refusal: str) -> None:
    with pytest.raises(ScriptRejected, match=r"^line [0-9]+: ") as caught:
        compile_checked(script, "exec")
    assert refusal in str(caught.value)


@pytest.mark.parametrize("name", ["open", "eval", "exec", "compile", "getattr", "globals", "type", "vars"])
def test_dangerous_builtins_are_not_there(name: str) -> None:
    context: dict[str, object] = {}
    with pytest.raises(NameError):
        SandboxEnvironment().execute(f"x = {name}", context)


@pytest.mark.parametrize(
    "script",
    [
        "gen = (n for n in [1])\nx = gen.count",
        "f = lambda: 0\nx = f.copy",
        "try:\n    int('x')\nexcept ValueError as error:\n    x = error.index",
    ],
    ids=["generator", "function", "exception"],
)
def test_allowed_names_are_only_looked_up_on_data_values(script: str) -> None:
    with pytest.raises(ScriptRejected, match="is not available to diagram scripts"):
        SandboxEnvironment().execute(script, {})


def test_plain_data_work_runs_and_leaves_only_data() -> None:
    context: dict[str, object] = {"months": 3, "base": 5000}
    SandboxEnvironment().execute("amount = round(base * months * 0.24, 2)\nok = amount < 20000", context)
    assert context == {"months": 3, "base": 5000, "amount": 3600.0, "ok": True}


def test_scripts_use_the_methods_of_text_lists_dicts_and_dates() -> None:
    context: dict[str, object] = {
        "raw": " li si , wang wu ",
        "counts": {"a": 1},
        "due": datetime(2026, 11, 23, 9, 0),
    }
    SandboxEnvironment().execute(
        "names = [n.strip().title() for n in raw.split(',')]\n"
        "label = ' / '.join(names).upper()\n"
        "counts['a'] += counts.get('b', 10)\n"
        "names.append(str(due.year))\n"
        "names.sort()\n"
        "month = f'{due.month:02d}'\n"
        "ok = isinstance(label, str) and label.startswith('LI')",
        context,
    )
    assert context["names"] == ["2026", "Li Si", "Wang Wu"]
    assert (context["label"], context["counts"], context["month"], context["ok"]) == (
        "LI SI / WANG WU",
        {"a": 11},
        "11",
        True,
    )


def test_expressions_see_task_data() -> None:
    assert SandboxEnvironment().evaluate("decision == 'approve'", {"decision": "approve"}) is True


def test_task_data_cannot_replace_the_builtins_of_an_expression() -> None:
    assert SandboxEnvironment().evaluate("len(items)", {"items": [1, 2], "__builtins__": {}}) == 2
