"""The Telegram side of the gateway, on python-telegram-bot 22 (asyncio).

`build_application` is the one factory: polling by default, webhook mode when a webhook URL is
set. `TELEGRAM_API_BASE_URL` points it at any Bot API-compatible server, which is how the tests
talk to a local fake instead of Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.gateway import Gateway, Incoming, Outgoing
from bot.rasa_client import RasaClient

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from telegram import Bot, Message

    from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit for one message
REANNOUNCE_EVERY_SECONDS = 30.0
PURGE_EVERY_SECONDS = 30 * 60.0
CONCURRENT_UPDATES = 128  # updates in progress at once (different chats; see ChatLocks)
MEDIA_KINDS = ("photo", "voice", "sticker", "document", "video", "video_note", "audio",
               "animation", "location", "contact", "poll", "dice")  # fmt: skip


class TelegramTransport:
    """Sends the gateway's bubbles through the Bot API."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, message: Outgoing) -> bool:
        """Send a bubble (split at Telegram's limit); a refusal is logged, never raised."""
        markup = None
        if message.buttons:
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(b.label, callback_data=b.data)] for b in message.buttons]
            )
        chunks = [message.text[i : i + MAX_TEXT] for i in range(0, len(message.text), MAX_TEXT)]
        for index, chunk in enumerate(chunks or [""]):
            last = index == len(chunks) - 1
            try:
                await self.bot.send_message(
                    message.chat_id, chunk, reply_markup=markup if last else None
                )
            except TelegramError as error:
                log.error("could not send to a chat: %s", type(error).__name__)
                return False
        return True

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
            update_id=update.update_id,
        )
    message: Message | None = update.message
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
        update_id=update.update_id,
    )


class ChatLocks:
    """One lock per chat: a person's updates are handled in order, other people's meanwhile.

    Updates are handled concurrently (`CONCURRENT_UPDATES`), so one person's slow Rasa turn no
    longer holds up everyone else, and a crisis message is answered without waiting in line.
    python-telegram-bot starts the handler tasks in update order and asyncio locks are FIFO,
    so taking the chat's lock before the first await keeps each chat's order. A lock is
    dropped once nobody holds or waits for it.
    """

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        return len(self._locks)

    @contextlib.asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        """Hold the chat's lock for the duration of the block."""
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)


async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pass a message or button press to the gateway, in order within its chat."""
    chat = update.effective_chat
    async with context.bot_data["chat_locks"].hold(chat.id if chat is not None else 0):
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        incoming = to_incoming(update)
        if incoming is not None:
            await context.bot_data["gateway"].handle(incoming)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (no message text) and tell the person something, never silence."""
    log.error("handler failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        gateway: Gateway = context.bot_data["gateway"]
        with contextlib.suppress(Exception):
            await gateway.say(update.effective_chat.id, "engine_down", "nl", "peer_now")


async def _every_half_minute(gateway: Gateway) -> None:
    """Re-announce unclaimed urgent tickets; answer messages kept while Rasa was down."""
    while True:
        await asyncio.sleep(REANNOUNCE_EVERY_SECONDS)
        try:
            await gateway.reannounce_waiting()
            await gateway.answer_kept()
        except Exception:
            log.exception("periodic gateway work failed")


async def _purge_forever(gateway: Gateway) -> None:
    """Retention at start and every half hour; a failure is logged and tried again later."""
    while True:
        try:
            await asyncio.to_thread(gateway.purge_expired)
        except Exception:
            log.exception("retention purge failed")
        await asyncio.sleep(PURGE_EVERY_SECONDS)


def build_application(settings: Settings) -> Application:
    """The Telegram application with its gateway, opened in post_init, closed in post_shutdown."""

    async def post_init(app: Application) -> None:
        rasa = RasaClient(
            settings.rasa_url, settings.rasa_auth_token, settings.rasa_timeout_seconds
        )
        gateway = Gateway(settings, rasa, TelegramTransport(app.bot))
        app.bot_data.update(rasa=rasa, gateway=gateway, chat_locks=ChatLocks())
        app.bot_data["tasks"] = [
            asyncio.create_task(_every_half_minute(gateway)),
            asyncio.create_task(_purge_forever(gateway)),
        ]

    async def post_shutdown(app: Application) -> None:
        for task in app.bot_data.get("tasks", []):
            task.cancel()
        if "rasa" in app.bot_data:
            await app.bot_data["rasa"].close()

    assert settings.telegram_bot_token, "build_application needs TELEGRAM_BOT_TOKEN"
    app = (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url_for(settings.telegram_api_base_url))
        .rate_limiter(AIORateLimiter(max_retries=2))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.add_handler(CallbackQueryHandler(on_update))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE, on_update))
    app.add_error_handler(on_error)
    return app


def run_telegram(settings: Settings) -> None:
    """Run until interrupted: webhook mode when a webhook URL is set, else long polling."""
    app = build_application(settings)
    allowed = [Update.MESSAGE, Update.CALLBACK_QUERY]
    if settings.telegram_webhook_url:
        app.run_webhook(
            listen=settings.telegram_webhook_listen,
            port=settings.telegram_webhook_port,
            url_path="telegram",
            webhook_url=settings.telegram_webhook_url,
            secret_token=settings.telegram_webhook_secret,
            allowed_updates=allowed,
        )
    else:
        app.run_polling(allowed_updates=allowed)
