"""The periodic jobs run for every transport, the terminal chat included."""

from __future__ import annotations

import asyncio
import io
import sys

import pytest

import bot.gateway.rasa_turn
import bot.terminal
from bot import jobs
from bot.gateway import Gateway
from bot.models import Person
from tests.conftest import with_settings
from tests.test_gateway import PERSON, consented, text


async def _until(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the job did not run in time")


async def test_a_message_kept_while_rasa_was_down_is_answered_by_the_jobs_alone(
    settings, rasa, transport, texts, db, crisis_model, monkeypatch
):
    monkeypatch.setattr(bot.gateway.rasa_turn, "tracker_store_persists", lambda *_: True)
    gateway = Gateway(with_settings(settings, check_every_seconds=0.05), rasa, transport)
    await consented(gateway)
    rasa.down = True
    await gateway.handle(text(PERSON, "ik wil iets vragen over groepen"))
    tasks = jobs.start(gateway, "terminal")  # no inbox: as the terminal chat starts them
    try:
        rasa.down = False
        await _until(lambda: texts.say("kept_answer", "nl") in transport.texts_to(PERSON))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert rasa.turns[-1][1] == "ik wil iets vragen over groepen"
    with db() as session:
        assert session.query(Person).one().pending_text is None


async def test_the_terminal_chat_starts_the_jobs_and_stops_them_at_the_end(
    settings, crisis_model, monkeypatch: pytest.MonkeyPatch
):
    started: list[list[asyncio.Task[None]]] = []
    real = jobs.start

    def start(gateway: Gateway, owner: str, inbox=None) -> list[asyncio.Task[None]]:
        started.append(real(gateway, owner, inbox))
        return started[-1]

    monkeypatch.setattr(jobs, "start", start)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # end of input at once
    await bot.terminal.chat(settings)
    [tasks] = started
    assert len(tasks) == 3  # checks, retention, weekly report; no inbox in a terminal
    assert all(task.done() for task in tasks)
