"""Run-time limits for diagram scripts: time, and the size of what they build.

The operating system caps the memory of the sandbox processes where scripts that loop or call
run (sandbox_process.py). Inside a process no such cap exists, and even in a sandbox process a
clear message beats running out, so every operation that can make a large object in one step is
replaced (by sandbox.py's rewriting) with a checked version that works out the size of its
result first: `**`, `*`, `<<`, `+` and the in-place
forms, `range`, `sum`, unpacking with `*`, formatting a value into text (f-strings, `str()`), and
the growing methods of strings, bytes, lists and ints (`join`, `replace`, `ljust`..., `extend`,
`to_bytes`). No single object may exceed MAX_ITEMS, everything built in one run counts against
BUDGET_ITEMS, and the data a script leaves behind (which is copied and written out as JSON) must
stay below MAX_DATA_ITEMS when written out — shared references counted each time they appear —
and nested at most MAX_DATA_DEPTH deep (the serializers that store it recurse).
A trace function stops any script that has used more than its CPU time, checked on every
opcode. It is the thread's own CPU time, not the wall clock: on a loaded server an honest script
waits for the processor (and for the GIL) without losing any of its allowance.

Sizes are counted in items: characters of text, bytes, elements of a collection, digits.
"""

from __future__ import annotations

import math
import operator
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from types import FrameType
from typing import Any

TIME_LIMIT_SECONDS = 1.0
MAX_ITEMS = 1_000_000  # one string, list or range
MAX_INT_BITS = 100_000  # about 30,000 decimal digits
BUDGET_ITEMS = 10_000_000  # everything the checked operations build in one run
MAX_DATA_ITEMS = 2_000_000  # the case data a script leaves, or a value an expression returns
MAX_DATA_DEPTH = 100  # lists and dicts within each other, in what is left or returned
INLINE_BUDGET_ITEMS = 1_000_000  # what code run inside the server's own process may build

_SEQUENCES = (str, bytes, list, tuple)
_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "**": operator.pow,
    "*": operator.mul,
    "<<": operator.lshift,
    "+": operator.add,
    "%": operator.mod,
}
_IN_PLACE: dict[str, Callable[[Any, Any], Any]] = {
    "**": operator.ipow,
    "*": operator.imul,
    "<<": operator.ilshift,
    "+": operator.iadd,
    "%": operator.imod,
}


class ScriptLimit(Exception):
    """A script went past a limit: it is stopped and becomes an incident on its case."""


class _Run:
    """The limits of one script run: a deadline and an allocation budget."""

    def __init__(self, budget: int = BUDGET_ITEMS) -> None:
        self.deadline = time.thread_time() + TIME_LIMIT_SECONDS
        self.spent = 0
        self.budget = budget

    def build(self, size: int, *, new: int | None = None) -> None:
        """Allow an object of `size` items, `new` of them freshly made (all, unless told)."""
        if size > MAX_ITEMS:
            raise ScriptLimit(f"an operation would build {size:,} items (limit {MAX_ITEMS:,})")
        self.spent += size if new is None else new
        if self.spent > self.budget:
            raise ScriptLimit(f"the script built more than {self.budget:,} items in all")

    def trace(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        if time.thread_time() > self.deadline:
            raise ScriptLimit(f"the script used more than {TIME_LIMIT_SECONDS:g} s of CPU and was stopped")
        if event == "call":
            if frame.f_globals is _OWN_GLOBALS:
                return None  # the checks themselves: bounded, and not worth tracing line by line
            # per-opcode events: `while True: pass` never starts a new line
            frame.f_trace_opcodes = True
        return self.trace


_OWN_GLOBALS = globals()


class _Runs(threading.local):
    """The runs under way in this thread (innermost last); requests run in threads."""

    def __init__(self) -> None:
        self.stack: list[_Run] = []


_runs = _Runs()


@contextmanager
def limited(budget: int = BUDGET_ITEMS) -> Iterator[None]:
    """Apply the limits to the code run inside the block (this thread only)."""
    run = _Run(budget)
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


def written_size(value: Any, limit: int, depth: int | None = None) -> int:
    """How many items `value` takes when written out (repr, str, JSON), counting a shared
    object each time it appears; ScriptLimit as soon as that passes `limit`. Given a `depth`,
    `value` is to be stored: ScriptLimit too when containers nest deeper than that, or for a
    number JSON cannot hold (infinity, NaN)."""
    total, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if depth is not None:
            _require_storable(item, level, depth)
        if isinstance(item, (str, bytes)):
            total += len(item) + 1
        elif isinstance(item, dict):
            total += 1
            pending.extend((key, level + 1) for key in item)
            pending.extend((child, level + 1) for child in item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 1
            pending.extend((child, level + 1) for child in item)
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        else:
            total += 1
        if total > limit:
            raise ScriptLimit(f"a value would be written out as more than {limit:,} items")
    return total


def _require_storable(item: Any, level: int, depth: int) -> None:
    if level > depth and isinstance(item, (dict, list, tuple, set, frozenset)):
        raise ScriptLimit(f"a value is nested more than {depth - 1} levels deep, too deep to store")
    if isinstance(item, float) and not math.isfinite(item):
        raise ScriptLimit(f"a number is {item}, which cannot be stored (JSON has no such number)")


def check_data(value: Any) -> None:
    """The data a script leaves behind (or an expression returns) must fit MAX_DATA_ITEMS, nest
    at most MAX_DATA_DEPTH deep below the data itself, and hold only finite numbers (JSON, and
    PostgreSQL's JSON type, have no infinity)."""
    written_size(value, MAX_DATA_ITEMS, MAX_DATA_DEPTH + 1)


def checked_binop(op: str, left: Any, right: Any) -> Any:
    """`left op right` for the operators in _BINARY, refusing results that would be huge."""
    _check_operation(op, left, right)
    return _BINARY[op](left, right)


def checked_in_place(op: str, left: Any, right: Any) -> Any:
    """`left op= right`, with the same checks; lists are still changed in place."""
    if op == "+" and isinstance(left, list) and not isinstance(right, Sized):
        right = list(right)  # `items += generator` extends by everything the generator yields
    _check_operation(op, left, right)
    return _IN_PLACE[op](left, right)


def _check_operation(op: str, left: Any, right: Any) -> None:
    if op == "**" and _ints(left, right) and right > 0 and abs(left) > 1:
        _check_bits(left.bit_length() * right)
    elif op == "<<" and _ints(left, right) and right > 0:
        _check_bits(left.bit_length() + right)
    elif op == "*":
        _check_repeat(left, right)
    elif op == "+" and isinstance(left, _SEQUENCES) and isinstance(right, Sized):
        _run().build(len(left) + len(right))
    elif op == "%" and isinstance(left, (str, bytes)):
        raise ScriptLimit("%-formatting of text is not allowed in a diagram script; use an f-string")


def _ints(left: Any, right: Any) -> bool:
    return isinstance(left, int) and isinstance(right, int)


def _check_repeat(left: Any, right: Any) -> None:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, _SEQUENCES) and isinstance(count, int):
            _run().build(len(sequence) * max(count, 0))
    if _ints(left, right):
        _check_bits(left.bit_length() + right.bit_length())


def _check_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise ScriptLimit(f"a number of about {bits:,} bits is too large (limit {MAX_INT_BITS:,})")


def checked_range(*args: int) -> range:
    """`range`, bounded."""
    numbers = range(*args)
    _run().build(len(numbers))
    return numbers


def checked_sum(items: Iterable[Any], start: Any = 0) -> Any:
    """`sum`; adding up lists or tuples is checked like `+`."""
    values = list(items)
    if not any(isinstance(v, _SEQUENCES) for v in (start, *values)):
        return sum(values, start)
    total = start
    for value in values:
        total = checked_binop("+", total, value)
    return total


def checked_spread(value: Any) -> Any:
    """The value of `*value` in a list, tuple or call: its elements are copied."""
    items = value if isinstance(value, Sized) else list(value)
    _run().build(len(items))
    return items


def checked_shown(value: Any) -> Any:
    """A value about to be written into text (an f-string field, `str(value)`)."""
    _run().build(written_size(value, MAX_ITEMS))
    return value


class CheckedStr:
    """`str` as scripts see it: converting a value is checked like an f-string field, and
    `isinstance(x, str)` still works."""

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        if args:
            checked_shown(args[0])
        return str(*args, **kwargs)

    def __instancecheck__(self, instance: Any) -> bool:
        return isinstance(instance, str)

    def __repr__(self) -> str:
        return "<class 'str'>"


def _join(separator: Any, items: Iterable[Any]) -> Any:
    parts = list(items)
    size = sum(len(p) for p in parts if isinstance(p, (str, bytes)))
    _run().build(size + len(separator) * max(len(parts) - 1, 0))
    return separator.join(parts)


def _replace(text: Any, old: Any, new: Any, count: int = -1) -> Any:
    found = len(text) + 1 if not old else text.count(old)
    found = found if count < 0 else min(found, count)
    _run().build(len(text) + found * max(len(new) - len(old), 0))
    return text.replace(old, new, count)


def _padder(name: str) -> Callable[..., Any]:
    def pad(text: Any, width: int, *fill: Any) -> Any:
        _run().build(max(width, len(text)))
        return getattr(text, name)(width, *fill)

    return pad


def _expandtabs(text: Any, tabsize: int = 8) -> Any:
    _run().build(len(text) + text.count("\t" if isinstance(text, str) else b"\t") * max(tabsize, 0))
    return text.expandtabs(tabsize)


def _extend(items: list[Any], more: Iterable[Any]) -> None:
    added = more if isinstance(more, Sized) else list(more)
    _run().build(len(items) + len(added), new=len(added))
    items.extend(added)


def _to_bytes(number: int, length: int = 1, *args: Any, **kwargs: Any) -> bytes:
    _run().build(length)
    return number.to_bytes(length, *args, **kwargs)


_TEXT_GROWERS: dict[str, Callable[..., Any]] = {
    "join": _join,
    "replace": _replace,
    "expandtabs": _expandtabs,
    **{name: _padder(name) for name in ("ljust", "rjust", "center", "zfill")},
}
GROWING_METHODS: dict[tuple[type, str], Callable[..., Any]] = {
    **{(kind, name): check for kind in (str, bytes) for name, check in _TEXT_GROWERS.items()},
    (list, "extend"): _extend,
    (int, "to_bytes"): _to_bytes,
    (bool, "to_bytes"): _to_bytes,
}
