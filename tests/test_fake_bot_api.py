"""The fake Bot API must speak the real python-telegram-bot's wire format.

Why: every bot test builds on tests.fakes.bot_api; if the fake drifts from what PTB sends
and expects, those tests would pass or fail for the wrong reasons. So these tests drive the
REAL PTB (Application + polling, and a bare Bot) against the fake over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes.bot_api import FakeBotApi, UploadedFile

TOKEN = "123:ABC"
USER = 42
GROUP = -1001234567890


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi([TOKEN]) as api:
        yield api


@pytest_asyncio.fixture
async def ptb_bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat and update.effective_user and update.message
    await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Ja", callback_data="ja"),
                InlineKeyboardButton("Nee", callback_data="nee"),
            ]
        ]
    )
    name = html.escape(update.effective_user.first_name)
    await update.message.reply_html(f"Welkom, <b>{name}</b>!", reply_markup=keyboard)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query
    await query.answer("Genoteerd")
    await query.edit_message_text(f"Je koos: {query.data}")


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message and update.message.document
    document = update.message.document
    data = await (await document.get_file()).download_as_bytearray()
    await update.message.reply_text(f"{document.file_name}: {len(data)} bytes")
    await update.message.reply_document(bytes(data).upper(), filename="echo.txt")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message and update.message.text
    await update.message.reply_text(f"Echo: {update.message.text}")


@contextlib.asynccontextmanager
async def polling_app(fake: FakeBotApi, errors: list[object]) -> AsyncIterator[Application]:
    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))

    async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app.add_error_handler(record_error)
    await app.initialize()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_real_ptb_application_round_trip(fake: FakeBotApi) -> None:
    handler_errors: list[object] = []
    async with polling_app(fake, handler_errors):
        fake.send_text(USER, "/start", first_name="Anna")
        [welcome] = await fake.wait_for_messages(USER)
        assert welcome["text"] == "Welkom, Anna!"  # HTML was parsed like Telegram does
        assert welcome["entities"] == [{"type": "bold", "offset": 8, "length": 4}]
        assert welcome["chat"] == {"id": USER, "type": "private", "first_name": "Anna"}
        assert welcome["from"]["is_bot"] is True
        assert fake.chat_actions(USER) == ["typing"]

        fake.press_button(USER, welcome, "ja")
        [edited] = await fake.wait_for_messages(USER)
        assert edited["message_id"] == welcome["message_id"]
        assert edited["text"] == "Je koos: ja"
        assert "edit_date" in edited
        assert "reply_markup" not in edited  # edit without markup drops the keyboard
        [answer] = await fake.wait_for_calls("answerCallbackQuery")
        assert answer["text"] == "Genoteerd"

        fake.send_document(USER, "dagboek.txt", b"goed geslapen", mime_type="text/plain")
        summary, echoed = await fake.wait_for_messages(USER, count=2)
        assert summary["text"] == "dagboek.txt: 13 bytes"
        assert echoed["document"]["file_name"] == "echo.txt"
        assert fake.file_content(echoed["document"]["file_id"]) == b"GOED GESLAPEN"
        [upload] = fake.calls("sendDocument")
        assert isinstance(upload["document"], UploadedFile)
        assert upload["document"].filename == "echo.txt"
        assert upload["chat_id"] == USER

        fake.send_text(USER, "hallo groep", chat_id=GROUP, chat_type="supergroup")
        [group_reply] = await fake.wait_for_messages(GROUP)
        assert group_reply["text"] == "Echo: hallo groep"
        assert group_reply["chat"]["type"] == "supergroup"
        assert group_reply["reply_to_message"]["text"] == "hallo groep"  # PTB quotes in groups

        assert [m["message_id"] for m in fake.sent(USER)] == [2, 2, 4, 5]
        assert fake.errors() == []
        assert fake.unknown_methods == []
    assert handler_errors == []
    # PTB's shutdown confirms the last offset: nothing may be left to re-deliver.
    assert fake.pending_updates() == []


async def test_get_updates_offset_limit_and_long_poll(fake: FakeBotApi, ptb_bot: Bot) -> None:
    first = fake.send_text(USER, "een")
    fake.send_text(USER, "twee")
    third = fake.send_text(USER, "drie")

    batch = await ptb_bot.get_updates(limit=2)
    assert [u.update_id for u in batch] == [first, first + 1]
    assert batch[0].message and batch[0].message.text == "een"

    rest = await ptb_bot.get_updates(offset=first + 2, timeout=0)
    assert [u.update_id for u in rest] == [third]
    assert [u["update_id"] for u in fake.pending_updates()] == [third]  # confirmed ones dropped

    assert await ptb_bot.get_updates(offset=third + 1, timeout=0) == ()

    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(ptb_bot.get_updates(offset=third + 1, timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()  # long poll is waiting
    fake.send_text(USER, "vier")
    [woken] = await asyncio.wait_for(poll, 2)
    assert woken.message and woken.message.text == "vier"
    assert loop.time() - started < 2


async def test_raw_bodies_errors_and_unknown_methods(fake: FakeBotApi) -> None:
    fake.send_text(USER, "hoi")
    url = f"{fake.base_url}{TOKEN}"
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/sendMessage", json={"chat_id": USER, "text": "json"}) as r:
            body = await r.json()
            assert r.status == 200 and body["ok"] is True
            assert body["result"]["text"] == "json" and body["result"]["message_id"] == 2

        form = {"chat_id": str(USER), "text": "123"}
        async with http.post(f"{url}/sendmessage", data=form) as r:
            assert (await r.json())["result"]["text"] == "123"  # strings are not JSON-decoded

        async with http.post(
            f"{url}/getUpdates", json={"allowed_updates": ["callback_query"]}
        ) as r:
            assert (await r.json())["result"] == []  # message updates are not wanted
        assert fake.pending_updates() == []

        async with http.post(
            f"{url}/setChatMenuButton", json={"menu_button": {"type": "commands"}}
        ) as r:
            assert await r.json() == {"ok": True, "result": True}
        assert fake.unknown_methods == ["setChatMenuButton"]
        assert fake.calls("setChatMenuButton") == [{"menu_button": {"type": "commands"}}]

        async with http.post(f"{fake.base_url}999:WRONG/getMe") as r:
            assert r.status == 401
            assert await r.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}

        async with http.post(f"{url}/sendMessage", json={"chat_id": 777, "text": "x"}) as r:
            assert r.status == 400
            assert (await r.json())["description"] == "Bad Request: chat not found"

        bad_html = {"chat_id": USER, "text": "<foo>x</foo>", "parse_mode": "HTML"}
        async with http.post(f"{url}/sendMessage", json=bad_html) as r:
            assert r.status == 400
            assert "Unsupported start tag" in (await r.json())["description"]

        button = {"text": "x", "callback_data": "x" * 65}
        too_long = {"chat_id": USER, "text": "x", "reply_markup": {"inline_keyboard": [[button]]}}
        async with http.post(f"{url}/sendMessage", json=too_long) as r:
            assert (await r.json())["description"] == "Bad Request: BUTTON_DATA_INVALID"

        # A second poller terminates the first one, as on Telegram.
        first = asyncio.create_task(http.post(f"{url}/getUpdates", json={"timeout": 5}))
        await asyncio.sleep(0.1)
        async with http.post(f"{url}/getUpdates", json={"timeout": 0}) as r:
            assert r.status == 200
        async with await first as r:
            assert (
                r.status == 409
                and "terminated by other getUpdates" in (await r.json())["description"]
            )

    assert [m["text"] for m in fake.sent(USER)] == ["json", "123"]
    assert len(fake.errors()) == 4


async def test_ptb_sees_telegram_like_errors_webhook_and_commands(
    fake: FakeBotApi, ptb_bot: Bot
) -> None:
    fake.send_text(USER, "hoi")
    sent = await ptb_bot.send_message(USER, "zelfde")
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await ptb_bot.edit_message_text("zelfde", chat_id=USER, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await ptb_bot.answer_callback_query("nope")

    fake.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter):
        await ptb_bot.send_message(USER, "te snel")

    fake.block_bot(USER)
    with pytest.raises(Forbidden, match="blocked"):
        await ptb_bot.send_message(USER, "hallo?")
    fake.unblock_bot(USER)

    assert await ptb_bot.set_webhook("https://example.invalid/hook", secret_token="s3cret")
    info = await ptb_bot.get_webhook_info()
    assert info.url == "https://example.invalid/hook"
    assert fake.webhook_info()["secret_token"] == "s3cret"
    with pytest.raises(Conflict):
        await ptb_bot.get_updates(timeout=0)
    assert await ptb_bot.delete_webhook(drop_pending_updates=True)
    assert fake.pending_updates() == []

    commands = [BotCommand("start", "Begin"), BotCommand("hulp", "Hulp vragen")]
    assert await ptb_bot.set_my_commands(commands, language_code="nl")
    assert await ptb_bot.get_my_commands(language_code="nl") == tuple(commands)
    assert await ptb_bot.get_my_commands() == ()
    assert await ptb_bot.close() and await ptb_bot.log_out()


async def test_user_media_are_downloadable(fake: FakeBotApi, ptb_bot: Bot) -> None:
    fake.send_photo(USER, b"jpeg-bytes", caption="zon")
    fake.send_voice(USER, b"ogg-bytes", duration=4)
    fake.send_sticker(USER, "🌱")
    updates = await ptb_bot.get_updates()
    photo, voice, sticker = (u.message for u in updates)
    assert photo and voice and sticker
    assert photo.caption == "zon" and photo.photo[-1].width == 800
    assert voice.voice and voice.voice.duration == 4
    assert sticker.sticker and sticker.sticker.emoji == "🌱"
    data = await (await voice.voice.get_file()).download_as_bytearray()
    assert bytes(data) == b"ogg-bytes"
    with pytest.raises(BadRequest, match="(?i)invalid file_id"):
        await ptb_bot.get_file("does-not-exist")


async def test_wait_for_messages_timeout_explains_what_arrived(
    fake: FakeBotApi, ptb_bot: Bot
) -> None:
    fake.send_text(USER, "hoi")
    await ptb_bot.send_message(USER, "alleen deze")
    with pytest.raises(AssertionError) as failure:
        await fake.wait_for_messages(USER, count=2, timeout=0.2)
    message = str(failure.value)
    assert "expected 2 new bot message(s) in chat 42" in message
    assert "'alleen deze'" in message
    [only] = await fake.wait_for_messages(USER, timeout=0.2)
    assert only["text"] == "alleen deze"


async def test_deliver_to_webhook_posts_like_telegram(fake: FakeBotApi) -> None:
    received: list[tuple[str | None, dict]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        update_id = fake.send_text(USER, "via webhook")
        status = await fake.deliver_to_webhook(f"http://127.0.0.1:{port}/hook", update_id, "s3cret")
    finally:
        await runner.cleanup()
    assert status == 200
    [(secret, update)] = received
    assert secret == "s3cret"
    assert update["update_id"] == update_id and update["message"]["text"] == "via webhook"
    assert fake.pending_updates() == []  # delivered updates leave the queue
