"""What keeps the audit chain honest from outside the database: its HMAC key and its checkpoints.

Someone who can write to the database could delete the audit rows, or rewrite them and
recompute every later hash; the chain alone would not show it. So the chain is keyed (each hash
is an HMAC-SHA256 under a key the database never holds: MATTERFLOW_AUDIT_KEY, or the file
MATTERFLOW_AUDIT_KEY_FILE), and every seal writes its head (sequence number and hash) as a line
of a checkpoint file (MATTERFLOW_AUDIT_CHECKPOINTS) and of the log: a wipe, a rewind or a
re-chained row no longer matches the checkpoints, which `matterflow audit verify` reads.

Without a configured key a development key is generated once into instance/audit.key, marked
as such in the file and in the log; a deployment keeps its key elsewhere (docs/security.md).
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger("matterflow.audit")
DEVELOPMENT_MARK = "# DEVELOPMENT audit key"


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head as one seal left it."""

    seq: int
    hash: str
    at: str = ""

    def line(self) -> str:
        return f"{self.at} seq={self.seq} hash={self.hash}\n"


@dataclass(frozen=True)
class AuditSealing:
    """The key the chain is computed under, and where checkpoints go (None: nowhere)."""

    key: bytes
    checkpoints: Path | None = None

    def record(self, seq: int, head: str) -> None:
        """One seal's checkpoint: a line appended to the file (O_APPEND: whole lines, whatever
        process writes) and a log line, for a log kept in another system."""
        point = Checkpoint(seq, head, datetime.now(UTC).isoformat(timespec="seconds"))
        log.info("audit checkpoint seq=%d hash=%s", seq, head)
        if self.checkpoints is None:
            return
        self.checkpoints.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.checkpoints, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, point.line().encode("ascii"))
        finally:
            os.close(descriptor)

    def recorded(self) -> Iterator[Checkpoint]:
        """Every checkpoint written so far (none when there is no file yet)."""
        if self.checkpoints is None or not self.checkpoints.exists():
            return
        with self.checkpoints.open(encoding="ascii", errors="replace") as lines:
            for line in lines:
                fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
                if fields.get("seq", "").isdigit() and len(fields.get("hash", "")) == 64:
                    yield Checkpoint(int(fields["seq"]), fields["hash"], line.split(" ", 1)[0])


def load_key(explicit: bytes | None, key_file: Path) -> bytes:
    """The configured key, else the key file's, else a development key generated into it."""
    if explicit:
        return explicit
    if not key_file.exists():
        _generate(key_file)
    lines = [line.strip() for line in key_file.read_text().splitlines()]
    key = next((line for line in lines if line and not line.startswith("#")), "")
    if not key:
        raise ValueError(f"{key_file} holds no audit key")
    if DEVELOPMENT_MARK in lines[0]:
        log.warning("the audit chain is keyed with the development key in %s", key_file)
    return key.encode("utf-8")


def _generate(key_file: Path) -> None:
    """Write a new random key, whole and once: it is written aside and linked into place, so a
    process starting at the same moment reads either no file or the finished one."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    draft = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    draft.write_text(
        f"{DEVELOPMENT_MARK}, generated {datetime.now(UTC).date()} because none was configured.\n"
        "# A deployment sets MATTERFLOW_AUDIT_KEY_FILE to a key kept away from the database.\n"
        f"{secrets.token_hex(32)}\n"
    )
    draft.chmod(0o600)
    try:
        os.link(draft, key_file)
        log.warning("generated a development audit key in %s", key_file)
    except FileExistsError:
        pass  # another process was first: its key it is
    finally:
        draft.unlink()
