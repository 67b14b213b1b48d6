"""A durable inbox: Telegram updates are stored before Telegram is told they arrived.

python-telegram-bot acknowledges an update as soon as it sits in an in-memory queue (the next
getUpdates offset, or the webhook's 200), so a crash at the wrong moment loses a message. Here
every update is written to the `inbox` table first; only then does the polling loop move its
offset or the webhook answer 200. A row leaves the inbox, and its id joins `processed_updates`,
in one transaction once the gateway has handled it, so a redelivered update is handled once.

Updates of one chat are handled one after another, in update order; different chats are handled
side by side (at most `max_parallel` at once), so one slow conversation never holds up others.
When the database is down, nothing is acknowledged and the work is retried with backoff.

Crisis lines go out before an update is stored (`ahead`), so neither a queue nor the database
holds them up. With several gateway replicas on one database, each stores what it receives and
the one holding a chat's claim handles that chat (bot/claims.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import bindparam, delete, exists, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot import claims
from bot.db import backoff, session_scope
from bot.models import InboxUpdate, ProcessedUpdate, utcnow

log = logging.getLogger(__name__)

Payload = dict[str, Any]
Handler = Callable[[Payload, int], Awaitable[None]]  # (update, attempt number from 1)
# Before storing: judge the update and send crisis lines; returns marks to store with it.
Ahead = Callable[[Payload], Awaitable[Payload]]

MAX_ATTEMPTS = 8  # a handler that keeps failing for other reasons than the database gives up
KEEP_PROCESSED_DAYS = 7  # Telegram redelivers for at most 24 hours
AHEAD_WAIT_SECONDS = 1.0  # crisis lines slower than this do not hold up storing the update
KEEP_FINISHED = 10_000  # ids remembered after handling, against a sweep that read them earlier
ASSESSED = "herstelgids_crisis"  # the crisis verdict made on arrival (bot.crisis.assess)


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
    """Stores updates, then hands them to `handle` per chat in order (claims: bot/claims.py)."""

    def __init__(
        self,
        database_url: str,
        handle: Handler,
        max_parallel: int = 32,
        ahead: Ahead | None = None,
        owner: str = "gateway",
    ) -> None:
        self.database_url = database_url
        self.handle = handle
        self.ahead = ahead
        self.owner = owner  # this replica's name: stable, so a restart takes its chats back
        self.handled_count = 0
        self._queues: dict[int, asyncio.Queue[Payload]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._scheduled: set[int] = set()  # update ids queued or in hand here
        self._finished: dict[int, None] = {}  # the latest handled here (a sweep may lag behind)
        self._slow_lanes: set[asyncio.Future[Payload]] = set()  # crisis lines still on their way
        self._slots = asyncio.Semaphore(max_parallel)

    # Accepting -------------------------------------------------------------------------------

    async def accept(self, updates: list[Payload], *, patient: bool = True) -> None:
        """Crisis lines first, then store, then schedule what this replica holds the claim of.

        Patient callers (polling) wait out a database outage. An impatient caller (the webhook)
        gets DatabaseDown after a few seconds, answers Telegram with an error, and Telegram
        delivers the update again later.
        """
        if self.ahead is not None:
            updates = await self._look_ahead_all(updates)
        attempt = 1
        while True:
            try:
                mine = await asyncio.to_thread(self.store, updates)
                break
            except DatabaseDown as error:
                if not patient and attempt >= 4:
                    raise
                log.error("inbox: database unavailable (%s), retrying", error)
                await asyncio.sleep(backoff(attempt))
                attempt += 1
        for update in mine:
            self._schedule(update)

    async def _look_ahead_all(self, updates: list[Payload]) -> list[Payload]:
        """Crisis lines for every update, waited for at most AHEAD_WAIT_SECONDS.

        Slower lines (Telegram asking to retry later) go on in the background rather than hold
        up everyone's intake; that update is then stored unmarked, and its handler may send
        the lines once more.
        """
        lanes = [asyncio.ensure_future(self._look_ahead(update)) for update in updates]
        if not lanes:
            return []
        _done, slow = await asyncio.wait(lanes, timeout=AHEAD_WAIT_SECONDS)
        for lane in slow:
            self._slow_lanes.add(lane)
            lane.add_done_callback(self._slow_lanes.discard)
        return [lane.result() if lane.done() else u for lane, u in zip(lanes, updates, strict=True)]

    async def _look_ahead(self, update: Payload) -> Payload:
        """The update, marked when its crisis lines went out before it was stored."""
        try:
            marks = await self.ahead(update)  # type: ignore[misc]
        except Exception:  # the update is still handled in turn, lines and all
            log.exception("inbox: could not look ahead at update %s", update.get("update_id"))
            return update
        return {**update, **marks}

    def store(self, updates: list[Payload]) -> list[Payload]:
        """Write new updates; returns stored updates of chats this replica now holds, in order.

        Raises DatabaseDown. A chat another replica holds is left to it: its owner looks for
        more work in the inbox before it gives the claim back.
        """
        try:
            with session_scope(self.database_url) as session:
                chats: list[int] = []
                for update in updates:
                    update_id = int(update["update_id"])
                    if known_update(session, update_id):
                        log.info("duplicate update %s ignored", update_id)
                        continue
                    chat = chat_of(update)
                    payload = json.dumps(update, ensure_ascii=False)
                    session.execute(
                        _INSERT,
                        {
                            "update_id": update_id,
                            "chat_id": chat,
                            "payload": payload,
                            "received_at": utcnow(),
                        },
                    )
                    if chat not in chats:
                        chats.append(chat)
                return self._take_chats(session, chats)
        except DBAPIError as error:
            raise DatabaseDown(type(error).__name__) from error

    def _take_chats(self, session: Session, chats: list[int]) -> list[Payload]:
        """Claim these chats where possible; their stored updates, in update order."""
        mine = [c for c in chats if claims.take(session, claims.chat_claim(c), self.owner)]
        return _stored(session, mine)

    async def resume(self) -> None:
        """`recover`, waiting for the database if it is down at start."""
        attempt = 1
        while True:
            try:
                await self.recover()
                return
            except DBAPIError as error:
                log.error("inbox: database unavailable at start (%s), retrying", error)
                await asyncio.sleep(backoff(attempt))
                attempt += 1
            except Exception:  # the upkeep every few seconds tries again
                log.exception("inbox: could not take up stored updates at start")
                return

    async def recover(self) -> int:
        """Schedule stored updates nobody is handling. Returns the count.

        At start: ours from before the restart. Every few seconds: any left over, and a crashed
        replica's once its claims expired. The database is read in a thread; the scheduling
        happens here, in the event loop (a task cannot be started from the thread).
        """
        busy = frozenset(self._workers)  # read here, not in the thread: the loop changes it
        payloads = await asyncio.to_thread(self._unhandled, busy)
        fresh = [p for p in payloads if int(p["update_id"]) not in self._scheduled]
        for update in fresh:
            self._schedule(update)
        if fresh:
            log.info("inbox: %d stored updates taken up", len(fresh))
        return len(fresh)

    def _unhandled(self, busy: frozenset[int]) -> list[Payload]:
        """Stored updates of chats not in hand here that are ours or that we could claim."""
        with session_scope(self.database_url) as session:
            ours = [c for c in claims.chats_owned_by(session, self.owner) if c not in busy]
            waiting = session.scalars(select(InboxUpdate.chat_id).distinct()).all()
            unclaimed = [c for c in waiting if c not in busy and c not in ours]
            return _stored(session, ours) + self._take_chats(session, unclaimed)

    async def keep_claims(self) -> None:
        """Renew the claims of chats in hand here (their expiry would free them for others)."""
        names = [claims.chat_claim(chat) for chat in self._workers]  # here, not in the thread

        def renew() -> None:
            with session_scope(self.database_url) as session:
                claims.renew(session, names, self.owner)

        await asyncio.to_thread(renew)

    # Handling --------------------------------------------------------------------------------

    def _schedule(self, update: Payload) -> None:
        update_id = int(update["update_id"])
        if update_id in self._scheduled or update_id in self._finished:
            return
        self._scheduled.add(update_id)
        chat = chat_of(update)
        queue = self._queues.setdefault(chat, asyncio.Queue())
        queue.put_nowait(update)
        if chat not in self._workers or self._workers[chat].done():
            self._workers[chat] = asyncio.create_task(self._work(chat, queue))

    async def _work(self, chat: int, queue: asyncio.Queue[Payload]) -> None:
        """Handle one chat's updates in order; ends when the inbox holds nothing more for it."""
        while not queue.empty():
            update = queue.get_nowait()
            async with self._slots:
                await self._handle_until_done(update)
            last = queue.empty()
            more = await self._finish(int(update["update_id"]), chat if last else None)
            for stored in more:
                self._schedule(stored)  # stored by another replica while we held the chat
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
                    return
            else:
                return
            await asyncio.sleep(backoff(attempt))
            attempt += 1

    async def _finish(self, update_id: int, release: int | None) -> list[Payload]:
        """Mark the update done, retrying while the database is down.

        When `release` names the chat, its claim is given back, unless the inbox holds more
        for it: those updates are returned.
        """
        attempt = 1
        while True:
            try:
                more = await asyncio.to_thread(self._mark_done, update_id, release)
                break
            except DBAPIError as error:
                log.error("update %s: could not mark done (%s)", update_id, error)
                await asyncio.sleep(backoff(attempt))
                attempt += 1
        self._scheduled.discard(update_id)
        self.handled_count += 1
        self._finished[update_id] = None
        if len(self._finished) > KEEP_FINISHED:
            del self._finished[next(iter(self._finished))]
        return more

    def _mark_done(self, update_id: int, release: int | None) -> list[Payload]:
        with session_scope(self.database_url) as session:
            session.execute(_DELETE, {"uid": update_id})
            if not session.execute(_PROCESSED, {"uid": update_id}).first():
                done = {"update_id": update_id, "processed_at": utcnow()}
                session.execute(_INSERT_PROCESSED, done)
            if release is None:
                return []
            # Give back first, then look: a replica that stored an update for this chat in
            # the meantime either committed it before (we see it and keep the chat) or takes
            # the claim itself after we commit.
            name = claims.chat_claim(release)
            claims.give_back(session, name, self.owner)
            more = _stored(session, [release])
            if more:
                claims.take(session, name, self.owner)
            return [u for u in more if int(u["update_id"]) != update_id]

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


_KNOWN = select(
    exists().where(ProcessedUpdate.update_id == bindparam("uid"))
    | exists().where(InboxUpdate.update_id == bindparam("uid"))
)
_INSERT = insert(InboxUpdate.__table__)
_DELETE = delete(InboxUpdate).where(InboxUpdate.update_id == bindparam("uid"))
_PROCESSED = select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == bindparam("uid"))
_INSERT_PROCESSED = insert(ProcessedUpdate.__table__)
_STORED = (
    select(InboxUpdate.payload)
    .where(InboxUpdate.chat_id.in_(bindparam("chats", expanding=True)))
    .order_by(InboxUpdate.update_id)
)  # statements built once: building one costs about as much as running it


def known_update(session: Session, update_id: int) -> bool:
    """Whether an update is already stored or handled (Telegram delivers again after errors)."""
    return bool(session.execute(_KNOWN, {"uid": update_id}).scalar())


def _stored(session: Session, chats: list[int]) -> list[Payload]:
    """The stored updates of these chats, in update order."""
    if not chats:
        return []
    rows = session.execute(_STORED, {"chats": chats})
    return [json.loads(payload) for (payload,) in rows]
