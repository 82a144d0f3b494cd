"""One use case, one transaction: leaving the block without commit() rolls everything back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import Conflict, ErrorCode
from engine.persistence.journal import discard_journal, write_journal

AUDITED = "audited"  # session.info flag: this transaction wrote audit rows


class UnitOfWork:
    """Wraps a session; translates a lost optimistic-locking race into Conflict."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        sealer: Callable[[], int] | None = None,
        *,
        immediate: bool = True,
    ) -> None:
        self._factory = factory
        self._sealer = sealer
        self._immediate = immediate
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        if self._immediate and self._session.get_bind().dialect.name == "sqlite":
            # SQLite has one writer at a time: queue for it now rather than fail when a read
            # snapshot turns stale at the first write. PostgreSQL needs no such thing.
            self._session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is not None:
            # close() rolls back whatever was not committed and detaches the objects without
            # expiring them, so views built from them after the block still read their values
            session.close()

    def flush(self) -> None:
        """Write what is pending: the ORM's changes, then the journal's rows."""
        with translate_races():
            self.session.flush()
            write_journal(self.session)

    def commit(self) -> None:
        """Commit; then seal any audit rows it wrote into the audit chain."""
        self.flush()
        with translate_races():
            self.session.commit()
        if self.session.info.pop(AUDITED, False) and self._sealer is not None:
            self._sealer()

    def rollback(self) -> None:
        self.session.rollback()
        discard_journal(self.session)


@contextmanager
def translate_races() -> Iterator[None]:
    """Map the database's ways of saying 'someone else wrote first' to Conflict."""
    try:
        yield
    except StaleDataError as exc:
        raise Conflict(
            "the case was changed by someone else; reload and try again", code=ErrorCode.CASE_CHANGED
        ) from exc
    except OperationalError as exc:
        if _is_sqlite_busy(exc):
            raise Conflict(
                "the case is being changed by someone else; try again", code=ErrorCode.CASE_BUSY
            ) from exc
        raise
    except IntegrityError as exc:
        if _is_unique_violation(exc):
            raise Conflict("this record already exists", code=ErrorCode.RECORD_EXISTS) from exc
        raise


def _is_sqlite_busy(exc: DBAPIError) -> bool:
    return "database is locked" in str(exc.orig) or "database is busy" in str(exc.orig)


def _is_unique_violation(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "unique" in text or "duplicate key" in text
