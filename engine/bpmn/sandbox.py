"""Scripts and expressions from diagrams run here, never with Python's full powers.

A diagram is input from a person. Before a script runs its syntax tree is checked: no import,
no class or asynchronous code, no name starting with `__` or with the sandbox's own `_mf`
prefix, no global statements, and attributes only from the allowlist of data-value methods
(allowlist.py) and only read, never set. The operations that can build huge objects in one step
are rewritten to checked versions, every attribute read is rewritten to a run-time check of the
value's type, and the script runs under a time limit with a short list of harmless builtins
(limits.py). Code bounded by construction runs here (bounded.py); the rest, which could
allocate in ways no check sees, runs in a sandbox process whose memory the operating system
caps (sandbox_process.py). Compiled code is cached by source text because the same few
expressions run for every case.
"""

from __future__ import annotations

import ast
import builtins
from functools import lru_cache
from types import CodeType
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from engine.bpmn import sandbox_process
from engine.bpmn.allowlist import ScriptRejected, check_attribute_name, checked_attribute
from engine.bpmn.bounded import runs_inline
from engine.bpmn.expressions import to_python
from engine.bpmn.limits import (
    INLINE_BUDGET_ITEMS,
    CheckedStr,
    check_data,
    checked_binop,
    checked_in_place,
    checked_range,
    checked_shown,
    checked_spread,
    checked_sum,
    limited,
)

__all__ = ["SandboxEnvironment", "SandboxScriptEngine", "ScriptRejected", "compile_checked", "run_apart"]

_ALLOWED_BUILTINS = (
    "abs",
    "all",
    "any",
    "bool",
    "dict",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "int",
    "isinstance",
    "len",
    "list",
    "map",
    "max",
    "min",
    "reversed",
    "round",
    "set",
    "sorted",
    "tuple",
    "zip",
    "ValueError",
    "KeyError",
    "TypeError",
)
# The rewritten code calls these; scripts cannot name them (the `_mf` prefix is reserved).
_HELPERS: dict[str, Any] = {
    "_mf_attr": checked_attribute,
    "_mf_binop": checked_binop,
    "_mf_in_place": checked_in_place,
    "_mf_shown": checked_shown,
    "_mf_spread": checked_spread,
}
SAFE_BUILTINS: dict[str, Any] = {
    **{name: getattr(builtins, name) for name in _ALLOWED_BUILTINS},
    "range": checked_range,
    "str": CheckedStr(),
    "sum": checked_sum,
    **_HELPERS,
}
_CHECKED_OPS = {ast.Pow: "**", ast.Mult: "*", ast.LShift: "<<", ast.Add: "+", ast.Mod: "%"}
_RESERVED_PREFIXES = ("__", "_mf")
_ASYNC = "asynchronous code (coroutines, async generators) is not allowed in a diagram script"
SCRIPT_FILENAME = "<string>"  # SpiffWorkflow looks for this name to report the failing line


class _Inspector(ast.NodeVisitor):
    """Refuse, with the line, what a diagram script may not write."""

    def visit_Import(self, node: ast.Import) -> None:
        _refuse(node, "import is not allowed in a diagram script")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        _refuse(node, "import is not allowed in a diagram script")

    def visit_Global(self, node: ast.Global) -> None:
        _refuse(node, "global is not allowed in a diagram script")

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        _refuse(node, "nonlocal is not allowed in a diagram script")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        _refuse(node, "class definitions are not allowed in a diagram script")

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        _refuse(node, _ASYNC)

    def visit_Await(self, node: ast.Await) -> None:
        _refuse(node, _ASYNC)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        _refuse(node, _ASYNC)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        _refuse(node, _ASYNC)

    def visit_Name(self, node: ast.Name) -> None:
        _refuse_reserved(node.id, node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        _refuse_reserved(node.name, node)
        self.generic_visit(node)

    def visit_arg(self, node: ast.arg) -> None:
        _refuse_reserved(node.arg, node)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        _refuse_reserved(node.name or "", node)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        _refuse_reserved(node.name or "", node)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        _refuse_reserved(node.name or "", node)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        _refuse_reserved(node.rest or "", node)
        self.generic_visit(node)

    def visit_MatchClass(self, node: ast.MatchClass) -> None:
        for name in node.kwd_attrs:  # `case ValueError(__traceback__=tb)` reads an attribute
            _refuse_reserved(name, node)
            check_attribute_name(name, node.lineno)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        _refuse_reserved(node.attr, node)
        check_attribute_name(node.attr, node.lineno)
        if not isinstance(node.ctx, ast.Load):
            _refuse(node, f"setting or deleting .{node.attr} is not allowed in a diagram script")
        self.generic_visit(node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        spec = node.format_spec
        if isinstance(spec, ast.JoinedStr) and any(isinstance(p, ast.FormattedValue) for p in spec.values):
            _refuse(node, "a format spec taken from data is not allowed; write the width as a number")
        text = ast.unparse(spec) if spec else ""
        if any(len(run) > 3 for run in "".join(c if c.isdigit() else " " for c in text).split()):
            _refuse(node, f"format width {text!r} is too large")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if type(node.op) in _CHECKED_OPS and not _repeatable(node.target):
            _refuse(node, f"write x = x {_CHECKED_OPS[type(node.op)]} y here")
        self.generic_visit(node)


def _refuse(node: ast.AST, message: str) -> None:
    raise ScriptRejected(f"line {getattr(node, 'lineno', 0)}: {message}")


def _refuse_reserved(name: str, node: ast.AST) -> None:
    if name.startswith(_RESERVED_PREFIXES):
        _refuse(node, f"names starting with '__' or '_mf' are not allowed ({name})")


def _repeatable(target: ast.expr) -> bool:
    """A target that can be read again without side effects: `x`, `d['k']`, `d[k][0]`."""
    if isinstance(target, ast.Name):
        return True
    if isinstance(target, ast.Subscript):
        index = target.slice
        if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub):
            index = index.operand
        return _repeatable(target.value) and isinstance(index, (ast.Name, ast.Constant))
    return False


def _helper(name: str, node: ast.AST, *args: ast.expr) -> ast.Call:
    return ast.copy_location(ast.Call(ast.Name(name, ast.Load()), list(args), []), node)


class _CheckedOperations(ast.NodeTransformer):
    """Rewrite the operations limits.py checks, and attribute reads, into calls of the checks."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        symbol = _CHECKED_OPS.get(type(node.op))
        if symbol is None:
            return node
        return _helper("_mf_binop", node, ast.Constant(symbol), node.left, node.right)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        symbol = _CHECKED_OPS.get(type(node.op))
        if symbol is None:
            return node
        current = _as_load(node.target)
        value = _helper("_mf_in_place", node, ast.Constant(symbol), current, node.value)
        return ast.copy_location(ast.Assign([node.target], value), node)

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        return _helper("_mf_attr", node, node.value, ast.Constant(node.attr))

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        self.generic_visit(node)
        node.value = _helper("_mf_shown", node, node.value)
        return node

    def visit_Starred(self, node: ast.Starred) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load):
            node.value = _helper("_mf_spread", node, node.value)
        return node


def _as_load(target: ast.expr) -> ast.expr:
    """The augmented target read back (its Store context turned into Load)."""
    if isinstance(target, ast.Name):
        return ast.Name(target.id, ast.Load())
    assert isinstance(target, ast.Subscript)
    return ast.Subscript(target.value, target.slice, ast.Load())


@lru_cache(maxsize=4096)
def compile_checked(source: str, mode: str) -> CodeType:
    """Parse, inspect and compile one script ('exec') or expression ('eval')."""
    tree = ast.parse(source, SCRIPT_FILENAME, mode)
    _Inspector().visit(tree)
    tree = ast.fix_missing_locations(_CheckedOperations().visit(tree))
    code: CodeType = compile(tree, SCRIPT_FILENAME, mode)
    return code


class SandboxEnvironment(TaskDataEnvironment):  # type: ignore[misc]
    """Task data as the only namespace, safe builtins, inspected code."""

    def __init__(self) -> None:
        super().__init__({"__builtins__": SAFE_BUILTINS})

    def evaluate(self, expression, context, external_context=None):  # type: ignore[no-untyped-def]
        source = to_python(expression)
        code = compile_checked(source, "eval")  # refused here, with its line, before anything runs
        if not runs_inline(source, "eval"):
            return sandbox_process.run(run_apart, "eval", source, dict(context), dict(external_context or {}))
        scope = {**(external_context or {}), **context, "__builtins__": SAFE_BUILTINS}
        with limited(INLINE_BUDGET_ITEMS):
            result = eval(code, scope)
        check_data(result)
        return result

    def execute(self, script, context, external_context=None):  # type: ignore[no-untyped-def]
        code = compile_checked(script, "exec")
        external_context = external_context or {}
        self.check_for_overwrite(context, external_context)
        if not runs_inline(script, "exec"):
            left = sandbox_process.run(run_apart, "exec", script, dict(context), dict(external_context))
            context.clear()
            context.update(left)
            return True
        context.update(self.globals)
        context.update(external_context)
        try:
            with limited(INLINE_BUDGET_ITEMS):
                exec(code, context)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        check_data(context)
        return True


def run_apart(mode: str, source: str, context: dict[str, Any], external: dict[str, Any]) -> Any:
    """What a sandbox process does with a request: run the code under the limits and hand back
    an expression's value or, like SandboxEnvironment.execute, the data a script leaves."""
    code = compile_checked(source, mode)
    if mode == "eval":
        with limited():
            value = eval(code, {**external, **context, "__builtins__": SAFE_BUILTINS})
        check_data(value)
        return value
    namespace = {**context, **external, "__builtins__": SAFE_BUILTINS}
    with limited():
        exec(code, namespace)
    left = {
        key: value
        for key, value in namespace.items()
        if key != "__builtins__" and key not in external and not callable(value)
    }
    check_data(left)
    return left


class SandboxScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    """The script engine every matterflow workflow runs with."""

    def __init__(self) -> None:
        super().__init__(environment=SandboxEnvironment())

    def get_error_line_number_and_content(self, script: str, err: Exception) -> tuple[int, str]:
        """The failing line of a script, also when it failed in a sandbox process (whose
        traceback stayed there: the error carries the line)."""
        line = getattr(err, "script_line", 0)
        if not line:
            found: tuple[int, str] = super().get_error_line_number_and_content(script, err)
            return found
        lines = script.splitlines()
        return line, lines[line - 1] if 0 < line <= len(lines) else ""

    def validate(self, expression: str) -> None:
        """Raise SyntaxError when `expression` does not parse; the DMN engine asks this of every
        cell on every evaluation, so the answer is cached."""
        if not _parses(expression):
            raise SyntaxError(f"invalid syntax: {expression!r}")


@lru_cache(maxsize=4096)
def _parses(source: str) -> bool:
    try:
        compile_checked(source, "exec")
    except SyntaxError:
        return False
    return True
