"""Throttling guesses, locking an account after repeated failures, and the owner's way back in.

Five failed sign-ins in a row lock an account for 15 minutes, and twenty failures from one
address in 15 minutes throttle that address. Anyone who knows a username can lock its account by
guessing, so locking also gives the owner a one-time unlock code, in a notice to the account
that the worker mails when the account has an address: with it the owner unlocks at once,
however often strangers guess. A code is random (40 bits), stored only as its sha256, good for
one use within a day; every wrong code counts as a failed sign-in of its address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import Engine
from engine.actors import Actor
from engine.casework import audit_trail
from engine.errors import ErrorCode, Throttled, Unauthenticated
from engine.persistence.models import Account, LoginAttempt, Notification
from engine.vocabulary import Audience, NoticeKind

MAX_CONSECUTIVE_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
ADDRESS_WINDOW = timedelta(minutes=15)
MAX_ADDRESS_FAILURES = 20
ADDRESS_LOCKS = 0x4D46_4950  # advisory lock namespace ("MFIP") of sign-ins from one address
UNLOCK_CODE_LIFETIME = timedelta(hours=24)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
WRONG_CODE = "wrong username or unlock code"


def is_locked(account: Account, now: datetime) -> bool:
    return account.locked_until is not None and account.locked_until > now


def count_failure(session: Session, account: Account, now: datetime) -> None:
    """One more failed sign-in of a usable account; the last one allowed locks it and sends the
    owner an unlock code."""
    account.failed_logins += 1
    if account.failed_logins < MAX_CONSECUTIVE_FAILURES:
        return
    account.locked_until, account.failed_logins = now + LOCKOUT, 0
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    account.unlock_code_hash, account.unlock_code_expires_at = _digest(code), now + UNLOCK_CODE_LIFETIME
    session.add(_locked_notice(account, code, now))


def _locked_notice(account: Account, code: str, now: datetime) -> Notification:
    body = (
        f"您的账户 {account.username} 因连续{MAX_CONSECUTIVE_FAILURES}次登录失败已锁定"
        f"{LOCKOUT.seconds // 60}分钟。如果是您本人，可在 /unlock 输入解锁码 {code} 立即解锁"
        f"（24小时内有效，仅限一次）；如果不是您本人，请考虑修改密码。\n\n"
        f"Your account {account.username} was locked after {MAX_CONSECUTIVE_FAILURES} failed "
        f"sign-ins. If that was you, unlock it now at /unlock with the code {code} (once, within "
        f"24 hours); if it was not, consider changing your password."
    )
    return Notification(
        recipient_kind=Audience.ACCOUNT,
        recipient=account.id,
        org_code=account.org_code,
        case_id=None,
        kind=NoticeKind.ACCOUNT_LOCKED,
        subject="账户已锁定 / account locked",
        body=body,
        created_at=now,
        read_at=None,
        address=account.email,
        sent_at=None,
        send_attempts=0,
        next_send_at=now if account.email else None,
        last_error=None,
    )


def require_address_allowed(session: Session, ip: str, now: datetime) -> None:
    """Throttle an address that keeps failing. Its sign-ins take turns (a transaction-scoped
    advisory lock on PostgreSQL; SQLite has one writer anyway), so parallel guesses cannot all
    count the failures before any of them is written."""
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(ip.encode("utf-8")).digest()[:4], "big", signed=True)
        session.execute(select(func.pg_advisory_xact_lock(ADDRESS_LOCKS, key)))
    recent = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.ip == ip,
            LoginAttempt.at > now - ADDRESS_WINDOW,
            LoginAttempt.succeeded.is_(False),
        )
    )
    if (recent or 0) >= MAX_ADDRESS_FAILURES:
        raise Throttled(
            "too many failed sign-ins from this address; try again in 15 minutes",
            code=ErrorCode.ADDRESS_THROTTLED,
        )


def unlock_with_code(engine: Engine, *, username: str, code: str, ip: str) -> None:
    """The owner's unlock: a valid code ends the lock and is used up. Unauthenticated, the same
    for every reason (no such account, no code, an old or wrong one)."""
    now = engine.clock.now()
    with engine.unit_of_work() as uow:
        session = uow.session
        require_address_allowed(session, ip, now)
        account = session.scalar(select(Account).where(Account.username == username).with_for_update())
        valid = account is not None and _code_matches(account, code.strip().upper(), now)
        session.add(LoginAttempt(username=username[:64], ip=ip, at=now, succeeded=valid))
        who = Actor(id=account.id if account else "anonymous", roles=frozenset(), ip=ip)
        subject = account.id if account else "-"
        if not valid or account is None:
            audit_trail.record(
                uow, engine, who, "auth.unlock_failed", subject_type="account", subject_id=subject
            )
            uow.commit()
            raise Unauthenticated(WRONG_CODE, code=ErrorCode.WRONG_UNLOCK_CODE)
        account.locked_until, account.failed_logins = None, 0
        account.unlock_code_hash = account.unlock_code_expires_at = None
        audit_trail.record(uow, engine, who, "account.unlock", subject_type="account", subject_id=subject)
        uow.commit()


def _code_matches(account: Account, code: str, now: datetime) -> bool:
    expires, stored = account.unlock_code_expires_at, account.unlock_code_hash
    return bool(stored and expires and expires > now and hmac.compare_digest(stored, _digest(code)))


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()
