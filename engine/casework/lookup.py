"""Finding the rows a use case acts on: a case with its version, a matter's published or stored
version, the identity number on an applicant's account (NotFound where there is none)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import ErrorCode, NotFound
from engine.persistence.models import Account, Case, Matter, ProcessVersion


def case_and_version(session: Session, case_id: str) -> tuple[Case, ProcessVersion]:
    """A case and the version it runs on, or NotFound."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("no such case", code=ErrorCode.CASE_NOT_FOUND)
    return case, case.version


def stored_version(session: Session, code: str, number: int) -> ProcessVersion:
    """One stored version of a matter, published or not, or NotFound."""
    version = session.scalar(
        select(ProcessVersion)
        .join(ProcessVersion.matter)
        .where(Matter.code == code, ProcessVersion.number == number)
    )
    if version is None:
        raise NotFound(
            f"matter {code!r} has no version {number}",
            code=ErrorCode.VERSION_NOT_FOUND,
            params={"matter": code, "number": number},
        )
    return version


def current_version(session: Session, code: str) -> ProcessVersion:
    """The published version new cases of a matter start on, or NotFound."""
    version = session.scalar(
        select(ProcessVersion)
        .join(Matter, Matter.current_version_id == ProcessVersion.id)
        .where(Matter.code == code)
    )
    if version is None:
        raise NotFound(
            f"no published matter {code!r}", code=ErrorCode.MATTER_NOT_FOUND, params={"matter": code}
        )
    return version


def identity_on_record(session: Session, account_id: str) -> str | None:
    """The identity number stored on an account (None for staff, systems and test actors)."""
    return session.scalar(select(Account.identity_number).where(Account.id == account_id))
