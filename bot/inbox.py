"""A durable inbox: Telegram updates are stored before Telegram is told they arrived.

python-telegram-bot acknowledges an update as soon as it sits in an in-memory queue (the next
getUpdates offset, or the webhook's 200), so a crash at the wrong moment loses a message. Here
every update is written to the `inbox` table first; only then does the polling loop move its
offset or the webhook answer 200. A row leaves the inbox, and its id joins `processed_updates`,
in one transaction once the gateway has handled it, so a redelivered update is handled once.

Updates of one chat are handled one after another, in update order; different chats are handled
side by side (at most `max_parallel` at once), so one slow conversation never holds up others.
When the database is down, nothing is acknowledged and the work is retried with backoff.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.db import backoff, session_scope
from bot.models import InboxUpdate, ProcessedUpdate, utcnow

log = logging.getLogger(__name__)

Payload = dict[str, Any]
Handler = Callable[[Payload, int], Awaitable[None]]  # (update, attempt number from 1)
Unstored = Callable[[Payload], Awaitable[None]]  # for an update the database did not take yet
Ahead = Callable[[Payload], None]  # for a stored update, before it waits its turn (crisis lines)

MAX_ATTEMPTS = 8  # a handler that keeps failing for other reasons than the database gives up
KEEP_PROCESSED_DAYS = 7  # Telegram redelivers for at most 24 hours


class DatabaseDown(RuntimeError):
    """The database did not take the write; the caller must not acknowledge the update."""


def chat_of(update: Payload) -> int:
    """The chat an update belongs to (for ordering); the update id when it has none."""
    for kind in ("message", "edited_message"):
        if isinstance(update.get(kind), dict):
            return int(update[kind]["chat"]["id"])
    query = update.get("callback_query")
    if isinstance(query, dict) and isinstance(query.get("message"), dict):
        return int(query["message"]["chat"]["id"])
    return int(update["update_id"])


class Inbox:
    """Stores updates, then hands them to `handle` per chat in order."""

    def __init__(
        self,
        database_url: str,
        handle: Handler,
        max_parallel: int = 32,
        unstored: Unstored | None = None,
        ahead: Ahead | None = None,
    ) -> None:
        self.database_url = database_url
        self.handle = handle
        self.unstored = unstored
        self.ahead = ahead
        self._queues: dict[int, asyncio.Queue[Payload]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._slots = asyncio.Semaphore(max_parallel)

    # Accepting -------------------------------------------------------------------------------

    def store(self, updates: list[Payload]) -> list[Payload]:
        """Write updates to the inbox; returns the new ones. Raises DatabaseDown."""
        fresh: list[Payload] = []
        try:
            with session_scope(self.database_url) as session:
                for update in updates:
                    update_id = int(update["update_id"])
                    seen = session.get(ProcessedUpdate, update_id) or session.get(
                        InboxUpdate, update_id
                    )
                    if seen is not None:
                        log.info("duplicate update %s ignored", update_id)
                        continue
                    try:
                        with session.begin_nested():
                            session.add(
                                InboxUpdate(
                                    update_id=update_id,
                                    chat_id=chat_of(update),
                                    payload=json.dumps(update, ensure_ascii=False),
                                )
                            )
                    except IntegrityError:
                        continue
                    fresh.append(update)
        except DBAPIError as error:
            raise DatabaseDown(type(error).__name__) from error
        return fresh

    async def accept(self, updates: list[Payload], *, patient: bool = True) -> None:
        """Store, then schedule. Patient callers (polling) wait out a database outage.

        An impatient caller (the webhook) gets DatabaseDown after a few seconds, answers
        Telegram with an error, and Telegram delivers the update again later.
        """
        attempt = 1
        while True:
            try:
                fresh = await asyncio.to_thread(self.store, updates)
                break
            except DatabaseDown as error:
                if attempt == 1 and self.unstored is not None:
                    for update in updates:  # e.g. crisis lines, which need no database
                        await self.unstored(update)
                if not patient and attempt >= 4:
                    raise
                log.error("inbox: database unavailable (%s), retrying", error)
                await asyncio.sleep(backoff(attempt))
                attempt += 1
        for update in fresh:
            if self.ahead is not None:
                try:
                    self.ahead(update)
                except Exception:  # the update is still handled in turn
                    log.exception("inbox: could not look ahead at update %s", update["update_id"])
            self._schedule(update)

    async def resume(self) -> None:
        """`recover`, waiting for the database if it is down at start."""
        attempt = 1
        while True:
            try:
                await asyncio.to_thread(self.recover)
                return
            except DBAPIError as error:
                log.error("inbox: database unavailable at start (%s), retrying", error)
                await asyncio.sleep(backoff(attempt))
                attempt += 1

    def recover(self) -> int:
        """Schedule what a previous run stored but did not finish. Returns the count."""
        with session_scope(self.database_url) as session:
            rows = session.scalars(select(InboxUpdate).order_by(InboxUpdate.update_id)).all()
            payloads = [json.loads(row.payload) for row in rows]
        for update in payloads:
            self._schedule(update)
        if payloads:
            log.info("inbox: %d stored updates taken up again", len(payloads))
        return len(payloads)

    # Handling --------------------------------------------------------------------------------

    def _schedule(self, update: Payload) -> None:
        chat = chat_of(update)
        queue = self._queues.setdefault(chat, asyncio.Queue())
        queue.put_nowait(update)
        if chat not in self._workers or self._workers[chat].done():
            self._workers[chat] = asyncio.create_task(self._work(chat, queue))

    async def _work(self, chat: int, queue: asyncio.Queue[Payload]) -> None:
        """Handle one chat's updates in order; ends when its queue is empty."""
        while not queue.empty():
            update = queue.get_nowait()
            async with self._slots:
                await self._handle_until_done(update)
        self._queues.pop(chat, None)
        self._workers.pop(chat, None)

    async def _handle_until_done(self, update: Payload) -> None:
        update_id = int(update["update_id"])
        attempt = 1
        while True:
            try:
                await self.handle(update, attempt)
            except DBAPIError as error:
                log.error("update %s: database unavailable (%s), retrying", update_id, error)
            except Exception:
                log.exception("update %s: handler failed (attempt %d)", update_id, attempt)
                if attempt >= MAX_ATTEMPTS:
                    log.error("update %s given up after %d attempts", update_id, attempt)
                    await self._finish(update_id)
                    return
            else:
                await self._finish(update_id)
                return
            await asyncio.sleep(backoff(attempt))
            attempt += 1

    async def _finish(self, update_id: int) -> None:
        """Move the update from the inbox to the processed ids, retrying while the DB is down."""
        attempt = 1
        while True:
            try:
                await asyncio.to_thread(self._mark_done, update_id)
                return
            except DBAPIError as error:
                log.error("update %s: could not mark done (%s)", update_id, error)
                await asyncio.sleep(backoff(attempt))
                attempt += 1

    def _mark_done(self, update_id: int) -> None:
        with session_scope(self.database_url) as session:
            session.execute(delete(InboxUpdate).where(InboxUpdate.update_id == update_id))
            if session.get(ProcessedUpdate, update_id) is None:
                session.add(ProcessedUpdate(update_id=update_id))

    async def drain(self, timeout: float) -> None:
        """Wait (up to timeout) for the work in hand, e.g. before shutting down."""
        workers = [task for task in self._workers.values() if not task.done()]
        if workers:
            await asyncio.wait(workers, timeout=timeout)

    def forget_old(self) -> int:
        """Drop processed ids older than a week; Telegram never redelivers those."""
        cutoff = utcnow() - dt.timedelta(days=KEEP_PROCESSED_DAYS)
        with session_scope(self.database_url) as session:
            result = session.execute(
                delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff)
            )
            return result.rowcount or 0
