"""No diagram script builds an object beyond the size limits, however it goes about it."""

from __future__ import annotations

import time

import pytest

from engine.bpmn import limits
from engine.bpmn.limits import ScriptLimit
from engine.bpmn.sandbox import SandboxEnvironment, run_apart

MEGABYTE = "x" * 1_000_000
HOGS = {
    "join": ("y = '-'.join([s] * 3000)", "would build 3,000,002,999 items"),
    "join-a-generator": ("y = ''.join(s for _ in range(3000))", "would build"),
    "double-by-plus": ("t = 'ab'\nfor _ in range(40):\n    t = t + t", "would build"),
    "double-in-place": ("t = 'ab'\nfor _ in range(40):\n    t += t", "would build"),
    "double-a-list": ("items = [0]\nfor _ in range(40):\n    items.extend(items)", "would build"),
    "double-a-list-in-place": ("items = [s]\nfor _ in range(40):\n    items += items", "would build"),
    "double-an-f-string": ("t = 'ab'\nfor _ in range(40):\n    t = f'{t}{t}'", "more than 1,000,000 items"),
    "sum-of-lists": ("rows = list(range(900000))\ny = sum([rows] * 100, [])", "would build"),
    "spread": ("rows = list(range(900000))\ny = [" + "*rows, " * 12 + "]", "built more than"),
    "bytes": ("y = (1).to_bytes(10 ** 9, 'big')", "would build 1,000,000,000 items"),
    "replace": ("y = s.replace('x', 'xxxx')", "would build 4,000,000 items"),
    "pad": ("y = 'a'.ljust(10 ** 9)", "would build 1,000,000,000 items"),
    "expand-tabs": ("y = ('\\t' * 1000).expandtabs(10 ** 6)", "would build"),
    "f-string-of-a-shared-list": ("rows = [s] * 1000\ny = f'{rows}'", "written out as more than"),
    "str-of-a-shared-list": ("y = str([s] * 1000)", "written out as more than"),
    "percent-format": ("y = '%999999999s' % 'a'", "%-formatting of text is not allowed"),
    "leave-a-shared-list-behind": ("rows = [s] * 1000", "written out as more than 2,000,000"),
}


@pytest.fixture(scope="module", autouse=True)
def sandbox_started() -> None:
    """The sandbox processes' server starts with the first script that needs one (it imports
    the engine, a second or two): not a cost of the scripts timed here."""
    SandboxEnvironment().execute("for n in range(1):\n    pass", {})


@pytest.mark.parametrize(("script", "message"), HOGS.values(), ids=HOGS.keys())
def test_memory_hogs_are_stopped_before_they_allocate(script: str, message: str) -> None:
    started = time.thread_time()  # CPU, not the wall clock: stopped before the work, not after it
    with pytest.raises(ScriptLimit, match=message):
        SandboxEnvironment().execute(script, {"s": MEGABYTE})
    assert time.thread_time() - started < 1.5


def test_an_expression_cannot_return_a_huge_value() -> None:
    with pytest.raises(ScriptLimit, match="written out as more than"):
        SandboxEnvironment().evaluate("[s] * 1000", {"s": MEGABYTE})


def test_ordinary_sizes_still_work() -> None:
    context: dict[str, object] = {"s": MEGABYTE[:1000], "rows": [1, 2]}
    SandboxEnvironment().execute(
        "joined = '-'.join([s[:3]] * 3)\n"
        "rows += [3]\n"
        "rows.extend(n for n in range(4, 6))\n"
        "total = sum(rows) + sum([[1], [2]], [])[1]\n"
        "code = '7'.zfill(3) + s[:2].replace('x', 'y')\n"
        "both = [*rows, *rows][:3]\n"
        "shown = f'{total:>4}|{rows}'",
        context,
    )
    assert context["joined"] == "xxx-xxx-xxx"
    assert context["rows"] == [1, 2, 3, 4, 5]
    assert (context["total"], context["code"], context["both"]) == (17, "007yy", [1, 2, 3])
    assert context["shown"] == "  17|[1, 2, 3, 4, 5]"


def test_the_time_limit_counts_the_scripts_cpu_not_the_wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A script that waits for the processor on a busy server keeps its whole allowance; one that
    computes past it is stopped."""
    monkeypatch.setattr(limits, "TIME_LIMIT_SECONDS", 0.2)
    with limits.limited():
        time.sleep(0.4)  # the thread waits: wall-clock time passes, CPU time hardly does
        SandboxEnvironment().execute("total = sum(range(1000))", {})
    with pytest.raises(ScriptLimit, match=r"used more than 0\.2 s of CPU"):  # as a sandbox process runs it
        run_apart("exec", "while True:\n    pass", {}, {})
