"""Which diagram code is bounded by construction, and so may run in the server's own process.

Most of what diagrams evaluate is tiny: a gateway's `outcome == 'approved'`, a decision cell's
`amount < 20000`, a script's `paid = True`. Code without loops, comprehensions, functions,
slices or unpacking runs each of its few operations once; those that can build something large
(`+`, `*`, f-strings, `str()`) are checked before they run (limits.py), and the calls it may make
return nothing bigger than their arguments. Such code runs in-process under INLINE_BUDGET_ITEMS;
everything else goes to a sandbox process whose memory the operating system caps
(sandbox_process.py), which costs a round trip of a fraction of a millisecond.
"""

from __future__ import annotations

import ast
from functools import lru_cache

MAX_INLINE_NODES = 200
_NODES = (
    ast.Module,
    ast.Expression,
    ast.Expr,
    ast.Assign,
    ast.AugAssign,
    ast.If,
    ast.IfExp,
    ast.Pass,
    ast.BoolOp,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.Name,
    ast.Constant,
    ast.Attribute,
    ast.Subscript,
    ast.Tuple,
    ast.List,
    ast.Dict,
    ast.Set,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.Call,
    ast.keyword,
    ast.expr_context,
    ast.operator,
    ast.boolop,
    ast.unaryop,
    ast.cmpop,
)
# functions whose result is no larger than their arguments (or checked, like `str`)
_FUNCTIONS = frozenset({"abs", "bool", "float", "int", "isinstance", "len", "max", "min", "round", "str"})
# methods of data that read and answer small: no copies of what they are called on
_METHODS = frozenset(
    {
        "get",
        "startswith",
        "endswith",
        "count",
        "find",
        "rfind",
        "index",
        "rindex",
        "isdigit",
        "isdecimal",
        "isnumeric",
        "isalpha",
        "isalnum",
        "isspace",
        "islower",
        "isupper",
        "keys",
        "values",
        "items",
        "isoformat",
        "weekday",
        "isoweekday",
        "toordinal",
        "total_seconds",
    }
)


@lru_cache(maxsize=4096)
def runs_inline(source: str, mode: str) -> bool:
    """Whether `source` (already checked by compile_checked) is bounded by construction."""
    nodes = list(ast.walk(ast.parse(source, mode=mode)))
    return len(nodes) <= MAX_INLINE_NODES and all(_allowed(node) for node in nodes)


def _allowed(node: ast.AST) -> bool:
    if not isinstance(node, _NODES):
        return False
    if isinstance(node, ast.Subscript):
        return not isinstance(node.slice, ast.Slice)
    if isinstance(node, ast.Call):
        called = node.func
        if isinstance(called, ast.Name):
            return called.id in _FUNCTIONS
        return isinstance(called, ast.Attribute) and called.attr in _METHODS
    return True
