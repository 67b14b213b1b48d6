"""What every part of the gateway shares: its state, the database, and sending a text.

The gateway is one object (`bot.gateway.router.Gateway`) put together from parts, one module
each: the router, the Rasa turn, the crisis reply, handoff and peers, and the person's rights.
The parts call each other through that one object; each owns its own methods and constants.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from bot import store
from bot.crisis.assess import Assessment, Assessor
from bot.db import session_scope
from bot.plan.flow import PlanFlow
from bot.port import Outgoing, PersonView, Transport
from bot.texts import catalogue

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.models import Peer
    from bot.rasa_client import RasaClient
    from bot.settings import Settings

log = logging.getLogger(__name__)


class GatewayBase:
    """The state all parts use; built once per process by the transport."""

    def __init__(self, settings: Settings, rasa: RasaClient, transport: Transport) -> None:
        self.settings = settings
        self.rasa = rasa
        self.transport = transport
        self.texts = catalogue()
        self._recent: dict[str, deque[float]] = {}  # per person: times of recent messages
        # Verdicts whose crisis message went out while handling failed, by update, until handled.
        self._announced: dict[int, Assessment] = {}
        # Rasa replicas whose tracker store does not keep what it is told (tracker_check)
        self.tracker_failing: frozenset[str] = frozenset()
        self.plan = PlanFlow(self)  # plan: the signaleringsplan
        self.assessor = Assessor(settings.model_dir)
        # per person: the safety question asked (when, which kind, the message it was about),
        # so a typed "ja" or "nee" counts like the buttons; memory only, like the context
        self._asked: dict[str, tuple[float, str, str]] = {}

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with session_scope(self.settings.database_url) as session:
            yield session

    def _update_person(self, person: PersonView, **values: Any) -> None:
        """Store choices the person made (language, country, a message kept for later)."""
        with self._session() as session:
            stored = store.get_person(session, pseudonym=person.pseudonym)
            for name, value in values.items() if stored is not None else ():
                setattr(stored, name, value)

    def _peer(self, user_id: int) -> Peer | None:
        with self._session() as session:
            return store.get_peer(session, telegram_user_id=user_id)

    async def say(
        self, chat_id: int, key: str, language: str, /, *buttons: str, **args: Any
    ) -> bool:
        """Send one catalogue text with buttons named by key; False when it did not arrive."""
        return await self.transport.send(
            Outgoing(
                chat_id,
                self.texts.say(key, language, **args),
                tuple(self.texts.button(b, language) for b in buttons),
            )
        )

    def _keep(self, person: PersonView, text: str) -> bool:
        """Add a message to the ones waiting for Rasa; True when none was waiting before."""
        with self._session() as session:
            stored = store.get_person(session, pseudonym=person.pseudonym)
            if stored is None:
                return False
            first = stored.pending_text is None
            stored.pending_text = text if first else f"{stored.pending_text}\n{text}"
        return first


def command_of(text: str) -> str:
    """The command a message starts with ("/taal@herstelgids_bot nl" → "/taal"), or ""."""
    if not text.startswith("/"):
        return ""
    return text.split()[0].split("@")[0].lower()
