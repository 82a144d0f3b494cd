"""Which attributes a diagram script may use: those of plain data values, nothing else.

Every sandbox escape in Python runs through attributes of interpreter objects: a generator's
`gi_frame`, a frame's `f_back` and `f_globals`, a traceback's `tb_frame`, a code object's
`co_*`, a type's `mro()` and `__subclasses__()`, `str.format`'s `{0.attr}` lookups. Refusing
those by name is a list that is never complete, so the rule is turned round: a script works
on case data — text, numbers, lists, dicts, sets, dates — and may use the public methods and
properties of exactly those types. The names are checked before deployment (sandbox.py), and
again at run time against the value's type, so that an allowed name is only ever looked up on
a data value and never on a function, generator, frame, exception or type.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any
from uuid import UUID

from engine.bpmn.limits import GROWING_METHODS

# The types case data is made of: JSON's, and what SpiffWorkflow's serializer restores.
DATA_TYPES: frozenset[type] = frozenset(
    {str, bytes, int, float, bool, list, tuple, dict, set, frozenset, date, datetime, time, timedelta, UUID}
)
# Public names of those types that are still refused: formatting that looks attributes up by
# name ("{0.__class__}") or expands text through a table, and the wall clock (a step's time
# comes from the engine, never from a script).
REFUSED_ATTRIBUTES = frozenset({"format", "format_map", "translate", "maketrans", "now", "today", "utcnow"})
ALLOWED_ATTRIBUTES = (
    frozenset(name for kind in DATA_TYPES for name in dir(kind) if not name.startswith("_"))
    - REFUSED_ATTRIBUTES
)


class ScriptRejected(Exception):
    """A script or expression uses something the sandbox does not allow."""


def check_attribute_name(name: str, line: int) -> None:
    """Refuse, before anything runs, an attribute that no data value offers."""
    if name in REFUSED_ATTRIBUTES:
        raise ScriptRejected(f"line {line}: .{name}() is not allowed in a diagram script")
    if name not in ALLOWED_ATTRIBUTES:
        raise ScriptRejected(
            f"line {line}: attribute .{name} is not allowed in a diagram script "
            "(scripts may use the methods of text, numbers, lists, dicts, sets and dates)"
        )


def checked_attribute(value: Any, name: str) -> Any:
    """`value.name` at run time: only on data values, with growing methods size-checked."""
    kind = type(value)
    if kind not in DATA_TYPES or name not in ALLOWED_ATTRIBUTES:
        raise ScriptRejected(f"attribute .{name} of a {kind.__name__} is not available to diagram scripts")
    grower = GROWING_METHODS.get((kind, name))
    return getattr(value, name) if grower is None else partial(grower, value)
