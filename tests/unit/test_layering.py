"""The layering of STYLE.md, enforced by import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What web/ (and any client of the engine as a library) may import; docs/engine.md says why.
PUBLIC = {
    "engine",
    "engine.actors",
    "engine.errors",
    "engine.forms",
    "engine.identity",
    "engine.services",
    "engine.settings",
    "engine.views",
    "engine.vocabulary",
}


def test_import_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_engine_module_is_public_or_kept_from_web() -> None:
    """A new engine module must be placed: in the public face, or in the contract's list."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    contract = next(c for c in contracts if c["name"] == "web imports only the engine's public modules")
    private = set(contract["forbidden_modules"])
    modules = {
        f"engine.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "engine").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
    }
    assert modules - PUBLIC - private == set()
    assert PUBLIC & private == set()
