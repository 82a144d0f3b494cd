"""The house style, checked by the same tools a reviewer would run (STYLE.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "engine", "web", "tests", "bench", "scripts"],
        ["ruff", "format", "--check", "engine", "web", "tests", "bench", "scripts"],
        ["mypy"],
    ],
    ids=["ruff", "ruff-format", "mypy-strict"],
)
def test_tool_is_clean(command: list[str]) -> None:
    tool = [str(BIN / command[0]), *command[1:]]
    result = subprocess.run(tool, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
