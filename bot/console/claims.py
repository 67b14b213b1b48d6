"""Claiming a ticket from the browser: the same atomic claim as the Telegram button.

The console runs a Gateway of its own (no Rasa turns, no crisis model: only what a claim needs)
and hands it the claim exactly as a press on "Overnemen" in the peer's private chat would, so
the person, the peer and Rasa's tracker are told the same way. Without a Telegram token (local
terminal mode) the messages are only logged, by chat and without text.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.db import session_scope
from bot.gateway import Gateway
from bot.models import Ticket
from bot.port import Incoming, Outgoing, PersonView
from bot.texts import TEAM_LANGUAGE

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)


class LogTransport:
    """Stands in for Telegram when there is no token: notes that a bubble went, never its text."""

    async def send(self, message: Outgoing) -> bool:
        """Log the chat a bubble was meant for."""
        log.info("console (no Telegram token): a message for chat %s", message.chat_id)
        return True

    async def notify(self, message: Outgoing) -> None:
        """Same as send."""
        await self.send(message)

    async def typing(self, chat_id: int) -> None:
        """Nothing to show."""

    async def send_file(self, chat_id: int, filename: str, content: bytes, caption: str) -> bool:
        """Log the chat a file was meant for."""
        return await self.send(Outgoing(chat_id, caption))


class Claimer:
    """Claims tickets for console users through a Gateway."""

    def __init__(self, settings: Settings, gateway: Gateway) -> None:
        self.settings = settings
        self.gateway = gateway

    async def claim(
        self, *, peer_id: int, telegram_user_id: int, display_name: str, ticket_id: int
    ) -> str:
        """Claim as the peer would in Telegram; "won", "lost", "closed" or "unreachable"."""
        incoming = Incoming(user_id=telegram_user_id, chat_id=telegram_user_id)
        await self.gateway.claim_ticket(incoming, str(ticket_id))  # the Telegram path itself
        with session_scope(self.settings.database_url) as session:
            ticket = session.get(Ticket, ticket_id)
            state = (ticket.state, ticket.peer_id) if ticket else (None, None)
        if state == ("claimed", peer_id):
            group = self.settings.peer_group_chat_id
            if group is not None:
                text = self.gateway.texts.say(
                    "console_claimed_in_console",
                    TEAM_LANGUAGE,
                    peer_name=display_name,
                    ticket=ticket_id,
                )
                await self.gateway.transport.notify(Outgoing(group, text))
            return "won"
        if state[0] == "claimed":
            return "lost"
        if state[0] == "open":
            return "unreachable"  # won, but the peer's private chat could not be reached
        return "closed"

    async def end(self, *, peer_id: int, ticket_id: int, closed: bool, note: str) -> bool:
        """`/terug` or `/sluiten [note]` for the holder via the gateway; False if not theirs."""
        with session_scope(self.settings.database_url) as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None or ticket.state != "claimed" or ticket.peer_id != peer_id:
                return False
            if ticket.person is None or ticket.peer is None:
                return False
            person, peer = PersonView.of(ticket.person), ticket.peer
        await self.gateway.end_handoff(ticket_id, peer, person, closed=closed, note=note)
        return True


async def telegram_claimer(settings: Settings) -> tuple[Claimer, Any]:
    """A Claimer that reaches Telegram and Rasa as the gateway does; returns it and a closer."""
    from bot.rasa_client import RasaClient

    rasa = RasaClient(settings.rasa_urls, settings.rasa_auth_token, settings.rasa_timeout_seconds)
    if settings.telegram_bot_token:
        from bot.telegram_send import TelegramTransport, make_bot

        bot = make_bot(settings)
        await bot.initialize()
        transport: Any = TelegramTransport(bot)

        async def close() -> None:
            await transport.drain(timeout=5)
            await bot.shutdown()
            await rasa.close()
    else:
        transport = LogTransport()

        async def close() -> None:
            await rasa.close()

    return Claimer(settings, Gateway(settings, rasa, transport)), close
