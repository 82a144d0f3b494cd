"""Sealing the audit log into a hash chain, and checking the chain.

Rows are inserted unsealed inside the transaction that does the audited thing (no lock there,
so audited reads and writes never wait on each other). Right after commit, `seal` takes a
database-wide lock (or leaves, if another sealer has it), numbers the unsealed rows in order and
links each to the previous one; the worker seals what is left every few seconds:
hash = sha256(previous hash + the row's canonical content). Editing or deleting a sealed row
breaks the chain at that row, which `verify` reports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from engine.persistence.models import AuditEvent, AuditHead

GENESIS = "0" * 64
SEAL_BATCH = 1000


def content_hash(previous: str, row: AuditEvent) -> str:
    """The hash of one row, chained to the previous row's hash."""
    content = {
        "id": row.id,
        "seq": row.seq,
        "at": row.at.isoformat(),
        "actor_id": row.actor_id,
        "action": row.action,
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "detail": row.detail,
        "ip": row.ip,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest()


def seal(sessions: sessionmaker[Session]) -> int:
    """Chain the unsealed rows; return how many were sealed. While another sealer is at work this
    one leaves at once: the rows it would have sealed go into the next seal (the next audited
    commit, or the worker's round), instead of every request queueing for the lock."""
    sealed = 0
    with sessions() as session:
        if not _lock(session):
            return 0
        head = session.get(AuditHead, 1)
        seq, previous = (head.seq, head.hash) if head else (0, GENESIS)
        pending = session.scalars(
            select(AuditEvent).where(AuditEvent.seq.is_(None)).order_by(AuditEvent.id).limit(SEAL_BATCH)
        ).all()
        for row in pending:
            seq += 1
            row.seq, row.prev_hash = seq, previous
            row.hash = previous = content_hash(previous, row)
            sealed += 1
        if sealed:
            if head is None:
                session.add(AuditHead(id=1, seq=seq, hash=previous))
            else:
                head.seq, head.hash = seq, previous
            session.commit()
    return sealed


def _lock(session: Session) -> bool:
    """One sealer at a time: an advisory lock on PostgreSQL (False if another holds it), the
    write lock on SQLite (which waits for it)."""
    if session.get_bind().dialect.name == "postgresql":
        # A seal is derived from rows already committed: one lost in a crash is simply made
        # again by the next sealer, so its commit need not wait for the disk.
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(20261122)")))
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    return True


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the chain: ok, how far it was checked, and the first break."""

    ok: bool
    rows: int
    head_hash: str
    problem: str = ""
    row_id: int | None = None


def verify(session: Session) -> ChainReport:
    """Walk the sealed rows in order and recompute every link."""
    previous, expected_seq, rows = GENESIS, 1, 0
    for row in session.scalars(
        select(AuditEvent).where(AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq)
    ):
        if row.seq != expected_seq or row.prev_hash != previous:
            return ChainReport(False, rows, previous, "a row before this one is missing", row.id)
        if content_hash(previous, row) != row.hash:
            return ChainReport(
                False, rows, previous, "the row's content was changed after it was sealed", row.id
            )
        previous, expected_seq, rows = row.hash, expected_seq + 1, rows + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq, head.hash) != (rows, previous):
        return ChainReport(False, rows, previous, f"rows after seq {rows} are missing (head says {head.seq})")
    return ChainReport(True, rows, previous)
