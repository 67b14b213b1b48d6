"""The periodic jobs, the same for every transport (Telegram and the terminal chat).

Without them a chat would never answer the messages kept while Rasa was down, never notice a
tracker store that stopped keeping conversations, never re-announce an urgent ticket nobody
took, and keep data past its retention. With several gateway replicas one of them runs the
jobs that must run once (a claim in the database says which); the tracker probe runs in each,
because each talks to its own Rasa replicas.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot import claims
from bot.db import session_scope
from bot.directory import coordinators

if TYPE_CHECKING:
    from bot.gateway import Gateway
    from bot.inbox import Inbox

log = logging.getLogger(__name__)

PURGE_EVERY_SECONDS = 30 * 60.0
TEND_SECONDS = 5.0  # inbox upkeep: renew claims, take up what nobody handles
STALE_CHECK_SECONDS = 60 * 60.0  # referral directory: weekly report, checked hourly


def start(gateway: Gateway, owner: str, inbox: Inbox | None = None) -> list[asyncio.Task[None]]:
    """Start every periodic job of this process; the caller cancels the tasks when it stops.

    `owner` names this process in the jobs claim (the replica name); `inbox` is the Telegram
    inbox, whose upkeep is a job too (the terminal chat has none).
    """
    jobs = _Jobs(gateway, owner, inbox)
    loops = [jobs.checks(), jobs.retention(), jobs.weekly_report()]
    if inbox is not None:
        loops.append(tend_inbox(inbox))
    return [asyncio.create_task(loop) for loop in loops]


async def tend_inbox(inbox: Inbox) -> None:
    """Renew the claims of chats in hand; take up stored updates nobody is handling."""
    while True:
        await asyncio.sleep(TEND_SECONDS)
        try:
            await inbox.keep_claims()
            await inbox.recover()
        except Exception:
            log.exception("inbox upkeep failed")


class _Jobs:
    def __init__(self, gateway: Gateway, owner: str, inbox: Inbox | None) -> None:
        self.gateway = gateway
        self.owner = owner
        self.inbox = inbox

    async def runs_jobs(self) -> bool:
        """Whether this process runs the jobs that must run once (the claim says which)."""
        settings = self.gateway.settings
        seconds = max(claims.CLAIM_SECONDS, 3 * settings.check_every_seconds)

        def take() -> bool:
            with session_scope(settings.database_url) as session:
                return claims.take(session, claims.JOBS, self.owner, seconds)

        return await asyncio.to_thread(take)

    async def checks(self) -> None:
        """Probe the tracker store; re-announce waiting tickets and answer kept messages."""
        while True:
            await asyncio.sleep(self.gateway.settings.check_every_seconds)
            try:
                await self.gateway.check_tracker_store()
                if await self.runs_jobs():
                    await self.gateway.reannounce_waiting()
                    await self.gateway.answer_kept()
            except Exception:
                log.exception("periodic gateway work failed")

    async def retention(self) -> None:
        """Retention at start and every half hour; a failure is logged and tried again later."""
        while True:
            try:
                if await self.runs_jobs():
                    await asyncio.to_thread(self.gateway.purge_expired)
                    if self.inbox is not None:
                        await asyncio.to_thread(self.inbox.forget_old)
            except Exception:
                log.exception("retention purge failed")
            await asyncio.sleep(PURGE_EVERY_SECONDS)

    async def weekly_report(self) -> None:
        """Referral directory: on Monday morning, tell coordinators which listings need checking.

        Checked hourly; the report goes out once that week, whichever process runs the jobs
        and however often it restarts (coordinators.send_weekly_report).
        """
        while True:
            await asyncio.sleep(STALE_CHECK_SECONDS)
            now = datetime.datetime.now(ZoneInfo("Europe/Amsterdam"))
            if now.weekday() != 0 or now.hour < 9:
                continue
            try:
                if await self.runs_jobs():
                    await coordinators.send_weekly_report(self.gateway, self.owner, now)
            except Exception:
                log.exception("weekly directory report failed")
