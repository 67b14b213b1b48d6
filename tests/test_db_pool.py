"""SQLite connections are pooled and may be used from the retention thread."""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlalchemy.pool import NullPool

from bot.db import get_engine, session_scope, upgrade


def test_sqlite_sessions_reuse_a_pooled_connection(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    upgrade(url)
    engine = get_engine(url)
    assert not isinstance(engine.pool, NullPool)
    seen = set()
    for _ in range(3):
        with session_scope(url) as session:
            seen.add(id(session.connection().connection.dbapi_connection))
    assert len(seen) == 1
    with session_scope(url) as session:  # the pragmas hold on a reused connection too
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_pooled_connection_works_from_another_thread(tmp_path):
    """The retention purge runs in a worker thread (asyncio.to_thread) on the same pool."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    upgrade(url)
    with session_scope(url) as session:
        session.execute(text("SELECT 1"))
    errors: list[BaseException] = []

    def purge_like() -> None:
        try:
            with session_scope(url) as session:
                session.execute(text("SELECT count(*) FROM people"))
        except BaseException as error:  # reported to the test thread
            errors.append(error)

    worker = threading.Thread(target=purge_like)
    worker.start()
    worker.join(10)
    assert errors == []
