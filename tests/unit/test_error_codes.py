"""Every refusal the engine and the web raise names its stable code (engine/errors.py): pages
pick their words by it and clients act on it, so none may fall back to its class's by accident."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFUSALS = {"NotFound", "Conflict", "Forbidden", "InputInvalid", "Throttled", "Unauthenticated"}
# a message that is a Reason brings its code (casework/duties.py raises the reason it found)
REASON_NAMES = {"reason"}


def _uncoded(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    engine_errors = {  # werkzeug has a NotFound too: only the engine's are refusals with codes
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "engine.errors"
        for alias in node.names
    }
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        call = node.exc
        name = call.func.id if isinstance(call.func, ast.Name) else ""
        if name not in REFUSALS & engine_errors:
            continue
        coded = any(keyword.arg == "code" for keyword in call.keywords)
        brought = bool(call.args) and isinstance(call.args[0], ast.Name) and call.args[0].id in REASON_NAMES
        if not (coded or brought):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return found


def test_every_refusal_names_its_code() -> None:
    files = [*ROOT.joinpath("engine").rglob("*.py"), *ROOT.joinpath("web").rglob("*.py")]
    assert [place for path in sorted(files) for place in _uncoded(path)] == []
