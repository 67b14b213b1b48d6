"""The Telegram side of the gateway, on python-telegram-bot 22 (asyncio).

`serve` runs it: long polling by default, webhook mode when a webhook URL is set. Updates go
through the durable inbox (`bot/inbox.py`) before they are acknowledged. python-telegram-bot
provides the Bot API client and its rate limiter; its Application is not used, because it
acknowledges updates before they are stored. `TELEGRAM_API_BASE_URL` points the client at any
Bot API-compatible server, which is how the tests talk to a local fake instead of Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import functools
import gc
import hmac
import json
import logging
import signal
from typing import TYPE_CHECKING, Any

import httpx
import tornado.web
from sqlalchemy.exc import DBAPIError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import NetworkError, TelegramError
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from bot import jobs
from bot.crisis.assess import Assessment
from bot.db import backoff
from bot.directory.places import gazetteer
from bot.gateway import Gateway
from bot.inbox import ASSESSED, LINES_SENT, DatabaseDown, Inbox
from bot.language import warm_up as warm_up_languages
from bot.port import Incoming, IncomingFile, Outgoing
from bot.rasa_client import RasaClient
from bot.texts import DEFAULT_LANGUAGE, catalogue

if TYPE_CHECKING:
    from telegram import Bot, Message

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
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
MEDIA_KINDS = (
    "photo",
    "voice",
    "sticker",
    "document",
    "video",
    "video_note",
    "audio",
    "animation",
    "location",
    "contact",
    "poll",
    "dice",
)


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


def to_incoming(update: Update) -> Incoming | None:
    """Reduce an update to what the gateway needs; None for updates it ignores."""
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        if message is None or query.data is None:
            return None
        return Incoming(
            user_id=query.from_user.id,
            chat_id=message.chat.id,
            callback=query.data,
            private=message.chat.type == ChatType.PRIVATE,
        )
    message: Message | None = update.message or update.edited_message
    if message is None or message.from_user is None:
        return None
    media = next((kind for kind in MEDIA_KINDS if getattr(message, kind, None)), None)
    if message.text is None and media is None:
        return None
    return Incoming(
        user_id=message.from_user.id,
        chat_id=message.chat.id,
        text=message.text,
        media=media,
        private=message.chat.type == ChatType.PRIVATE,
        edited=update.edited_message is not None,
        document=_document(message),
    )


def _document(message: Message) -> IncomingFile | None:
    """A sent document as a name, a size and a download that only happens when asked for."""
    document = message.document
    if document is None:
        return None

    async def fetch() -> bytes:
        file = await document.get_file()
        return bytes(await file.download_as_bytearray())

    return IncomingFile(name=document.file_name or "", size=document.file_size or 0, fetch=fetch)


async def process(gateway: Gateway, bot: Bot, payload: dict[str, Any], attempt: int) -> None:
    """Handle one stored update. Database errors propagate, so the inbox retries them.

    A crisis message got its lines before it was stored (`ahead`); they are not sent again.
    While the database is down they still go out (the gateway needs no database for them).
    """
    update = Update.de_json(payload, bot)
    if update.callback_query is not None and attempt == 1:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    incoming = to_incoming(update)
    if incoming is None:
        return
    incoming = dataclasses.replace(
        incoming,
        crisis=Assessment.from_mark(payload.get(ASSESSED)),
        crisis_answered=bool(payload.get(LINES_SENT)) or gateway.crisis_answered(update.update_id),
    )
    try:
        await gateway.handle(incoming)
    except DBAPIError:
        if not incoming.crisis_answered:
            await gateway.crisis_first(incoming, update.update_id)
        raise
    except Exception:
        log.exception("handler failed")
        with contextlib.suppress(Exception):
            await gateway.say(incoming.chat_id, "engine_down", DEFAULT_LANGUAGE, "peer_now")
    gateway.handled(update.update_id)


async def ahead(gateway: Gateway, bot: Bot, payload: dict[str, Any]) -> dict[str, Any]:
    """An update before it is stored: judged once, and a crisis message answered at once.

    Returns the marks the stored update carries (the verdict, and whether the crisis message
    went out), so whichever replica handles it acts on them; nothing is kept here.
    """
    incoming = to_incoming(Update.de_json(payload, bot))
    if incoming is None:
        return {}
    verdict, sent = await gateway.crisis_first(
        incoming, int(payload["update_id"]), before_storing=True
    )
    marks: dict[str, Any] = {} if verdict is None else {ASSESSED: verdict.as_mark()}
    return {**marks, LINES_SENT: True} if sent else marks


async def poll(bot: Bot, inbox: Inbox) -> None:
    """Long polling that confirms updates (the next offset) only after the inbox stored them."""
    offset: int | None = None
    failures = 0
    while True:
        try:
            updates = await bot.get_updates(
                offset=offset,
                timeout=POLL_SECONDS,
                read_timeout=POLL_SECONDS + 10,
                allowed_updates=ALLOWED_UPDATES,
            )
        except TelegramError as error:
            failures += 1
            log.error("getUpdates failed (%s); trying again", type(error).__name__)
            await asyncio.sleep(backoff(failures))
            continue
        failures = 0
        if updates:
            await inbox.accept([u.to_dict() for u in updates])  # waits out a database outage
            offset = updates[-1].update_id + 1


class WebhookHandler(tornado.web.RequestHandler):
    """Telegram's webhook: checks the secret header, answers 200 only once the update is stored.

    python-telegram-bot's own webhook server answers 200 when the update is queued in memory;
    this one answers 503 when the database did not take it, so Telegram delivers it again.
    """

    def initialize(self, inbox: Inbox, secret: str) -> None:  # noqa: D102 (tornado's hook)
        self.inbox = inbox
        self.secret = secret

    async def post(self) -> None:
        """Store one update."""
        given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not self.secret or not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook: a request without the right secret token was refused")
            self.set_status(403)
            return
        try:
            payload = json.loads(self.request.body)
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            self.set_status(400)
            return
        try:
            await self.inbox.accept([payload], patient=False)
        except DatabaseDown:
            self.set_status(503)
            return
        self.set_status(200)


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


def _warm_up() -> None:
    """Load what is otherwise loaded on first use, so no early person waits for it."""
    warm_up_languages()
    gazetteer()
    catalogue()


def _settle_in() -> None:
    """Warm up, then freeze what was loaded out of the garbage collector (the process's start).

    It lives as long as the process, and a full collection that walked it (the language
    profiles: 220,000 objects) held up every chat, crisis lines included, for 0.15 s.
    """
    _warm_up()
    gc.collect()
    gc.freeze()


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


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run the Telegram gateway until SIGTERM/SIGINT (or `stop`): polling, or webhook mode."""
    if stop is None:
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await asyncio.to_thread(_warm_up)
    bot = make_bot(settings)
    rasa = RasaClient(settings.rasa_urls, settings.rasa_auth_token, settings.rasa_timeout_seconds)
    async with bot:
        transport = TelegramTransport(bot)
        gateway = Gateway(settings, rasa, transport)
        await asyncio.to_thread(gateway.assessor.warm_up)
        inbox = Inbox(
            settings.database_url,
            functools.partial(process, gateway, bot),
            ahead=functools.partial(ahead, gateway, bot),
            owner=settings.replica_name,
        )
        tasks = [
            asyncio.create_task(inbox.resume()),
            *jobs.start(gateway, settings.replica_name, inbox),
        ]
        server = polling = None
        if settings.telegram_webhook_url:
            web = tornado.web.Application(
                [
                    (
                        "/telegram",
                        WebhookHandler,
                        {"inbox": inbox, "secret": settings.telegram_webhook_secret},
                    )
                ]
            )
            server = web.listen(
                settings.telegram_webhook_port, address=settings.telegram_webhook_listen
            )
            await bot.set_webhook(
                settings.telegram_webhook_url,
                secret_token=settings.telegram_webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("webhook mode on port %s", settings.telegram_webhook_port)
        else:
            await bot.delete_webhook()
            polling = asyncio.create_task(poll(bot, inbox))
            log.info("polling mode")
        await stop.wait()
        log.info("stopping: finishing the updates in hand")
        if server is not None:
            server.stop()
        if polling is not None:
            polling.cancel()
            tasks.append(polling)
        await inbox.drain(timeout=10)
        log.info("%d updates handled here (%s)", inbox.handled_count, settings.replica_name)
        await transport.drain(timeout=10)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await rasa.close()


def run_telegram(settings: Settings) -> None:
    """Run until interrupted: webhook mode when a webhook URL is set, else long polling."""
    _settle_in()
    asyncio.run(serve(settings))
