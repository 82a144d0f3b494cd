"""Accounts, sign-in and tokens: who may act, proven by a password and then by a token.

Sign-in failures are throttled by address and lock the account for a while after a few in a
row (lockout.py); an unknown, disabled or locked account is refused exactly like a wrong
password, in the same time. Tokens are random, stored only as their sha256, expire, and are
revoked on sign-out.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine import Engine
from engine.actors import RANK, Actor, Role
from engine.casework import audit_trail
from engine.casework.permissions import region_covers
from engine.errors import Conflict, ErrorCode, Forbidden, InputInvalid, NotFound, Reason, Unauthenticated
from engine.forms import CREDIT_CODE_INVALID, RESIDENT_ID_INVALID
from engine.identity import is_credit_code, is_resident_id, mask, normalise_identity
from engine.passwords import check_strength
from engine.persistence.models import Account, ApiToken, LoginAttempt, Organisation
from engine.persistence.models.base import joined
from engine.services.lockout import (
    count_failure,
    is_locked,
    require_address_allowed,
)
from engine.views import AccountView, TokenGrant

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
WRONG_PASSWORD = "wrong username or password"
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
TOKEN_LIFETIME = {"api": timedelta(hours=8), "session": timedelta(hours=2)}
# A page session ends after two idle hours, and after a working day however busy: each use in
# its second hour moves its end to two hours on (at most one write an hour for a session).
SESSION_LONGEST = timedelta(hours=12)
_POST = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def create_account(
    engine: Engine,
    actor: Actor,
    *,
    username: str,
    password: str,
    roles: Iterable[str],
    org_code: str,
    display_name: str = "",
    posts: Iterable[str] = (),
    identity: str | None = None,
    supervisor: str | None = None,
    email: str | None = None,
) -> AccountView:
    """Create an account inside the actor's subtree, with no role above the actor's own; `email`
    is where the account's notices about itself (an unlock code) are mailed."""
    granted = _roles(roles)
    wanted_posts = tuple(sorted({p.strip() for p in posts if p.strip()}))
    identity = normalise_identity(identity) if identity else None
    _check_new_account(username, granted, wanted_posts, identity)
    if email is not None and not EMAIL.match(email):
        raise InputInvalid(
            "the account has errors",
            {"email": [Reason(ErrorCode.EMAIL_FORMAT, "not a mail address")]},
            code=ErrorCode.ACCOUNT_INVALID,
        )
    check_strength(password, username=username, identity=identity)
    with engine.unit_of_work() as uow:
        session = uow.session
        organisation = session.get(Organisation, org_code)
        if organisation is None:
            raise NotFound(f"no organisation {org_code}", code=ErrorCode.ORGANISATION_NOT_FOUND)
        _require_grant(actor, granted, organisation)
        if session.scalar(select(Account.id).where(Account.username == username)):
            raise Conflict(f"username {username!r} is taken", code=ErrorCode.USERNAME_TAKEN)
        if identity and session.scalar(select(Account.id).where(Account.identity_number == identity)):
            raise Conflict("an account with this identity number exists", code=ErrorCode.IDENTITY_TAKEN)
        boss = (
            session.scalar(select(Account.id).where(Account.username == supervisor)) if supervisor else None
        )
        if supervisor and boss is None:
            raise NotFound(f"no supervisor {supervisor!r}", code=ErrorCode.ACCOUNT_NOT_FOUND)
        account = Account(
            id=uuid4().hex,
            username=username,
            display_name=display_name or username,
            password_hash=engine.passwords.hash(password),
            roles=joined(sorted(granted)),
            posts=joined(wanted_posts),
            org_code=org_code,
            identity_number=identity,
            supervisor_id=boss,
            failed_logins=0,
            locked_until=None,
            disabled_at=None,
            created_at=engine.clock.now(),
            created_by=actor.id,
            email=email,
        )
        session.add(account)
        audit_trail.record(
            uow,
            engine,
            actor,
            "account.create",
            subject_type="account",
            subject_id=account.id,
            detail={
                "username": username,
                "roles": sorted(granted),
                "org": org_code,
                "identity": identity or "",
            },
        )
        uow.commit()
        return account_view(account)


def _roles(names: Iterable[str]) -> frozenset[Role]:
    try:
        roles = frozenset(Role(name.strip()) for name in names if name.strip())
    except ValueError as exc:
        raise InputInvalid(
            "unknown role",
            {"roles": [Reason(ErrorCode.ROLE_UNKNOWN, str(exc))]},
            code=ErrorCode.ACCOUNT_INVALID,
        ) from exc
    if not roles:
        raise InputInvalid(
            "an account needs a role",
            {"roles": [Reason(ErrorCode.ROLE_REQUIRED, "at least one role")]},
            code=ErrorCode.ACCOUNT_INVALID,
        )
    return roles


def _check_new_account(
    username: str, roles: frozenset[Role], posts: tuple[str, ...], identity: str | None
) -> None:
    errors: dict[str, list[Reason]] = {}
    if not USERNAME.match(username):
        errors["username"] = [
            Reason(ErrorCode.USERNAME_FORMAT, "3-64 characters: lower-case letters, digits, '.', '_' or '-'")
        ]
    if posts and Role.REVIEWER not in roles:
        errors["posts"] = [Reason(ErrorCode.POSTS_FOR_REVIEWERS, "only reviewers hold posts")]
    if any(not _POST.match(p) for p in posts):
        errors["posts"] = [
            Reason(ErrorCode.POST_FORMAT, "posts are lower-case words such as acceptance, review, approval")
        ]
    if Role.APPLICANT in roles and identity and not is_resident_id(identity):
        errors["identity"] = [RESIDENT_ID_INVALID]
    if Role.UNIT in roles and identity and not is_credit_code(identity):
        errors["identity"] = [CREDIT_CODE_INVALID]
    if roles & {Role.APPLICANT, Role.UNIT} and not identity:
        errors["identity"] = [
            Reason(
                ErrorCode.IDENTITY_REQUIRED, "applicants and units need their identity number or credit code"
            )
        ]
    if errors:
        raise InputInvalid("the account has errors", errors, code=ErrorCode.ACCOUNT_INVALID)


def _require_grant(actor: Actor, roles: frozenset[Role], organisation: Organisation) -> None:
    """Inside the actor's subtree; never above the actor's rank; each level's administrators
    appointed (and disabled) by the level directly above, so that no level is bypassed."""
    if actor.internal:
        return
    if Role.ADMIN not in actor.roles or not region_covers(actor.org_code, organisation.code):
        raise Forbidden(
            "administrators create accounts only inside their own organisation's tree",
            code=ErrorCode.OUTSIDE_OWN_TREE,
        )
    if max(RANK[role] for role in roles) > actor.rank or Role.SYSTEM in roles:
        raise Forbidden("nobody grants a role above their own", code=ErrorCode.GRANT_ABOVE_OWN)
    if Role.ADMIN in roles and organisation.parent_code != actor.org_code:
        raise Forbidden(
            "administrators are appointed by the level directly above", code=ErrorCode.APPOINTED_FROM_ABOVE
        )


def disable_account(engine: Engine, actor: Actor, username: str) -> AccountView:
    """Disable an account and revoke its tokens; same reach as creating one."""
    with engine.unit_of_work() as uow:
        account = uow.session.scalar(select(Account).where(Account.username == username))
        if account is None:
            raise NotFound(f"no account {username!r}", code=ErrorCode.ACCOUNT_NOT_FOUND)
        _require_grant(actor, _roles(account.role_names), uow.session.get_one(Organisation, account.org_code))
        now = engine.clock.now()
        account.disabled_at = account.disabled_at or now
        for token in uow.session.scalars(select(ApiToken).where(ApiToken.account_id == account.id)):
            token.revoked_at = token.revoked_at or now
        audit_trail.record(
            uow,
            engine,
            actor,
            "account.disable",
            subject_type="account",
            subject_id=account.id,
            detail={"username": username},
        )
        uow.commit()
        return account_view(account)


def sign_in(engine: Engine, *, username: str, password: str, ip: str, kind: str = "api") -> TokenGrant:
    """Check a password and hand out a token. Every refusal (no such account, disabled, locked,
    wrong password) is the same Unauthenticated after the same work: one argon2 check, one
    attempt and one audit row. Neither the answer nor its time tells a stranger which it was;
    only an address that keeps failing gets a 429 of its own (lockout.py)."""
    now = engine.clock.now()
    with engine.unit_of_work() as uow:
        session = uow.session
        require_address_allowed(session, ip, now)
        # the row stays locked until this attempt is counted: parallel guesses take turns, and
        # those after the last allowed failure find the account locked, not a password to check
        account = session.scalar(select(Account).where(Account.username == username).with_for_update())
        matches = engine.passwords.verify_or_dummy(account.password_hash if account else None, password)
        refused = _refusal(account, matches, now)
        session.add(LoginAttempt(username=username[:64], ip=ip, at=now, succeeded=refused is None))
        who = Actor(id=account.id if account else "anonymous", roles=frozenset(), ip=ip)
        if refused is not None or account is None:
            if account is not None and refused == "password":
                count_failure(session, account, now)
            audit_trail.record(
                uow,
                engine,
                who,
                "auth.failed",
                subject_type="account",
                subject_id=account.id if account else "-",
                detail={"username": username[:64], "reason": refused or "unknown"},
            )
            uow.commit()
            raise Unauthenticated(WRONG_PASSWORD, code=ErrorCode.WRONG_CREDENTIALS)
        account.failed_logins, account.locked_until = 0, None
        grant = _grant(session, account, kind, now)
        audit_trail.record(
            uow,
            engine,
            who,
            "auth.sign_in",
            subject_type="account",
            subject_id=account.id,
            detail={"kind": kind},
        )
        uow.commit()
        return grant


def _refusal(account: Account | None, matches: bool, now: datetime) -> str | None:
    """Why a sign-in is refused (for the audit log only, never the caller), or None."""
    if account is None:
        return "unknown"
    if account.disabled_at is not None:
        return "disabled"
    if is_locked(account, now):
        return "locked"  # even with the right password: the lockout still applies
    return None if matches else "password"


def _grant(session: Session, account: Account, kind: str, now: datetime) -> TokenGrant:
    token = secrets.token_urlsafe(32)
    expires = now + TOKEN_LIFETIME[kind]
    session.add(
        ApiToken(
            token_hash=_digest(token),
            account_id=account.id,
            kind=kind,
            created_at=now,
            expires_at=expires,
            revoked_at=None,
        )
    )
    return TokenGrant(token=token, expires_at=expires, account_id=account.id)


def actor_for_token(engine: Engine, token: str, *, kind: str = "api", ip: str | None = None) -> Actor:
    """The actor a valid, unexpired, unrevoked token of `kind` stands for; Unauthenticated
    otherwise. A page session's token is no API bearer token, nor the other way round: the
    cookie of a page cannot be replayed against the API. A page session in use is kept alive
    (SESSION_LONGEST); API tokens end when they said."""
    now = engine.clock.now()
    with engine.unit_of_work(immediate=False) as uow:
        row = uow.session.execute(
            select(Account, ApiToken)
            .join(ApiToken, ApiToken.account_id == Account.id)
            .where(ApiToken.token_hash == _digest(token), ApiToken.kind == kind)
        ).one_or_none()
        if row is None:
            raise Unauthenticated("unknown token", code=ErrorCode.TOKEN_UNKNOWN)
        account, grant = row
        if grant.revoked_at is not None or grant.expires_at <= now or account.disabled_at is not None:
            raise Unauthenticated(
                "the token has expired or was revoked; sign in again", code=ErrorCode.TOKEN_EXPIRED
            )
        actor = actor_of(account, ip=ip)
        extended = _extended_session_end(grant, now)
    if extended is not None:
        with engine.unit_of_work() as uow:
            uow.session.execute(update(ApiToken).where(ApiToken.id == grant.id).values(expires_at=extended))
            uow.commit()
    return actor


def _extended_session_end(grant: ApiToken, now: datetime) -> datetime | None:
    """The new end of a page session used in its last idle hour; None when it keeps its end."""
    idle = TOKEN_LIFETIME["session"]
    if grant.kind != "session" or grant.expires_at - now > idle / 2:
        return None
    extended = min(now + idle, grant.created_at + SESSION_LONGEST)
    return extended if extended > grant.expires_at else None


def sign_out(engine: Engine, token: str, *, ip: str | None = None) -> None:
    """Revoke a token (idempotent)."""
    with engine.unit_of_work() as uow:
        row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
        if row is None or row.revoked_at is not None:
            return
        row.revoked_at = engine.clock.now()
        audit_trail.record(
            uow,
            engine,
            Actor(id=row.account_id, roles=frozenset(), ip=ip),
            "auth.sign_out",
            subject_type="account",
            subject_id=row.account_id,
        )
        uow.commit()


def change_password(engine: Engine, actor: Actor, *, current: str, new: str, keep_token: str | None) -> None:
    """The signed-in owner sets a new password, proving the current one; every other token of
    the account (other devices, a stolen session) ends, the one in use (`keep_token`) stays."""
    with engine.unit_of_work() as uow:
        account = uow.session.get(Account, actor.id, with_for_update=True)
        if account is None or not engine.passwords.verify(account.password_hash, current):
            raise InputInvalid(
                "the password was not changed",
                {"current_password": [Reason(ErrorCode.NOT_YOUR_PASSWORD, "not your password")]},
                code=ErrorCode.PASSWORD_UNCHANGED,
            )
        try:
            check_strength(new, username=account.username, identity=account.identity_number)
        except InputInvalid as weak:
            raise InputInvalid(
                weak.message, {"new_password": weak.fields["password"]}, code=ErrorCode.PASSWORD_WEAK
            ) from weak
        account.password_hash = engine.passwords.hash(new)
        now = engine.clock.now()
        others = select(ApiToken).where(ApiToken.account_id == account.id, ApiToken.revoked_at.is_(None))
        for token in uow.session.scalars(others):
            if keep_token is None or token.token_hash != _digest(keep_token):
                token.revoked_at = now
        audit_trail.record(
            uow, engine, actor, "account.password", subject_type="account", subject_id=account.id
        )
        uow.commit()


def actor_of(account: Account, *, ip: str | None = None) -> Actor:
    return Actor(
        id=account.id,
        roles=frozenset(Role(r) for r in account.role_names),
        org_code=account.org_code,
        posts=frozenset(account.post_names),
        ip=ip,
    )


def account_view(account: Account) -> AccountView:
    return AccountView(
        id=account.id,
        username=account.username,
        display_name=account.display_name,
        roles=account.role_names,
        posts=account.post_names,
        org_code=account.org_code,
        identity_masked=mask(account.identity_number),
        disabled=account.disabled_at is not None,
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
