"""Simulated people, the same against our stack (via the fake Telegram) and plain Rasa.

Plain Rasa is reached through its REST channel, so the two sets of figures compare like with
like.

Everything here runs on the event loop of the fake Bot API server, so a reply is timed the
moment the gateway's sendMessage reaches it, and a message is timed when its update is queued
for the gateway's getUpdates.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from bench.mix import FIRST_CONTACT, Kind, Step, pick
from bench.stats import Turn


@dataclass(frozen=True)
class Pace:
    """How people behave in time: think time between turns, and patience for replies."""

    think_min: float = 2.0  # the gateway bundles more than 5 typed messages in 10 s
    think_max: float = 5.0
    grace: float = 15.0  # replies later than this after posting count as missing

    def think(self, rng: random.Random) -> float:
        """One pause, uniform between the bounds."""
        return rng.uniform(self.think_min, self.think_max)


class Client(Protocol):
    """One way of delivering a person's step and collecting the replies."""

    async def turn(self, user: int, kind: str, step: Step) -> Turn | None:
        """Post a step and wait for its replies (None when the step does not apply)."""

    async def settle(self) -> None:
        """After the level: let late and duplicated replies arrive, then close the books."""


class TelegramClient:
    """Plays Telegram users on the fake Bot API (must be created inside its event loop)."""

    def __init__(self, fake: Any, pace: Pace, settle_seconds: float = 3.0) -> None:
        self.fake = fake
        self.pace = pace
        self.settle_seconds = settle_seconds
        self.arrivals: dict[int, list[tuple[float, dict]]] = defaultdict(list)
        self.wakeups: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.open: dict[int, tuple[Turn, int]] = {}  # per chat: last turn, its first reply index
        self.done: set[tuple[int, str, Step | str]] = set()  # (person, kind, step) done before
        fake.on_bot_message(self._arrived)

    def _arrived(self, chat_id: Any, message: dict) -> None:
        if isinstance(chat_id, int):
            self.arrivals[chat_id].append((time.monotonic(), message))
            self.wakeups[chat_id].set()

    def _close(self, user: int) -> None:
        """Give the previous turn every reply that arrived for it, late or extra ones too."""
        if user in self.open:
            turn, first = self.open.pop(user)
            turn.replies = [at for at, _ in self.arrivals[user][first:]]

    def _with_button(self, user: int, data: str) -> dict | None:
        for _, message in reversed(self.arrivals[user]):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
            if any(button.get("callback_data") == data for row in rows for button in row):
                return message
        return None

    async def turn(self, user: int, kind: str, step: Step) -> Turn | None:
        """Post the step through the fake Telegram and wait for `expect` bubbles."""
        self._close(user)
        box = self.arrivals[user]
        first = len(box)
        done = (user, step.family or kind, step.family or step)
        expect = step.bubbles(again=done in self.done)
        self.done.add(done)
        if step.press is not None:
            message = self._with_button(user, f"b:{step.press}")
            sent = time.monotonic()
            turn = Turn(kind, sent, expect, crisis=step.crisis)
            if message is None:
                turn.error = f"no button {step.press} on any message"
                return turn
            self.fake.press_button(user, message, f"b:{step.press}")
        else:
            sent = time.monotonic()
            turn = Turn(kind, sent, expect, crisis=step.crisis)
            self.fake.send_text(user, step.say)
        deadline = sent + self.pace.grace
        wakeup = self.wakeups[user]
        while len(box) - first < expect and time.monotonic() < deadline:
            wakeup.clear()
            try:
                await asyncio.wait_for(wakeup.wait(), deadline - time.monotonic())
            except asyncio.TimeoutError:
                break
        turn.replies = [at for at, _ in box[first:]]
        self.open[user] = (turn, first)
        return turn

    async def settle(self) -> None:
        """Wait a little for stragglers, then attribute them to each chat's last turn."""
        await asyncio.sleep(self.settle_seconds)
        for user in list(self.open):
            self._close(user)


class RestClient:
    """Plays the same people against plain Rasa through its REST channel."""

    def __init__(self, rasa_url: str, payloads: Callable[[str], str | None], pace: Pace) -> None:
        self.url = f"{rasa_url.rstrip('/')}/webhooks/rest/webhook"
        self.payloads = payloads
        self.pace = pace
        self.http = httpx.AsyncClient(timeout=pace.grace, limits=httpx.Limits(max_connections=256))

    async def turn(self, user: int, kind: str, step: Step) -> Turn | None:
        """A typed message as it is; a button as its Rasa payload; gateway-only buttons skip."""
        message = step.say
        if step.press is not None:
            message = self.payloads(step.press)
            if message is None or not message.startswith("/"):
                return None  # consent, privacy...: plain Rasa has no such step
        sent = time.monotonic()
        turn = Turn(kind, sent, 1, crisis=step.crisis)
        try:
            response = await self.http.post(
                self.url, json={"sender": f"bench-{user}", "message": message}
            )
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            turn.error = type(error).__name__
            return turn
        arrived = time.monotonic()
        turn.replies = [arrived] * len(replies)
        turn.expected = max(len(replies), 1)  # one HTTP answer: every bubble or none
        return turn

    async def settle(self) -> None:
        """HTTP answers arrive with the request: nothing comes late."""

    async def close(self) -> None:
        """Release the connection pool."""
        await self.http.aclose()


async def person(
    client: Client,
    user: int,
    kinds: list[Kind],
    rng: random.Random,
    pace: Pace,
    stop_at: float,
    turns: list[Turn],
) -> None:
    """One person: first contact, then kinds from the mix with pauses, until the level ends."""
    await asyncio.sleep(rng.uniform(0, pace.think_max))  # people do not all arrive at once
    plan: list[Kind] = [FIRST_CONTACT]
    while time.monotonic() < stop_at:
        kind = plan.pop() if plan else pick(kinds, rng)
        for step in kind.steps:
            turn = await client.turn(user, kind.name, step)
            if turn is not None:
                turns.append(turn)
                await asyncio.sleep(pace.think(rng))
            if time.monotonic() >= stop_at:
                return


async def run_level(
    client: Client,
    users: int,
    kinds: list[Kind],
    pace: Pace,
    *,
    duration: float,
    warmup: float,
    first_user: int,
    seed: int = 7,
) -> tuple[list[Turn], tuple[float, float]]:
    """Run `users` people at once; returns their turns and the measurement window."""
    start = time.monotonic()
    window = (start + warmup, start + warmup + duration)
    turns: list[Turn] = []
    await asyncio.gather(
        *(
            person(
                client,
                first_user + i,
                kinds,
                random.Random(seed * 100_003 + i),
                pace,
                window[1],
                turns,
            )
            for i in range(users)
        )
    )
    await client.settle()
    return turns, window
