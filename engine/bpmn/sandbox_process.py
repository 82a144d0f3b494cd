"""Diagram code that loops or calls runs in a sandbox process, where the operating system caps
its memory.

Counting what a script builds (limits.py) cannot see every allocation: `s.encode('utf-32')`,
`list(l)` or a comprehension make new objects at C speed. So any code that is not bounded by
construction (bounded.py) runs in a child process, forked from a small server that has the
sandbox loaded, whose address space is capped with RLIMIT_AS at MEMORY_LIMIT_BYTES more than it
started with. A script that asks for more gets a MemoryError there, which becomes a ScriptLimit
(an incident on its case) here; the child is replaced. While it runs the server's own threads
go on (the child has its own interpreter and lock), and a child that has not answered within
WALL_LIMIT_SECONDS (its own CPU limit is one second) is killed.

Requests are pickled to the child; answers come back through an unpickler that makes nothing
but data (the child runs code someone else wrote, so its answers are untrusted). Children are
kept in a pool per server process and reused one request at a time.
"""

from __future__ import annotations

import builtins
import io
import multiprocessing
import os
import pickle
import resource
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from engine.bpmn.allowlist import ScriptRejected
from engine.bpmn.limits import ScriptLimit

Runner = Callable[[str, str, dict[str, Any], dict[str, Any]], Any]

MEMORY_LIMIT_BYTES = 256 * 1024 * 1024
WALL_LIMIT_SECONDS = 10.0
MAX_IDLE = 8  # children kept for reuse per server process
SCRIPT_FILENAME = "<string>"
_BUILTIN_DATA = ("dict", "list", "set", "frozenset", "tuple", "str", "bytes", "int", "float", "bool")
_DATA_CLASSES = {("builtins", name) for name in _BUILTIN_DATA} | {
    ("builtins", "range"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("decimal", "Decimal"),
    ("uuid", "UUID"),
    ("zoneinfo", "ZoneInfo._unpickle"),
    ("collections", "OrderedDict"),
}
_ERRORS = {
    name: kind
    for name, kind in vars(builtins).items()
    if isinstance(kind, type) and issubclass(kind, Exception) and not issubclass(kind, OSError)
}


class _DataOnly(pickle.Unpickler):
    """Unpickles data and nothing else: no class or function outside _DATA_CLASSES."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _DATA_CLASSES:
            raise pickle.UnpicklingError(f"{module}.{name} is not data")
        return super().find_class(module, name)


def _data(payload: bytes) -> Any:
    return _DataOnly(io.BytesIO(payload)).load()


class _Child:
    """One sandbox process and the parent's end of its pipe; it runs requests with `runner`
    (a function of a module the child imports: sandbox.run_apart)."""

    def __init__(self, runner: Runner) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([runner.__module__])
        self.connection, theirs = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(theirs, runner), daemon=True, name="matterflow-sandbox"
        )
        self.process.start()
        theirs.close()

    def ask(self, request: bytes) -> Any:
        self.connection.send_bytes(request)
        if not self.connection.poll(WALL_LIMIT_SECONDS):
            raise ScriptLimit(f"the script did not finish within {WALL_LIMIT_SECONDS:g} s and was stopped")
        return _data(self.connection.recv_bytes())

    def close(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class _Pool:
    """Idle children of this server process (a forked server process starts its own)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Child] = []
        self.owner = os.getpid()
        self.growth_kib = 0  # the most a script has grown a child's resident memory, for tests

    def take(self, runner: Runner) -> _Child:
        with self.lock:
            if self.owner != os.getpid():  # inherited across a fork: those children are not ours
                self.idle, self.owner = [], os.getpid()
            if self.idle:
                return self.idle.pop()
        return _Child(runner)

    def give_back(self, child: _Child) -> None:
        with self.lock:
            if len(self.idle) < MAX_IDLE:
                self.idle.append(child)
                return
        child.close()


_pool = _Pool()


def largest_growth_kib() -> int:
    """The largest growth of a sandbox process's resident memory that a script has caused."""
    return _pool.growth_kib


def run(runner: Runner, mode: str, source: str, context: dict[str, Any], external: dict[str, Any]) -> Any:
    """`runner(mode, source, context, external)` in a sandbox process: an expression's value, or
    the data a script leaves. The script's errors are raised here as they were there."""
    try:
        request = pickle.dumps((mode, source, context, external), pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as exc:
        raise ScriptLimit(f"the data cannot be handed to the script: {exc}") from exc
    child = _pool.take(runner)
    try:
        answer = child.ask(request)
    except (EOFError, OSError, pickle.UnpicklingError, ScriptLimit) as exc:
        child.close()
        if isinstance(exc, ScriptLimit):
            raise
        raise ScriptLimit(f"the script's sandbox process ended ({type(exc).__name__}): {exc}") from exc
    kind, value, growth = answer
    _pool.growth_kib = max(_pool.growth_kib, growth)
    if kind == "memory":
        child.close()
    else:
        _pool.give_back(child)
    if kind == "ok":
        return value
    raise _rebuilt(kind, value)


def _rebuilt(kind: str, detail: tuple[Any, ...]) -> Exception:
    """The child's error as an exception of this process (its line, for the incident)."""
    if kind in ("limit", "memory"):
        return ScriptLimit(detail[0])
    if kind == "rejected":
        return ScriptRejected(detail[0])
    name, args, line = detail
    if kind == "syntax":
        return SyntaxError(args[0] if args else "invalid syntax", (SCRIPT_FILENAME, line, 0, ""))
    error = _ERRORS.get(name, RuntimeError)(*args)
    error.script_line = line  # type: ignore[attr-defined]  # read by SandboxScriptEngine
    return error


# ---- the child's side ----


def _serve(connection: Connection, runner: Runner) -> None:
    """The sandbox process: cap the address space, forget the environment (the database's
    address, keys), then run requests until the pipe closes."""
    _cap_memory()
    os.environ.clear()
    base = _resident_kib()
    while True:
        try:
            request = pickle.loads(connection.recv_bytes())  # from the server: trusted
        except (EOFError, OSError):
            return
        kind, value = _answer(runner, *request)
        try:
            payload = pickle.dumps((kind, value, _resident_kib() - base), pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError, MemoryError) as exc:
            kind, value = "limit", (f"the script left something that is not data: {exc}",)
            payload = pickle.dumps((kind, value, _resident_kib() - base), pickle.HIGHEST_PROTOCOL)
        connection.send_bytes(payload)
        if kind == "memory":
            return  # a fresh process for the next script


def _answer(runner: Runner, *request: Any) -> tuple[str, Any]:
    try:
        return "ok", runner(*request)
    except MemoryError:
        limit = MEMORY_LIMIT_BYTES // (1024 * 1024)
        return "memory", (f"the script needed more than {limit} MiB of memory and was stopped",)
    except ScriptLimit as exc:
        return "limit", (str(exc),)
    except ScriptRejected as exc:
        return "rejected", (str(exc),)
    except SyntaxError as exc:
        return "syntax", ("SyntaxError", (str(exc.msg),), exc.lineno or 0)
    except Exception as exc:  # the script's own error (a KeyError, a ZeroDivisionError ...)
        frames = traceback.extract_tb(exc.__traceback__)
        lines = [frame.lineno for frame in frames if frame.filename == SCRIPT_FILENAME]
        return "error", (type(exc).__name__, tuple(str(arg) for arg in exc.args), lines[-1] if lines else 0)


def _cap_memory() -> None:
    """RLIMIT_AS at what the process has mapped now plus MEMORY_LIMIT_BYTES (Linux)."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = mapped + MEMORY_LIMIT_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _resident_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
