"""Telegram intake under faults: nothing acknowledged before it is stored, nothing lost.

The real python-telegram-bot client talks to the fake Bot API over HTTP; the gateway runs with
a Rasa that is not there (first contact and crisis replies do not need it). "The database is
down" is a real connection refused by an unused PostgreSQL port, switched in where the gateway
and the inbox open their sessions.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from aiohttp import web
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError
from telegram import Bot
from telegram.error import BadRequest, NetworkError, TimedOut

import bot.gateway.base
import bot.inbox
import bot.jobs
import bot.plan.flow
import bot.telegram_app
from bot import claims
from bot.crisis.assess import Assessment
from bot.db import session_scope
from bot.inbox import ASSESSED, DatabaseDown, Inbox
from bot.models import Claim, utcnow
from bot.port import Incoming, Outgoing
from bot.telegram_app import _settle_in, process, serve
from bot.telegram_send import URGENT, TelegramTransport, _never_arrived, make_bot
from tests.fakes.bot_api import FakeBotApi
from tests.stack import free_port, port_open

TOKEN = "123456:INTAKE-TOKEN"
PERSON = 5151
GROUP = -100
DOWN_URL = f"postgresql://nobody@127.0.0.1:{free_port()}/nothing"  # nothing listens there


class Database:
    """Switches the database of the gateway, the inbox and the plan between up and down."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.down = False
        real = session_scope

        @contextlib.contextmanager
        def scope(url: str) -> Iterator:
            with real(DOWN_URL if self.down else url) as session:
                yield session

        monkeypatch.setattr(bot.gateway.base, "session_scope", scope)
        monkeypatch.setattr(bot.inbox, "session_scope", scope)
        monkeypatch.setattr(bot.plan.flow, "session_scope", scope)


@pytest.fixture
def database(monkeypatch) -> Database:
    return Database(monkeypatch)


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi([TOKEN]) as api:
        api.add_chat(GROUP, chat_type="supergroup", title="Peer team")
        yield api


@pytest.fixture
def tg_settings(settings, fake):
    return dataclasses.replace(
        settings,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=fake.base_url,
        rasa_urls=(f"http://127.0.0.1:{free_port()}",),  # Rasa is down throughout
        rasa_timeout_seconds=1.0,
    )


@contextlib.asynccontextmanager
async def gateway_running(settings) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


@contextlib.asynccontextmanager
async def slow_rasa(seconds: float) -> AsyncIterator[str]:
    """A stand-in for Rasa's HTTP API whose every turn takes `seconds`."""

    async def turn(request: web.Request) -> web.Response:
        await asyncio.sleep(seconds)
        return web.json_response([{"custom": {"say": "menu"}}])

    async def tracker(request: web.Request) -> web.Response:
        return web.json_response({"events": []})

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", turn)
    app.router.add_get("/conversations/{sender}/tracker", tracker)
    app.router.add_post("/conversations/{sender}/tracker/events", tracker)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def until(condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_polling_confirms_an_update_only_once_it_is_stored(
    tg_settings, fake, database, texts
):
    database.down = True
    async with gateway_running(tg_settings):
        sent = time.time()
        update_id = fake.send_text(PERSON, "hallo")
        await until(
            lambda: any(c.ok and c.method == "getUpdates" and c.at > sent for c in fake.all_calls())
        )  # the bot has the update in hand
        await asyncio.sleep(1.5)  # the inbox keeps retrying; Telegram keeps the update
        assert [u["update_id"] for u in fake.pending_updates()] == [update_id]
        assert fake.sent(PERSON) == []
        database.down = False
        [reply] = await fake.wait_for_messages(PERSON, 1, timeout=20)
        assert reply["text"] == texts.say("intro", "nl")
        await until(lambda: fake.pending_updates() == [])


async def test_webhook_answers_200_only_once_the_update_is_stored(
    tg_settings, fake, database, texts
):
    port = free_port()
    settings = dataclasses.replace(
        tg_settings,
        telegram_webhook_url=f"http://127.0.0.1:{port}/telegram",
        telegram_webhook_port=port,
        telegram_webhook_secret="right-secret",
    )
    url = settings.telegram_webhook_url
    async with gateway_running(settings):
        await fake.wait_for_calls("setWebhook", 1)
        update_id = fake.send_text(PERSON, "hallo")
        await until(lambda: port_open(port))
        assert await fake.deliver_to_webhook(url, update_id, "wrong-secret") == 403
        database.down = True
        assert await fake.deliver_to_webhook(url, update_id, "right-secret") == 503
        assert fake.sent(PERSON) == []
        database.down = False
        assert await fake.deliver_to_webhook(url, update_id, "right-secret") == 200
        [reply] = await fake.wait_for_messages(PERSON, 1, timeout=20)
        assert reply["text"] == texts.say("intro", "nl")


async def test_crisis_while_the_database_is_down_gets_the_lines_at_once_and_only_once(
    tg_settings, fake, database, texts
):
    database.down = True
    async with gateway_running(tg_settings):
        fake.send_text(PERSON, "ik wil niet meer leven")
        [lines] = await fake.wait_for_messages(PERSON, 1, timeout=20)
        assert texts.say("crisis_ack", "nl") in lines["text"]
        assert fake.sent(GROUP) == []  # peers cannot be alerted without the database yet
        database.down = False
        [offer] = await fake.wait_for_messages(PERSON, 1, timeout=20)
        assert offer["text"].startswith(texts.say("crisis_no_peer_now", "nl").split(":")[0])
        await fake.wait_for_messages(GROUP, 1, timeout=20)  # the urgent alert, once back
        await asyncio.sleep(0.5)
        crisis_lines = [m for m in fake.sent(PERSON) if texts.say("crisis_ack", "nl") in m["text"]]
        assert len(crisis_lines) == 1


async def test_crisis_lines_go_ahead_of_the_persons_slow_rasa_turn(tg_settings, fake, texts):
    """Rasa takes 3 s over the person's previous message; the crisis lines do not wait for it
    (nor for any queue), and the rest of the crisis answer follows in order, lines not twice."""
    async with slow_rasa(seconds=3.0) as rasa_url:
        settings = dataclasses.replace(tg_settings, rasa_urls=(rasa_url,), rasa_timeout_seconds=10)
        async with gateway_running(settings):
            fake.send_text(PERSON, "hallo")
            _intro, ask = await fake.wait_for_messages(PERSON, 2, timeout=20)
            fake.press_button(PERSON, ask, "b:consent_yes")
            await fake.wait_for_messages(PERSON, 2, timeout=20)
            fake.send_text(PERSON, "hoe werkt dit eigenlijk?")  # Rasa is on it for 3 s
            await asyncio.sleep(0.3)
            started = time.monotonic()
            fake.send_text(PERSON, "ik wil niet meer leven")
            [lines] = await fake.wait_for_messages(PERSON, 1, timeout=10)
            waited = time.monotonic() - started
            assert texts.say("crisis_ack", "nl") in lines["text"]
            assert waited < 1.0, f"the crisis lines waited {waited:.1f} s"
            menu, offer = await fake.wait_for_messages(PERSON, 2, timeout=20)
            assert menu["text"] == texts.say("menu", "nl")  # the slow turn's answer
            assert offer["text"].startswith(texts.say("crisis_no_peer_now", "nl").split(":")[0])
            await asyncio.sleep(0.5)
        ack = texts.say("crisis_ack", "nl")
        assert sum(ack in m["text"] for m in fake.sent(PERSON)) == 1


async def test_edited_message_gets_a_note_and_a_crisis_edit_gets_the_lines(
    tg_settings, fake, texts
):
    async with gateway_running(tg_settings):
        fake.send_text(PERSON, "hallo")
        _intro, ask = await fake.wait_for_messages(PERSON, 2, timeout=20)
        fake.press_button(PERSON, ask, "b:consent_yes")
        await fake.wait_for_messages(PERSON, 2, timeout=20)  # thanks, then the menu (Rasa down)
        fake.send_raw_update(_edited(PERSON, "toch iets anders"))
        [note] = await fake.wait_for_messages(PERSON, 1, timeout=20)
        assert note["text"] == texts.say("edited_note", "nl")
        fake.send_raw_update(_edited(PERSON, "ik wil er een einde aan maken"))
        [lines, _offer] = await fake.wait_for_messages(PERSON, 2, timeout=20)
        assert texts.say("crisis_ack", "nl") in lines["text"]


def _edited(user: int, text: str) -> dict:
    now = int(time.time())
    return {
        "edited_message": {
            "message_id": 1,
            "date": now - 60,
            "edit_date": now,
            "chat": {"id": user, "type": "private", "first_name": "Test"},
            "from": {"id": user, "is_bot": False, "first_name": "Test"},
            "text": text,
        }
    }


# The inbox on its own ---------------------------------------------------------------------------


def _update(update_id: int, chat: int, text: str = "hallo") -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "T"},
            "text": text,
        },
    }


async def test_a_redelivered_update_is_handled_once(settings):
    handled: list[int] = []

    async def handle(update, attempt):
        handled.append(update["update_id"])

    inbox = Inbox(settings.database_url, handle)
    await inbox.accept([_update(1, 10)])
    await inbox.drain(5)
    await inbox.accept([_update(1, 10)])  # Telegram delivers it again after handling
    await inbox.accept([_update(2, 10), _update(2, 10)])  # or twice in one batch
    await inbox.drain(5)
    assert handled == [1, 2]


async def test_what_was_stored_before_a_crash_is_handled_after_the_restart(settings):
    Inbox(settings.database_url, None).store([_update(7, 10), _update(8, 11)])  # then: crash
    handled: list[int] = []

    async def handle(update, attempt):
        handled.append(update["update_id"])

    restarted = Inbox(settings.database_url, handle)
    await restarted.resume()  # what the gateway does at start
    await restarted.drain(5)
    assert sorted(handled) == [7, 8]
    assert await Inbox(settings.database_url, handle).recover() == 0  # and done with


async def test_the_inbox_upkeep_running_while_updates_arrive_loses_none(settings, monkeypatch):
    """CI once saw a first message never answered: the upkeep (every 5 s in production) found
    it stored but not yet scheduled and scheduled it from its thread, which cannot start a
    task. Here the upkeep runs without pause while three people write."""
    handled: list[tuple[int, int]] = []

    async def handle(update, attempt):
        handled.append((update["message"]["chat"]["id"], update["update_id"]))

    monkeypatch.setattr(bot.jobs, "TEND_SECONDS", 0)
    inbox = Inbox(settings.database_url, handle)
    upkeep = asyncio.create_task(bot.jobs.tend_inbox(inbox))
    try:
        for update_id in range(1, 61):
            await inbox.accept([_update(update_id, 10 + update_id % 3)])
        for _ in range(100):
            await inbox.drain(5)
            if len(handled) >= 60:
                break
            await asyncio.sleep(0.02)
    finally:
        upkeep.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await upkeep
    assert sorted(u for _chat, u in handled) == list(range(1, 61))  # each once, none lost
    for chat in (10, 11, 12):
        in_chat = [u for c, u in handled if c == chat]
        assert in_chat == sorted(in_chat)


async def test_slow_crisis_lines_do_not_hold_up_storing_the_update(settings):
    """Telegram asks to retry the lines later: intake goes on; the handler sends them itself."""
    handled: list[tuple[int, bool]] = []

    async def handle(update, attempt):
        verdict = Assessment.from_mark(update.get(ASSESSED))
        handled.append((update["update_id"], verdict is not None and verdict.announced))

    async def slow_lines(update):
        await asyncio.sleep(3)
        return {ASSESSED: Assessment("full", announced=True).as_mark()}

    inbox = Inbox(settings.database_url, handle, ahead=slow_lines)
    began = time.monotonic()
    await inbox.accept([_update(1, 10, "ik wil dood")])
    assert time.monotonic() - began < 2
    await inbox.drain(5)
    assert handled == [(1, False)]  # not marked: its handler sends the lines as well


async def test_one_chat_in_order_while_other_chats_go_ahead(settings):
    finished: list[int] = []

    async def handle(update, attempt):
        if update["update_id"] == 1:
            await asyncio.sleep(0.5)  # a slow Rasa turn for chat 10
        finished.append(update["update_id"])

    inbox = Inbox(settings.database_url, handle)
    await inbox.accept([_update(1, 10), _update(2, 10), _update(3, 20)])
    await inbox.drain(5)
    assert finished == [3, 1, 2]


async def test_impatient_store_reports_a_database_outage_and_stores_nothing(settings, database):
    async def handle(update, attempt):
        raise AssertionError("must not be handled")

    database.down = True
    inbox = Inbox(settings.database_url, handle)
    with pytest.raises(DatabaseDown):
        await inbox.accept([_update(1, 10)], patient=False)
    database.down = False
    assert await inbox.recover() == 0


async def test_a_database_error_while_handling_is_retried_until_it_works(settings):
    attempts: list[int] = []

    async def handle(update, attempt):
        attempts.append(attempt)
        if attempt < 3:
            from sqlalchemy.exc import OperationalError

            raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    inbox = Inbox(settings.database_url, handle)
    await inbox.accept([_update(1, 10)])
    await inbox.drain(10)
    assert attempts == [1, 2, 3]
    assert await inbox.recover() == 0


# Several gateway replicas on one database (claims) --------------------------------------------


async def test_two_replicas_handle_one_persons_updates_once_in_order_one_at_a_time(settings):
    """Webhooks behind a balancer: one chat's updates reach both replicas in turn."""
    handled: list[tuple[str, int, int]] = []
    busy: set[int] = set()
    overlaps: list[int] = []

    def handler(name: str):
        async def handle(update, attempt):
            chat = update["message"]["chat"]["id"]
            if chat in busy:
                overlaps.append(chat)
            busy.add(chat)
            await asyncio.sleep(0.01)  # a Rasa turn
            busy.discard(chat)
            handled.append((name, chat, update["update_id"]))

        return handle

    one = Inbox(settings.database_url, handler("one"), owner="one")
    two = Inbox(settings.database_url, handler("two"), owner="two")

    async def person(chat: int) -> None:  # Telegram: a chat's next update once one is stored
        for n, update_id in enumerate(range(chat, chat + 40, 4)):
            await (one if (n + chat) % 2 else two).accept([_update(update_id, chat)])
            await asyncio.sleep(0.004)

    await asyncio.gather(*(person(chat) for chat in (1, 2, 3, 4)))
    for _ in range(100):  # until both are idle
        await one.drain(5)
        await two.drain(5)
        if len(handled) >= 40 and not one._workers and not two._workers:
            break
        await asyncio.sleep(0.02)
    ids = [update_id for _name, _chat, update_id in handled]
    assert sorted(ids) == list(range(1, 41))  # each once, none lost
    for chat in (1, 2, 3, 4):
        in_chat = [update_id for _name, c, update_id in handled if c == chat]
        assert in_chat == sorted(in_chat)  # in the order the person sent them
    assert overlaps == []  # never two replicas on one chat at once
    assert {name for name, _chat, _id in handled} == {"one", "two"}  # both carried chats


async def test_a_crashed_replicas_chat_is_taken_up_once_its_claim_expires(settings):
    Inbox(settings.database_url, None, owner="crashed").store([_update(5, 10)])  # then: crash
    handled: list[int] = []

    async def handle(update, attempt):
        handled.append(update["update_id"])

    other = Inbox(settings.database_url, handle, owner="other")
    assert await other.recover() == 0  # the claim holds for a while yet
    await other.accept([_update(6, 10)])  # nor does a new message take the chat over
    await other.drain(5)
    assert handled == []
    with session_scope(settings.database_url) as session:
        session.execute(update(Claim).values(until=utcnow() - dt.timedelta(seconds=1)))
    assert await other.recover() == 2  # expired: both, in order
    await other.drain(5)
    assert handled == [5, 6]


async def test_a_chat_in_hand_keeps_its_claim_while_its_turn_runs_long(settings):
    release = asyncio.Event()

    async def slow(update, attempt):
        await release.wait()  # a Rasa turn far longer than usual

    one = Inbox(settings.database_url, slow, owner="one")
    await one.accept([_update(5, 10)])
    with session_scope(settings.database_url) as session:  # the claim would have run out
        session.execute(update(Claim).values(until=utcnow() - dt.timedelta(seconds=1)))
    await one.keep_claims()
    other = Inbox(settings.database_url, slow, owner="other")
    try:
        assert await other.recover() == 0  # still held: the chat is not handled twice
    finally:
        release.set()
        await one.drain(5)


async def test_one_replica_runs_the_periodic_jobs_until_it_stops_renewing(settings):
    with session_scope(settings.database_url) as session:
        assert claims.take(session, claims.JOBS, "one")
        assert not claims.take(session, claims.JOBS, "two")
        assert claims.take(session, claims.JOBS, "one")  # renewed
        session.execute(update(Claim).values(until=utcnow() - dt.timedelta(seconds=1)))
        assert claims.take(session, claims.JOBS, "two")
        assert not claims.take(session, claims.JOBS, "one")


# Outgoing pace ----------------------------------------------------------------------------------


async def test_a_dropped_connection_is_sent_again_not_lost(tg_settings, fake):
    """The network drops the request before Telegram has it: the bubble goes out once, later."""
    async with make_bot(tg_settings) as client:
        fake.send_text(PERSON, "hallo")  # the chat exists
        fake.fail_next("sendMessage", disconnect=True, times=2)
        assert await TelegramTransport(client).send(Outgoing(PERSON, "Fijn dat je er bent."))
    assert [m["text"] for m in fake.sent(PERSON)] == ["Fijn dat je er bent."]
    assert len(fake.calls("sendMessage")) == 3


def test_only_what_never_reached_telegram_is_sent_again():
    def failed(error: Exception, cause: Exception) -> Exception:
        error.__cause__ = cause
        return error

    request = httpx.Request("POST", "http://127.0.0.1/")
    assert _never_arrived(failed(NetworkError("x"), httpx.ConnectError("refused")))
    assert _never_arrived(failed(TimedOut(), httpx.PoolTimeout("pool")))
    # the answer did not come: Telegram may have sent it, so not again (no double message)
    assert not _never_arrived(failed(TimedOut(), httpx.ReadTimeout("slow", request=request)))
    assert not _never_arrived(failed(NetworkError("x"), httpx.ReadError("reset")))
    assert not _never_arrived(BadRequest("Chat not found"))


async def test_telegrams_too_many_requests_is_waited_out_not_dropped(tg_settings, fake):
    async with make_bot(tg_settings) as client:
        fake.send_text(PERSON, "hallo")  # the chat exists
        fake.fail_next("sendMessage", retry_after=1, times=1)
        transport = TelegramTransport(client)
        for n in range(3):
            assert await transport.send(Outgoing(PERSON, f"bubble {n}"))
    assert [m["text"] for m in fake.sent(PERSON)] == ["bubble 0", "bubble 1", "bubble 2"]
    assert any("Too Many Requests" in (c.error or "") for c in fake.errors())


async def broadcast(settings, fake: FakeBotApi, chats: list[int]) -> tuple[list[bool], float]:
    """One bubble to each chat at once, through the real client; (delivered, seconds)."""
    for chat in chats:
        fake.send_text(chat, "hallo")  # the chat exists
    async with make_bot(settings) as client:
        transport = TelegramTransport(client)
        started = time.monotonic()
        results = await asyncio.gather(*(transport.send(Outgoing(c, "hoi")) for c in chats))
        return results, time.monotonic() - started


async def test_a_broadcast_is_paced_to_telegrams_overall_limit(tg_settings, fake):
    chats = list(range(7000, 7090))
    results, elapsed = await broadcast(tg_settings, fake, chats)
    assert all(results) and all(len(fake.sent(c)) == 1 for c in chats)
    # 90 messages at 30 per second after a first burst of 30 cannot take less than 2 s.
    assert elapsed >= 1.8


async def test_crisis_lines_without_the_database_go_out_once_per_update(
    gateway, transport, texts, database
):
    database.down = True
    incoming = Incoming(user_id=PERSON, chat_id=PERSON, text="ik wil niet meer leven")
    await gateway.crisis_first(incoming, 41)  # when handling it failed on the database
    await gateway.crisis_first(incoming, 41)  # and again on the next attempt
    [lines] = transport.texts_to(PERSON)
    assert texts.say("crisis_ack", "nl") in lines
    assert gateway.announced(41) is not None and gateway.announced(42) is None


async def test_a_stored_update_whose_lines_went_out_ahead_gets_none_when_handling_fails(
    gateway, transport, database
):
    database.down = True
    ahead = Assessment("full", announced=True).as_mark()
    payload = {**_update(41, PERSON, "ik wil niet meer leven"), ASSESSED: ahead}
    with pytest.raises(DBAPIError):
        await process(gateway, Bot(TOKEN), payload, 1)
    assert transport.texts_to(PERSON) == []  # the look-ahead sent them before it was stored


async def test_a_peer_alert_held_by_the_group_limit_does_not_hold_up_the_person(
    tg_settings, fake, texts
):
    """Telegram allows about 20 messages a minute in a group; past that each alert waits about
    3 s for its turn, and the person it is about goes on meanwhile. Two alerts more than the
    budget go first, so the person's alert (the 23rd) cannot leave before about 9 s even when
    a slow machine took seconds over the first 20."""
    async with gateway_running(tg_settings):
        for person in range(8000, 8022):
            fake.send_text(person, "ik wil niet meer leven")
        await fake.wait_for_messages(GROUP, 20, timeout=20)  # the group's budget is used up
        fake.send_text(PERSON, "ik wil niet meer leven")
        started = time.monotonic()
        fake.send_text(PERSON, "/menu")
        lines, offer, menu = await fake.wait_for_messages(PERSON, 3, timeout=20)
        answered = time.monotonic() - started
        assert texts.say("crisis_ack", "nl") in lines["text"]
        assert offer["text"].startswith(texts.say("crisis_no_peer_now", "nl").split(":")[0])
        assert answered < 1.0, f"the person waited {answered:.1f} s behind the peer alert"
        assert len(fake.sent(GROUP)) < 23  # their alert is still waiting for its turn
        later = await fake.wait_for_messages(GROUP, 3, timeout=30)  # and none is dropped
        for alert in later:
            [[claim]] = alert["reply_markup"]["inline_keyboard"]
            assert claim["callback_data"].startswith("claim:")


async def test_the_overall_pace_is_a_setting(tg_settings, fake):
    slower = dataclasses.replace(tg_settings, telegram_messages_per_second=15.0)
    _, elapsed = await broadcast(slower, fake, list(range(7100, 7130)))
    # 30 messages at 15 per second after a first burst of 15: at least 1 s (at 30/s: one burst)
    assert elapsed >= 0.9


async def test_crisis_lines_skip_the_queue_at_telegrams_limit(tg_settings, fake):
    """Ordinary bubbles arrive at twice Telegram's pace, so a queue builds up; crisis lines sent
    meanwhile go straight out (without the bypass the fifth waited 0.9 s, and growing)."""
    chats = list(range(7200, 7400))
    for chat in [*chats, PERSON]:
        fake.send_text(chat, "hallo")
    async with make_bot(tg_settings) as client:
        transport = TelegramTransport(client)
        ordinary: list[asyncio.Task[bool]] = []

        async def chatter() -> None:
            for chat in chats:  # 60 a second for a little over 3 s
                ordinary.append(asyncio.create_task(transport.send(Outgoing(chat, "hoi"))))
                await asyncio.sleep(1 / 60)

        producer = asyncio.create_task(chatter())
        await asyncio.sleep(1.0)
        waits = []
        for _ in range(8):
            started = time.monotonic()
            assert await transport.send(Outgoing(PERSON, "113, 112", urgent=True))
            waits.append(time.monotonic() - started)
            await asyncio.sleep(0.1)
        queued_still = sum(1 for c in chats if not fake.sent(c))
        await producer
        assert all(await asyncio.gather(*ordinary))
    assert max(waits) < 0.2, f"crisis lines waited {max(waits):.2f} s behind the queue"
    assert queued_still > 30  # there was a queue to skip
    assert not URGENT.get()  # only the crisis lines' own requests skipped it


def test_what_lives_as_long_as_the_gateway_is_frozen_out_of_the_garbage_collector():
    """A full collection must not walk the language profiles (0.15 s with every chat waiting)."""
    import gc

    try:
        _settle_in()
        assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()
