"""A person's rights: a copy of everything stored, erasure, and the retention period."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot import privacy, store
from bot.features import FEATURES
from bot.gateway.base import GatewayBase
from bot.port import PersonView
from bot.texts import TEAM_LANGUAGE

log = logging.getLogger(__name__)


class Rights(GatewayBase):
    """/mijngegevens, /vergeetmij and the daily purge."""

    async def _export(self, person: PersonView) -> None:
        """Send the person a file with everything stored about them."""
        with self._session() as session:
            stored = store.get_person(session, pseudonym=person.pseudonym)
            if stored is None:
                return
            data = privacy.collect(session, person=stored, settings=self.settings)
        try:
            events = privacy.tracker_events(self.settings.tracker_database_url, person.pseudonym)
        except SQLAlchemyError:
            log.error("tracker store unreadable for an export")
            events = None
        content = privacy.export_document(data, events)
        caption = self.texts.say("export_caption", person.language)
        await self.transport.send_file(
            person.chat_id, "herstelgids-mijn-gegevens.json", content, caption
        )

    async def _erase(self, person: PersonView) -> None:
        """Erase the person everywhere; a peer talking with them is told the chat has ended."""
        with self._session() as session:
            stored = store.get_person(session, pseudonym=person.pseudonym)
            if stored is None:
                return
            ticket = store.active_ticket_for_person(session, person_id=stored.id)
            peer_chat = ticket.peer.telegram_user_id if ticket and ticket.peer else None
            ticket_id = ticket.id if ticket else None
            if ticket is not None:
                store.end_ticket(session, ticket=ticket, state="closed")
            privacy.erase(session, person=stored)
        try:
            privacy.erase_tracker(self.settings.tracker_database_url, person.pseudonym)
        except SQLAlchemyError:
            log.error("tracker events could not be erased; person told to try again")
            await self.say(person.chat_id, "erase_failed", person.language)
            return
        for feature in FEATURES:  # and what this process holds in memory
            if feature.forget is not None:
                feature.forget(self, person.pseudonym)
        self.assessor.context.forget(person.pseudonym)
        self._asked.pop(person.pseudonym, None)
        self._recent.pop(person.pseudonym, None)
        if peer_chat is not None:
            await self.say(peer_chat, "peer_closed", TEAM_LANGUAGE, ticket=ticket_id)
        await self.say(person.chat_id, "erase_done", person.language)

    def purge_expired(self) -> dict[str, int]:
        """Apply the retention period (RETENTION_DAYS) to everything stored."""
        with self._session() as session:
            counts = privacy.purge(
                session, self.settings.tracker_database_url, days=self.settings.retention_days
            )
        log.info("retention purge: %s", counts)
        return counts
