"""Sending to Telegram: the transport the gateway talks through, and the paced Bot API client.

python-telegram-bot's `ExtBot` with its rate limiter, except that crisis lines skip the queue
(`CrisisFirstRateLimiter`); a message the network lost before Telegram had it is sent again,
and a 429 is waited out. The intake side (polling, webhook, the inbox) is `bot.telegram_app`.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from typing import TYPE_CHECKING, Any

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ChatAction
from telegram.error import NetworkError, TelegramError
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from bot.db import backoff
from bot.port import Outgoing

if TYPE_CHECKING:
    from telegram import Bot

    from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit for one message
POLL_SECONDS = 25
SEND_ATTEMPTS = 3  # a message the network lost before Telegram had it is sent again
NEVER_ARRIVED = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.RemoteProtocolError,
)
RATE_LIMIT_RETRIES = 5  # a 429 from Telegram is waited out and retried, not dropped
URGENT: contextvars.ContextVar[bool] = contextvars.ContextVar("urgent", default=False)


class TelegramTransport:
    """Sends the gateway's bubbles through the Bot API."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._notifying: set[asyncio.Task[bool]] = set()

    async def send(self, message: Outgoing) -> bool:
        """Send a bubble (split at Telegram's limit); a refusal is logged, never raised."""
        markup = None
        if message.buttons:
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(b.label, callback_data=b.data)] for b in message.buttons]
            )
        chunks = [message.text[i : i + MAX_TEXT] for i in range(0, len(message.text), MAX_TEXT)]
        urgent = URGENT.set(message.urgent)  # for these requests only
        try:
            for index, chunk in enumerate(chunks or [""]):
                last = index == len(chunks) - 1
                await self._send_chunk(message.chat_id, chunk, markup if last else None)
        except TelegramError as error:
            log.error("could not send to a chat: %s", type(error).__name__)
            return False
        finally:
            URGENT.reset(urgent)
        return True

    async def _send_chunk(self, chat_id: int, text: str, markup: Any) -> None:
        """One message; sent again when the network lost it before Telegram had it."""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await self.bot.send_message(chat_id, text, reply_markup=markup)
                return
            except NetworkError as error:
                if attempt == SEND_ATTEMPTS or not _never_arrived(error):
                    raise
                log.warning("sending failed on the network (%s); again", type(error).__name__)
                await asyncio.sleep(backoff(attempt))

    async def notify(self, message: Outgoing) -> None:
        """Send in the background, paced by the rate limiter, while the turn goes on."""
        task = asyncio.create_task(self.send(message))
        self._notifying.add(task)
        task.add_done_callback(self._notifying.discard)

    async def drain(self, timeout: float) -> None:
        """Wait (at most `timeout` seconds) for background bubbles before shutting down."""
        if self._notifying:
            await asyncio.wait(set(self._notifying), timeout=timeout)

    async def send_file(self, chat_id: int, filename: str, content: bytes, caption: str) -> bool:
        """Send a document (the data export); a refusal is logged, never raised."""
        try:
            await self.bot.send_document(
                chat_id, InputFile(content, filename=filename), caption=caption
            )
        except TelegramError as error:
            log.error("could not send a file to a chat: %s", type(error).__name__)
            return False
        return True

    async def typing(self, chat_id: int) -> None:
        """Show the typing indicator; failure here must not stop a reply."""
        with contextlib.suppress(TelegramError):
            await self.bot.send_chat_action(chat_id, ChatAction.TYPING)


def _never_arrived(error: NetworkError) -> bool:
    """Whether Telegram cannot have the request: safe to send again, no double message.

    No connection, no free connection, or the server closing it without a word (an idle
    connection it had just dropped) qualify; a timeout or a reset while waiting for the answer
    do not (Telegram may have sent the message), nor does any answer from Telegram.
    """
    return isinstance(error.__cause__, NEVER_ARRIVED)  # an answer (BadRequest) has no cause


def file_url_for(base_url: str) -> str:
    """Bot API file URL that belongs to a method base URL (".../bot" → ".../file/bot")."""
    root = base_url[: -len("/bot")] if base_url.endswith("/bot") else base_url.rstrip("/")
    return f"{root}/file/bot"


class CrisisFirstRateLimiter(AIORateLimiter):
    """Telegram's pace for every message except crisis lines, which skip the queue.

    At Telegram's limit (about 30 messages a second) the limiter holds messages back in order;
    at the bench's 120 people, crisis lines waited over a second behind ordinary replies. They
    are few, so they go straight out and only wait out a 429 like any message. (Overrides
    `_run_request` of python-telegram-bot 22.8's AIORateLimiter; tests/test_telegram_intake.py
    checks it still does.)
    """

    async def _run_request(self, chat, group, *args: Any, **kwargs: Any):  # type: ignore[override]
        if URGENT.get():
            chat, group = False, False
        return await super()._run_request(chat, group, *args, **kwargs)


def make_bot(settings: Settings) -> ExtBot:
    """The Bot API client, paced by python-telegram-bot's rate limiter (see README)."""
    assert settings.telegram_bot_token, "make_bot needs TELEGRAM_BOT_TOKEN"
    return ExtBot(
        settings.telegram_bot_token,
        base_url=settings.telegram_api_base_url,
        base_file_url=file_url_for(settings.telegram_api_base_url),
        rate_limiter=CrisisFirstRateLimiter(
            overall_max_rate=settings.telegram_messages_per_second,
            max_retries=RATE_LIMIT_RETRIES,
        ),
        request=HTTPXRequest(connection_pool_size=64),
        get_updates_request=HTTPXRequest(read_timeout=POLL_SECONDS + 10),
    )
