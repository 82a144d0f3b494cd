"""Run-time limits for diagram scripts: time, and the size of what one operation may build.

Python cannot cap the memory of one piece of code inside a shared process, so the operations
that can make huge objects in a single step are replaced (by sandbox.py's rewriting) with
checked versions: `**`, `*` and `<<` estimate their result first, `range` is bounded, and every
object those make counts against a budget per script run. A trace function stops any script
that runs past its deadline, checked on every line, loop iteration and call.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

TIME_LIMIT_SECONDS = 1.0
MAX_ITEMS = 1_000_000  # elements of one sequence or range
MAX_INT_BITS = 100_000  # about 30,000 decimal digits
BUDGET_ITEMS = 10_000_000  # everything the checked operations build in one run


class ScriptLimit(Exception):
    """A script went past a limit: it is stopped and becomes an incident on its case."""


class _Run:
    """The limits of one script run: a deadline and an allocation budget."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + TIME_LIMIT_SECONDS
        self.spent = 0

    def spend(self, items: int) -> None:
        if items > MAX_ITEMS:
            raise ScriptLimit(f"an operation would build {items:,} items (limit {MAX_ITEMS:,})")
        self.spent += items
        if self.spent > BUDGET_ITEMS:
            raise ScriptLimit(f"the script built more than {BUDGET_ITEMS:,} items in all")

    def trace(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        if event == "call":
            # per-opcode events: `while True: pass` never starts a new line
            frame.f_trace_opcodes = True
        if time.monotonic() > self.deadline:
            raise ScriptLimit(f"the script ran longer than {TIME_LIMIT_SECONDS:g} s and was stopped")
        return self.trace


class _Runs(threading.local):
    """The runs under way in this thread (innermost last); requests run in threads."""

    def __init__(self) -> None:
        self.stack: list[_Run] = []


_runs = _Runs()


@contextmanager
def limited() -> Iterator[None]:
    """Apply the limits to the code run inside the block (this thread only)."""
    run = _Run()
    previous = sys.gettrace()
    _runs.stack.append(run)
    sys.settrace(run.trace)
    try:
        yield
    finally:
        sys.settrace(previous)
        _runs.stack.pop()


def _run() -> _Run:
    return _runs.stack[-1] if _runs.stack else _Run()


def checked_binop(op: str, left: Any, right: Any) -> Any:
    """`left op right` for op in ('**', '*', '<<'), refusing results that would be huge."""
    if op == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            _check_bits(left.bit_length() * right)
        return left**right
    if op == "<<":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            _check_bits(left.bit_length() + right)
        return left << right
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(count, int):
            _run().spend(len(sequence) * max(count, 0))
    if isinstance(left, int) and isinstance(right, int):
        _check_bits(left.bit_length() + right.bit_length())
    return left * right


def _check_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise ScriptLimit(f"a number of about {bits:,} bits is too large (limit {MAX_INT_BITS:,})")


def checked_range(*args: int) -> range:
    """`range`, bounded."""
    numbers = range(*args)
    _run().spend(len(numbers))
    return numbers
