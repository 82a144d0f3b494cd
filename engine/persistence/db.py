"""Connections: one SQLAlchemy engine per process, tuned for SQLite or PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from engine import json_text
from engine.persistence.revisions import guard_revisions


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use the psycopg 3 driver for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_db_engine(url: str, **options: Any) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and explicit transactions."""
    url = normalise_url(url)
    # Statement parameters carry identity numbers, case data and password hashes: an error's
    # message (logged with log.exception) and the echo keep the SQL but never those values.
    options = {
        "json_serializer": json_text.dumps,
        "json_deserializer": json_text.loads,
        "hide_parameters": True,
        **options,
    }
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **options)
        _tune_sqlite(engine)
        return engine
    # No pre-ping: it would cost a round trip per unit of work; recycle instead of probing.
    return create_engine(url, pool_recycle=1800, pool_size=10, max_overflow=20, **options)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # execution_options(sqlite_begin="IMMEDIATE") takes the write lock up front
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep values readable after commit and check case revisions on flush."""
    factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
    guard_revisions(factory)
    return factory
