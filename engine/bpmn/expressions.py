"""Conditions as Camunda Modeler users write them.

SpiffWorkflow evaluates conditions as Python. Diagrams from Camunda 7 write simple JUEL:
`${approved}`, `${!approved}`, `${amount > 1000 && urgent}`. The common subset is rewritten to
Python here; anything else stays as written and is checked as Python.
"""

from __future__ import annotations

import re

_WRAPPED = re.compile(r"^\s*[$#]\{(?P<body>.*)\}\s*$", re.DOTALL)
_TOKENS = re.compile(
    r"""(?P<string>'[^']*'|"[^"]*")|(?P<op>&&|\|\||!(?!=))|(?P<word>\b(?:eq|ne|lt|gt|le|ge|and|or|not|null|true|false|empty)\b)"""
)
_OPERATORS = {"&&": " and ", "||": " or ", "!": " not "}
_WORDS = {
    "eq": "==",
    "ne": "!=",
    "lt": "<",
    "gt": ">",
    "le": "<=",
    "ge": ">=",
    "and": "and",
    "or": "or",
    "not": "not",
    "null": "None",
    "true": "True",
    "false": "False",
    "empty": "not ",
}


_LITERALS = {"true": "True", "false": "False"}


def to_python(expression: str) -> str:
    """A JUEL `${...}` or simple FEEL `= ...` expression as Python; other text stripped."""
    text = expression.strip()
    match = _WRAPPED.match(text)
    if match is not None:
        return _TOKENS.sub(_replace, match.group("body")).strip()
    if text.startswith("=") and not text.startswith("=="):
        return _TOKENS.sub(_replace, text[1:]).strip()
    return _LITERALS.get(text, text)


def _replace(match: re.Match[str]) -> str:
    if match.group("string"):
        return match.group("string")
    if match.group("op"):
        return _OPERATORS[match.group("op")]
    return _WORDS[match.group("word")]
