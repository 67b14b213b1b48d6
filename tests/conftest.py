"""Shared fixtures: a migrated database per test, a recording transport, a scripted Rasa."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from typing import Any

import pytest
from sqlalchemy import text

from bot.db import get_engine, session_scope, upgrade
from bot.gateway import Gateway
from bot.models import Base
from bot.port import Outgoing
from bot.rasa_client import RasaUnavailable
from bot.settings import Settings
from bot.texts import catalogue


@pytest.fixture
def settings(tmp_path) -> Settings:
    """A fresh, migrated database: SQLite, or TEST_DATABASE_URL (e.g. PostgreSQL) when set."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'app.db'}"
    if "TEST_DATABASE_URL" in os.environ:
        with get_engine(url).begin() as connection:
            Base.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(url)
    return Settings(
        database_url=url,
        tracker_database_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        pseudonym_secret="test-secret",
        rasa_auth_token="test-token",
        peer_group_chat_id=-100,
    )


@pytest.fixture
def texts():
    return catalogue()


class RecordingTransport:
    """Keeps every bubble, per chat, as a person would see them."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.typing_in: list[int] = []
        self.unreachable: set[int] = set()  # chats that never started the bot
        self.files: list[tuple[int, str, bytes]] = []

    async def send(self, message: Outgoing) -> bool:
        if message.chat_id in self.unreachable:
            return False
        self.sent.append(message)
        return True

    async def notify(self, message: Outgoing) -> None:
        await self.send(message)

    async def send_file(self, chat_id: int, filename: str, content: bytes, caption: str) -> bool:
        self.files.append((chat_id, filename, content))
        return await self.send(Outgoing(chat_id, caption))

    async def typing(self, chat_id: int) -> None:
        self.typing_in.append(chat_id)

    def to(self, chat_id: int) -> list[Outgoing]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def texts_to(self, chat_id: int) -> list[str]:
        return [m.text for m in self.to(chat_id)]

    def clear(self) -> None:
        self.sent.clear()


class ScriptedRasa:
    """Stands in for Rasa in unit tests: answers by the message, or is down."""

    replicas = ("scripted",)

    def url_for(self, sender: str) -> str:
        return self.replicas[0]

    def __init__(self) -> None:
        self.down = False
        self.delay = 0.0  # seconds a turn takes
        self.turns: list[tuple[str, str]] = []
        self.stamps: list[float] = []
        self.events: list[tuple[str, list[dict[str, Any]]]] = []
        self.replies: dict[str, list[dict[str, Any]]] = {}

    async def turn(self, sender: str, message: str, metadata: dict | None = None):
        if self.down:
            raise RasaUnavailable("down")
        await asyncio.sleep(self.delay)
        self.turns.append((sender, message))
        self.stamps.append(time.time())
        return self.replies.get(message, [{"custom": {"say": "menu", "buttons": ["peer_now"]}}])

    async def append_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        if self.down:
            raise RasaUnavailable("down")
        self.events.append((sender, events))

    async def tracker(self, sender: str) -> dict[str, Any]:
        if self.down:
            raise RasaUnavailable("down")
        return {
            "events": [
                {"event": "user", "text": m, "timestamp": t}
                for (s, m), t in zip(self.turns, self.stamps, strict=False)
                if s == sender
            ]
        }

    async def close(self) -> None:
        pass


@pytest.fixture
def transport() -> RecordingTransport:
    return RecordingTransport()


@pytest.fixture
def rasa() -> ScriptedRasa:
    return ScriptedRasa()


@pytest.fixture(scope="session")
def crisis_model():
    """The semantic crisis layer's model: trained once, reused while the corpus is unchanged."""
    from bot.crisis.model_file import ensure_model
    from bot.settings import ROOT

    return ensure_model(ROOT / "models")


@pytest.fixture
def gateway(settings, rasa, transport, crisis_model) -> Gateway:
    return Gateway(settings, rasa, transport)


@pytest.fixture
def db(settings):
    def scope():
        return session_scope(settings.database_url)

    return scope


def with_settings(settings: Settings, **changes: Any) -> Settings:
    return dataclasses.replace(settings, **changes)


@pytest.fixture(scope="session")
def trained_model():
    """The model for the current training data: trained once, reused while data is unchanged."""
    from bot.crisis.model_file import ensure_model as ensure_crisis_model
    from bot.model import ensure_model
    from bot.settings import ROOT

    ensure_crisis_model(ROOT / "models")
    return ensure_model(ROOT / "models")
