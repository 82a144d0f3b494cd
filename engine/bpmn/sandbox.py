"""Scripts and expressions from diagrams run here, never with Python's full powers.

A diagram is input from a person. Before a script runs its syntax tree is checked: no import,
no dunder name or attribute (the road to `__subclasses__` and `__globals__`), no global
statements, no string-formatting methods that reach attributes or pad to any width. The
operations that can build huge objects in one step are rewritten to checked versions, and the
script runs under a time limit with a short list of harmless builtins (limits.py). Compiled
code is cached by source text because the same few expressions run for every case.
"""

from __future__ import annotations

import ast
import builtins
from functools import lru_cache
from types import CodeType
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from engine.bpmn.expressions import to_python
from engine.bpmn.limits import checked_binop, checked_range, limited

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
    "range",
    "reversed",
    "round",
    "set",
    "sorted",
    "str",
    "sum",
    "tuple",
    "zip",
    "ValueError",
    "KeyError",
    "TypeError",
)
SAFE_BUILTINS: dict[str, Any] = {name: getattr(builtins, name) for name in _ALLOWED_BUILTINS}
SAFE_BUILTINS["range"] = checked_range
SAFE_BUILTINS["_mf_binop"] = checked_binop
# Methods that format or pad to a width given in the data: a route to huge strings, and
# str.format reaches attributes by name ("{0.__class__}") where the syntax check cannot see it.
_REFUSED_ATTRIBUTES = frozenset(
    {"format", "format_map", "ljust", "rjust", "center", "zfill", "expandtabs", "replace"}
)
_CHECKED_OPS = {ast.Pow: "**", ast.Mult: "*", ast.LShift: "<<"}
SCRIPT_FILENAME = "<string>"  # SpiffWorkflow looks for this name to report the failing line


class ScriptRejected(Exception):
    """A script or expression uses something the sandbox does not allow."""


class _Inspector(ast.NodeVisitor):
    def visit_Import(self, node: ast.Import) -> None:
        raise ScriptRejected(f"line {node.lineno}: import is not allowed in a diagram script")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        raise ScriptRejected(f"line {node.lineno}: import is not allowed in a diagram script")

    def visit_Global(self, node: ast.Global) -> None:
        raise ScriptRejected(f"line {node.lineno}: global is not allowed in a diagram script")

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        raise ScriptRejected(f"line {node.lineno}: nonlocal is not allowed in a diagram script")

    def visit_Name(self, node: ast.Name) -> None:
        _refuse_dunder(node.id, node.lineno)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        _refuse_dunder(node.attr, node.lineno)
        if node.attr in _REFUSED_ATTRIBUTES:
            raise ScriptRejected(f"line {node.lineno}: .{node.attr}() is not allowed in a diagram script")
        self.generic_visit(node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        spec = ast.unparse(node.format_spec) if node.format_spec else ""
        if any(len(run) > 3 for run in "".join(c if c.isdigit() else " " for c in spec).split()):
            raise ScriptRejected(f"line {node.lineno}: format width {spec!r} is too large")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if type(node.op) in _CHECKED_OPS and not isinstance(node.target, ast.Name):
            raise ScriptRejected(f"line {node.lineno}: write x = x {_CHECKED_OPS[type(node.op)]} y here")
        self.generic_visit(node)


class _CheckedOperations(ast.NodeTransformer):
    """Rewrite `a ** b`, `a * b`, `a << b` (and their augmented forms) to checked calls."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        symbol = _CHECKED_OPS.get(type(node.op))
        if symbol is None:
            return node
        call = ast.Call(ast.Name("_mf_binop", ast.Load()), [ast.Constant(symbol), node.left, node.right], [])
        return ast.copy_location(call, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        symbol = _CHECKED_OPS.get(type(node.op))
        if symbol is None or not isinstance(node.target, ast.Name):
            return node
        current = ast.Name(node.target.id, ast.Load())
        value = ast.Call(ast.Name("_mf_binop", ast.Load()), [ast.Constant(symbol), current, node.value], [])
        return ast.copy_location(ast.Assign([ast.Name(node.target.id, ast.Store())], value), node)


def _refuse_dunder(name: str, line: int) -> None:
    if name.startswith("__") or name.startswith("_["):
        raise ScriptRejected(f"line {line}: names starting with '__' are not allowed ({name})")


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
        code = compile_checked(to_python(expression), "eval")
        scope = {"__builtins__": SAFE_BUILTINS, **(external_context or {}), **context}
        with limited():
            return eval(code, scope)

    def execute(self, script, context, external_context=None):  # type: ignore[no-untyped-def]
        code = compile_checked(script, "exec")
        external_context = external_context or {}
        self.check_for_overwrite(context, external_context)
        context.update(self.globals)
        context.update(external_context)
        try:
            with limited():
                exec(code, context)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True


class SandboxScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    """The script engine every matterflow workflow runs with."""

    def __init__(self) -> None:
        super().__init__(environment=SandboxEnvironment())

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
