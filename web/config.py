"""Flask settings that are about the web only: the secret key and cookie policy."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any


def web_settings(instance_path: str) -> dict[str, Any]:
    """Secret key from MATTERFLOW_SECRET_KEY, else one generated once and kept in instance/."""
    return {
        "SECRET_KEY": os.environ.get("MATTERFLOW_SECRET_KEY") or _stored_secret(Path(instance_path)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # "auto": Secure when the request came over HTTPS (web/headers.py), "1" always, "0" never
        "MATTERFLOW_SECURE_COOKIES": os.environ.get("MATTERFLOW_SECURE_COOKIES", "auto"),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=2),
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,  # the session's own lifetime bounds the token
    }


def _stored_secret(folder: Path) -> str:
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
