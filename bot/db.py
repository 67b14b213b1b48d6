"""Engine, sessions and migrations.

A session lives for one handler call or one action run, never for the process. The schema is
owned by Alembic (`bot/migrations`); `upgrade()` is what `make run` and the tests call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_BACKOFF_SECONDS = 0.2
MAX_BACKOFF_SECONDS = 10.0
log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine per database URL per process (engines pool connections)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    options = {}
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        # SQLAlchemy 1.4 opens a new SQLite connection per session (NullPool), and each one
        # runs the pragmas again: about five times the cost of a pooled session, paid inside
        # the gateway's event loop several times per turn. A pool, as SQLAlchemy
        # 2.0 does by default; sessions still never share a connection at the same time.
        options = {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}
    engine = create_engine(url, future=True, pool_pre_ping=True, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A transaction: committed on success, rolled back on error."""
    factory = sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def ping(url: str) -> None:
    """Run `SELECT 1`; raises (a DBAPIError) when the database does not answer."""
    with get_engine(url).connect() as connection:
        connection.execute(text("SELECT 1"))


def backoff(attempt: int) -> float:
    """Seconds before the next try (database, Bot API): doubling from 0.2 s, at most 10 s."""
    return min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** max(0, attempt - 1))


def wait_for(url: str, timeout: float) -> None:
    """Wait until a database answers; raise after `timeout` seconds with a clear message."""
    deadline = time.monotonic() + timeout
    attempt = 1
    while True:
        try:
            ping(url)
            return
        except DBAPIError as error:
            delay = backoff(attempt)
            if time.monotonic() + delay > deadline:
                raise RuntimeError(f"database not reachable after {timeout:.0f} s") from error
            log.warning("waiting for the database (%s)", type(error).__name__)
            time.sleep(delay)
            attempt += 1


def alembic_config(url: str) -> Config:
    """Alembic configuration built in code, so no alembic.ini has to agree with settings."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the database schema to the newest migration."""
    command.upgrade(alembic_config(url), "head")
