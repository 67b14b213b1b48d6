"""Updates are handled concurrently across chats but in order within a chat (issue 7)."""

from __future__ import annotations

import asyncio
import time

from bot.settings import Settings
from bot.telegram_app import ChatLocks, build_application
from tests.fakes.bot_api import FakeBotApi

TOKEN = "123456:ORDER-TOKEN"


async def test_one_chat_waits_its_turn_and_other_chats_do_not():
    locks = ChatLocks()
    events: list[str] = []

    async def work(chat: int, name: str, seconds: float) -> None:
        async with locks.hold(chat):
            events.append(f"{name} in")
            await asyncio.sleep(seconds)
            events.append(f"{name} out")

    await asyncio.gather(work(1, "a1", 0.05), work(1, "a2", 0.0), work(2, "b", 0.0))
    assert events.index("a2 in") > events.index("a1 out")  # same chat: one after the other
    assert events.index("b out") < events.index("a1 out")  # another chat did not wait
    assert len(locks) == 0  # nothing kept for chats nobody is waiting on


class SlowGateway:
    """Records when each update starts and ends; "slow" stands for a long Rasa turn."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int, str]] = []

    async def handle(self, incoming) -> None:
        self.events.append(("start", incoming.user_id, incoming.text))
        await asyncio.sleep(0.5 if incoming.text == "slow" else 0.01)
        self.events.append(("end", incoming.user_id, incoming.text))


async def test_a_slow_turn_holds_up_only_its_own_chat_in_the_real_application():
    async with FakeBotApi([TOKEN]) as fake:
        settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=fake.base_url)
        app = build_application(settings)
        gateway = SlowGateway()
        await app.initialize()
        app.bot_data.update(gateway=gateway, chat_locks=ChatLocks())
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            for user, text in ((1, "slow"), (1, "second"), (1, "third"), (2, "other")):
                fake.send_text(user, text)
            deadline = time.monotonic() + 10
            while sum(e[0] == "end" for e in gateway.events) < 4:
                assert time.monotonic() < deadline, gateway.events
                await asyncio.sleep(0.02)
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
    ends = [(user, text) for kind, user, text in gateway.events if kind == "end"]
    assert [text for user, text in ends if user == 1] == ["slow", "second", "third"]
    assert ends.index((2, "other")) < ends.index((1, "slow"))  # not stuck behind person 1
    started_second = gateway.events.index(("start", 1, "second"))
    assert started_second > gateway.events.index(("end", 1, "slow"))
