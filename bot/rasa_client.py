"""Talking to Rasa: its REST channel for turns, its HTTP API for tracker events.

One pooled httpx client per process (opened once, closed at shutdown) keeps connections warm.
Every failure becomes `RasaUnavailable`, so the gateway has one thing to handle. With several
Rasa replicas (RASA_URL=a,b,...), each conversation always goes to the same one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

import httpx

log = logging.getLogger(__name__)


class RasaUnavailable(RuntimeError):
    """Rasa (or the action server behind it) did not give a usable answer in time."""


def replica_for(sender: str, replicas: Sequence[str]) -> str:
    """The replica that holds this conversation, by rendezvous hashing of the sender id.

    Rasa Open Source locks a conversation only inside one process (its Redis lock store races
    across replicas, RasaHQ/rasa#9213), so all of one person's messages must reach the same
    replica. Rendezvous hashing keeps that choice stable, and when a replica is added or
    removed only the conversations that hash to it move.
    """
    if len(replicas) == 1:
        return replicas[0]
    return max(replicas, key=lambda url: hashlib.sha256(f"{url} {sender}".encode()).digest())


class RasaClient:
    """Async client for one Rasa server or several replicas sharing one tracker store."""

    def __init__(self, base_urls: Sequence[str], token: str, timeout: float) -> None:
        self.replicas = tuple(url.rstrip("/") for url in base_urls)
        self.token = token
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )

    def url_for(self, sender: str) -> str:
        """Base URL of the replica for this conversation."""
        return replica_for(sender, self.replicas)

    async def close(self) -> None:
        """Release pooled connections."""
        await self._client.aclose()

    async def turn(
        self, sender: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Send one user message through the REST channel and return Rasa's messages."""
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        url = f"{self.url_for(sender)}/webhooks/rest/webhook"
        try:
            response = await self._client.post(url, json=body)
            response.raise_for_status()
            messages = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(type(error).__name__) from error
        if not isinstance(messages, list):
            raise RasaUnavailable("unexpected reply shape")
        if _action_server_failed(messages):
            raise RasaUnavailable("action server")
        return messages

    async def append_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        """Record events (e.g. a handoff) in the conversation's tracker via the HTTP API."""
        try:
            response = await self._client.post(
                f"{self.url_for(sender)}/conversations/{sender}/tracker/events",
                params={"token": self.token, "include_events": "NONE"},
                json=events,
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(type(error).__name__) from error

    async def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation's tracker (events since the last restart of the session)."""
        try:
            response = await self._client.get(
                f"{self.url_for(sender)}/conversations/{sender}/tracker",
                params={"token": self.token, "include_events": "AFTER_RESTART"},
            )
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(type(error).__name__) from error


def _action_server_failed(messages: list[dict[str, Any]]) -> bool:
    """Rasa answers an unreachable action server with an empty list; a turn never should.

    Every rule and story in this bot ends in a response, so an empty answer means something
    behind Rasa failed and the person must not be met with silence.
    """
    return not messages
