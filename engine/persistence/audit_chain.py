"""Sealing the audit log into a keyed hash chain, and checking the chain.

Rows are inserted unsealed inside the transaction that does the audited thing (no lock there,
so audited reads and writes never wait on each other). Right after commit, `seal` takes a
database-wide lock (or leaves, if another sealer has it), numbers the unsealed rows in order and
links each to the previous one; the worker seals what is left every few seconds:
hash = HMAC-SHA256(key, previous hash + the row's canonical content), with a key the database
never holds (audit_keys.py), and each seal's head goes to a checkpoint outside the database.
Editing or deleting a sealed row breaks the chain at that row; deleting the rows and the head,
rewinding to an earlier head or re-chaining the rows no longer matches the checkpoints; `verify`
reports each. Rows sealed before the chain was keyed (seq <= audit_head.legacy_seq) were chained
with plain sha256 and are checked so.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from engine.persistence.audit_keys import AuditSealing
from engine.persistence.models import AuditEvent, AuditHead

GENESIS = "0" * 64
SEAL_BATCH = 1000


def content_hash(previous: str, row: AuditEvent, key: bytes | None) -> str:
    """The hash of one row, chained to the previous row's hash: an HMAC under `key`, or plain
    sha256 for the rows sealed before the chain was keyed (key None)."""
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
    message = (previous + canonical).encode("utf-8")
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def seal(sessions: sessionmaker[Session], sealing: AuditSealing) -> int:
    """Chain the unsealed rows; return how many were sealed, after writing the new head's
    checkpoint. While another sealer is at work this one leaves at once: the rows it would have
    sealed go into the next seal (the next audited commit, or the worker's round), instead of
    every request queueing for the lock."""
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
            row.hash = previous = content_hash(previous, row, sealing.key)
            sealed += 1
        if sealed:
            if head is None:
                session.add(AuditHead(id=1, seq=seq, hash=previous, legacy_seq=0))
            else:
                head.seq, head.hash = seq, previous
            session.commit()
            sealing.record(seq, previous)
    return sealed


def _lock(session: Session) -> bool:
    """One sealer at a time: an advisory lock on PostgreSQL (False if another holds it), the
    write lock on SQLite (which waits for it). The seal's commit waits for the disk: its
    checkpoint is written next, and a seal lost in a crash could be made again differently (the
    rows it left, in another order), which its checkpoint would then report as tampering."""
    if session.get_bind().dialect.name == "postgresql":
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


def verify(session: Session, sealing: AuditSealing) -> ChainReport:
    """Walk the sealed rows in order, recompute every link, and hold the chain to every
    checkpoint written outside the database."""
    head = session.get(AuditHead, 1)
    legacy = head.legacy_seq if head is not None else 0
    expected = {point.seq: point for point in sealing.recorded()}
    previous, seq, rows = GENESIS, 1, 0
    for row in session.scalars(
        select(AuditEvent).where(AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq)
    ):
        if row.seq != seq or row.prev_hash != previous:
            return ChainReport(False, rows, previous, "a row before this one is missing", row.id)
        if content_hash(previous, row, None if seq <= legacy else sealing.key) != row.hash:
            return ChainReport(
                False, rows, previous, "the row's content was changed after it was sealed", row.id
            )
        point = expected.get(seq)
        if point is not None and point.hash != row.hash:
            problem = f"the chain was rewritten: seq {seq} differs from its checkpoint of {point.at}"
            return ChainReport(False, rows, previous, problem, row.id)
        previous, seq, rows = row.hash, seq + 1, rows + 1
    if head is not None and (head.seq, head.hash) != (rows, previous):
        return ChainReport(False, rows, previous, f"rows after seq {rows} are missing (head says {head.seq})")
    last = max(expected.values(), key=lambda point: point.seq, default=None)
    if last is not None and last.seq > rows:
        problem = f"rows after seq {rows} are missing: a checkpoint of {last.at} recorded seq {last.seq}"
        return ChainReport(False, rows, previous, problem)
    return ChainReport(True, rows, previous)
