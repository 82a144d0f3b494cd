"""Configuration read once from the environment; nothing else reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from engine.passwords import HashCost

DEFAULT_SQLITE_NAME = "matterflow.sqlite3"


@dataclass(frozen=True)
class Settings:
    """Where the data lives and where the catalogue is read from."""

    database_url: str
    catalogue_root: Path
    spec_cache_size: int = 256
    password_cost: HashCost = field(default_factory=HashCost)

    @classmethod
    def from_env(cls, base: Path | None = None) -> Settings:
        """Settings for a deployment: DATABASE_URL, else SQLite under instance/ of `base` (cwd)."""
        root = Path(base or os.getcwd())
        url = os.environ.get("DATABASE_URL") or default_sqlite_url(root / "instance")
        catalogue = Path(os.environ.get("MATTERFLOW_CATALOGUE", root))
        return cls(database_url=url, catalogue_root=catalogue)


def default_sqlite_url(folder: Path) -> str:
    """The embedded default: one SQLite file, created with its folder on first use."""
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DEFAULT_SQLITE_NAME}"
