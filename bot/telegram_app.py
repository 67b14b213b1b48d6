"""The Telegram side of the gateway, on python-telegram-bot 22 (asyncio).

`serve` runs it: long polling by default, webhook mode when a webhook URL is set. Updates go
through the durable inbox (`bot/inbox.py`) before they are acknowledged; replies go out through
`bot.telegram_send`. python-telegram-bot
provides the Bot API client and its rate limiter; its Application is not used, because it
acknowledges updates before they are stored. `TELEGRAM_API_BASE_URL` points the client at any
Bot API-compatible server, which is how the tests talk to a local fake instead of Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import gc
import hmac
import json
import logging
import signal
from typing import TYPE_CHECKING, Any

import tornado.web
from sqlalchemy.exc import DBAPIError
from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import jobs
from bot.crisis.assess import Assessment
from bot.db import backoff
from bot.directory.places import gazetteer
from bot.gateway import Gateway
from bot.inbox import ASSESSED, DatabaseDown, Inbox, known_update
from bot.language import warm_up as warm_up_languages
from bot.port import Incoming, IncomingFile
from bot.rasa_client import RasaClient
from bot.telegram_send import POLL_SECONDS, TelegramTransport, make_bot
from bot.texts import DEFAULT_LANGUAGE, catalogue

if TYPE_CHECKING:
    from telegram import Bot, Message

    from bot.settings import Settings

log = logging.getLogger(__name__)

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
    verdict = gateway.announced(update.update_id) or Assessment.from_mark(payload.get(ASSESSED))
    incoming = dataclasses.replace(incoming, crisis=verdict)
    try:
        await gateway.handle(incoming)
    except DBAPIError:
        if not incoming.crisis_announced:
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
    update_id = int(payload["update_id"])
    verdict = await gateway.crisis_first(
        incoming, update_id, already_stored=functools.partial(known_update, update_id=update_id)
    )
    return {} if verdict is None else {ASSESSED: verdict.as_mark()}


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
