"""Talking to the Rasa server: its REST channel for turns, its HTTP API for tracker events.

One pooled httpx client per process (opened once, closed at shutdown) keeps connections warm.
Every failure becomes `RasaUnavailable`, so the gateway has one thing to handle.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

log = logging.getLogger(__name__)


class RasaUnavailable(RuntimeError):
    """Rasa (or the action server behind it) did not give a usable answer in time."""


class RasaClient:
    """Async client for one Rasa server."""

    def __init__(self, base_url: str, token: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )

    async def close(self) -> None:
        """Release pooled connections."""
        await self._client.aclose()

    async def turn(
        self, sender: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Send one user message through the REST channel and return Rasa's messages."""
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        try:
            response = await self._client.post(f"{self.base_url}/webhooks/rest/webhook", json=body)
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
                f"{self.base_url}/conversations/{sender}/tracker/events",
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
                f"{self.base_url}/conversations/{sender}/tracker",
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
