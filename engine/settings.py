"""Configuration read once from the environment; nothing else reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from engine.passwords import HashCost

DEFAULT_SQLITE_NAME = "matterflow.sqlite3"


@dataclass(frozen=True)
class Settings:
    """Where the data lives, where the catalogue is read from, and the worker's connections."""

    database_url: str
    catalogue_root: Path
    spec_cache_size: int = 256
    password_cost: HashCost = field(default_factory=HashCost)
    message_ttl_days: int = 30  # how long a message nobody waits for yet is kept for its case
    connectors_file: Path | None = None  # named HTTP connectors of this environment (YAML)
    smtp_url: str | None = None  # smtp[s]://user:password@host:port?from=...&starttls=1
    materials_root: Path = field(default_factory=lambda: Path("instance") / "materials")  # never under web/
    # the audit chain's HMAC key, never stored in the database (audit_keys.py): given, else read
    # from the key file, which gets a generated development key when it does not exist
    audit_key: bytes | None = None
    audit_key_file: Path = field(default_factory=lambda: Path("instance") / "audit.key")
    audit_checkpoints: Path | None = None  # where each seal's head is written (None: the log only)

    @property
    def calendar_root(self) -> Path:
        """Working-day calendars by division code (engine/calendar.py)."""
        return self.catalogue_root / "processes" / "_calendars"

    @classmethod
    def from_env(cls, base: Path | None = None) -> Settings:
        """Settings for a deployment: DATABASE_URL, else SQLite under instance/ of `base` (cwd)."""
        root = Path(base or os.getcwd())
        url = os.environ.get("DATABASE_URL") or default_sqlite_url(root / "instance")
        catalogue = Path(os.environ.get("MATTERFLOW_CATALOGUE", root))
        connectors = os.environ.get("MATTERFLOW_CONNECTORS")
        key = os.environ.get("MATTERFLOW_AUDIT_KEY")
        return cls(
            database_url=url,
            catalogue_root=catalogue,
            message_ttl_days=int(os.environ.get("MATTERFLOW_MESSAGE_TTL_DAYS", "30")),
            connectors_file=Path(connectors) if connectors else None,
            smtp_url=os.environ.get("MATTERFLOW_SMTP_URL") or None,
            materials_root=Path(os.environ.get("MATTERFLOW_MATERIALS", root / "instance" / "materials")),
            audit_key=key.encode("utf-8") if key else None,
            audit_key_file=Path(os.environ.get("MATTERFLOW_AUDIT_KEY_FILE", root / "instance" / "audit.key")),
            audit_checkpoints=Path(
                os.environ.get("MATTERFLOW_AUDIT_CHECKPOINTS", root / "instance" / "audit-checkpoints.log")
            ),
        )


def default_sqlite_url(folder: Path) -> str:
    """The embedded default: one SQLite file, created with its folder on first use."""
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DEFAULT_SQLITE_NAME}"
