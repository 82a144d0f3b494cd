"""Regular expressions from forms (`validate.pattern`): linear time on the server, and refused
before deployment when a browser would backtrack on them.

A form field's pattern runs twice: in the applicant's browser (form-js, a backtracking RegExp)
and on the server. The server runs it with RE2 (google-re2), whose time is linear in the
length of the text whatever the pattern, so no pattern can hang a worker. `catalogue check`
refuses what RE2 cannot run (backreferences, lookaround: a pattern the server cannot check is
a check the browser alone would make) and what a backtracking engine would take exponential or
high-polynomial time on:
- repetition nested in repetition where one text can be split between them in many ways, such
  as `(a+)+` or `(\\w+\\s?)*` (regexploit finds these, with a text that shows it);
- alternatives under a repetition that can begin with the same character, such as `(a|aa)*`
  or `(\\w|\\d)+`, and a repeated part that can match nothing, such as `(a?)*`, which
  regexploit does not look for.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import re2

with warnings.catch_warnings():  # regexploit reads patterns with the sre_parse of Python 3.10
    warnings.simplefilter("ignore", DeprecationWarning)
    from regexploit.ast.branch import Branch
    from regexploit.ast.char import Character
    from regexploit.ast.repeat import Repeat
    from regexploit.ast.sequence import Sequence
    from regexploit.ast.sre import SreOpParser
    from regexploit.redos import find as find_redos

MAX_PATTERN_LENGTH = 200
MAX_STARRINESS = 2  # regexploit's measure: 3 is cubic (`.*a.*a.*`), nested repetition above 10


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # a refused pattern is reported, not logged by RE2 on stderr
    return options


# `\\u4e00` (JavaScript's and Python's way, and how forms write Chinese ranges) is `\\x{4e00}` to RE2
_UNICODE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9A-Fa-f]{4})")


Unrunnable = re2.error


def compile_linear(pattern: str) -> Any:
    """The pattern compiled for RE2; Unrunnable when RE2 cannot run it."""
    return re2.compile(_UNICODE_ESCAPE.sub(r"\1\\x{\2}", pattern), _options())


def pattern_problems(pattern: Any) -> list[str]:
    """Why a form pattern may not be deployed (nothing when it may)."""
    if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN_LENGTH:
        return [f"pattern must be a string of at most {MAX_PATTERN_LENGTH} characters"]
    try:
        re.compile(pattern)
    except re.error as exc:
        return [f"pattern does not compile: {exc}"]
    try:
        compile_linear(pattern)
    except Unrunnable as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        return [f"pattern cannot be run in linear time (RE2: {reason}); write it without that"]
    return list(_backtracking_problems(pattern, _parsed(pattern)))[:1]


def _backtracking_problems(pattern: str, tree: Any) -> Iterator[str]:
    for redos in find_redos(tree):
        if redos.starriness > MAX_STARRINESS:
            yield (
                "pattern is catastrophic for a backtracking engine such as the browser's: text "
                f"like {redos.example(js_flavour=True)} makes it try every way of matching"
            )
    for alternatives in _repeated_alternations(pattern):
        if any(re.fullmatch(alternative, "") for alternative in alternatives):
            yield "pattern repeats a part that can match nothing: a backtracking engine loops on it"
        elif _overlap(alternatives):
            yield (
                "pattern repeats alternatives that can start with the same character: a "
                "backtracking engine tries every way of splitting the text between them"
            )


def _repeated_alternations(pattern: str) -> Iterator[list[str]]:
    """The alternatives of every group the pattern repeats without an upper bound, as written:
    Python's own parser merges `(a|aa)` into `aa?` and `(\\w|\\d)` into `[\\w\\d]`, which the
    browser's engine does not."""
    opened: list[tuple[int, list[int]]] = []  # each open group: where it starts, its bars
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif char == "[":
            i = _class_end(pattern, i)
        elif char == "(":
            opened.append((i, []))
        elif char == "|" and opened:
            opened[-1][1].append(i)
        elif char == ")" and opened:
            start, bars = opened.pop()
            if _unbounded_after(pattern, i + 1):
                body = pattern[start + 1 : i]
                inner = 2 if body.startswith("?") and len(body) > 1 and body[1] in ":=!" else 0
                cuts = [start + 1 + inner, *(bar + 1 for bar in bars)]
                ends = [*bars, i]
                yield [pattern[a:b] for a, b in zip(cuts, ends, strict=True)]
        i += 1


def _class_end(pattern: str, start: int) -> int:
    i = start + 1 + (pattern[start + 1 : start + 2] == "^")
    i += pattern[i : i + 1] == "]"  # a ] first in a class is a character
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i


def _unbounded_after(pattern: str, at: int) -> bool:
    return pattern[at : at + 1] in ("*", "+") or re.match(r"\{\d*,\}", pattern[at:]) is not None


def _overlap(alternatives: list[str]) -> bool:
    """Whether two alternatives can begin with the same character."""
    firsts = []
    for alternative in alternatives:
        try:
            firsts.append(_first(_parsed(alternative)))
        except re.error:
            return False  # a fragment that does not stand alone: not judged here
    known = [first.expand_categories() for first in firsts if first is not None]  # \\w, \\d as sets
    return any((a & b) is not None for i, a in enumerate(known) for b in known[i + 1 :])


def _parsed(pattern: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return SreOpParser().parse_sre(pattern)


def _first(node: Any) -> Character | None:
    """The characters a part of a pattern can begin with (None: nothing, or not known)."""
    if isinstance(node, Character):
        return node
    if isinstance(node, Repeat):
        return _first(node.repeat)
    if isinstance(node, Sequence):
        return next((first for e in node.elements if (first := _first(e)) is not None), None)
    if isinstance(node, Branch):
        found: Character | None = None
        for branch in node.branches:
            first = _first(branch)
            found = first if found is None else (found | first if first is not None else found)
        return found
    return None
