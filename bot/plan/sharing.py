"""Showing the plan to the peer who took the conversation: only on the person's yes, each time.

Part of the plan's flow (`bot.plan.flow.PlanFlow`, which uses its own state and helpers here):
the peer learns a plan exists when they take the conversation, asks with `/plan`, and the
person answers with a button; nothing is shown without that yes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot import store
from bot.plan import STEPS, pdf
from bot.texts import TEAM_LANGUAGE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.models import Peer
    from bot.port import PersonView

log = logging.getLogger(__name__)

PEER_ANSWER_CHARS = 450


class PeerSharing:
    """The peer side of the plan, mixed into PlanFlow."""

    def _shared(self, person: PersonView) -> bool:
        with self._plan(person) as (_, plan):
            return plan is not None and plan.share_with_peer is True

    async def peer_claimed(self, peer_chat: int, person: PersonView) -> None:
        """Tell the peer who took the conversation that a plan exists, if the person agreed."""
        if self.cipher.ready and self._shared(person):
            await self.gw.say(peer_chat, "plan_peer_exists", TEAM_LANGUAGE)

    async def peer_asks(self, peer: Peer, ticket_id: int, person: PersonView) -> None:
        """A peer's `/plan`: the person is asked; nothing is shown without their yes."""
        if not self.cipher.ready or not self._shared(person):
            await self.gw.say(peer.telegram_user_id, "plan_peer_none", TEAM_LANGUAGE)
            return
        self._peer_requests[person.pseudonym] = ticket_id
        await self.gw.say(
            person.chat_id,
            "plan_person_asked",
            person.language,
            "plan_show_peer_yes",
            "plan_show_peer_no",
            peer_name=peer.display_name,
        )
        await self.gw.say(peer.telegram_user_id, "plan_peer_asked", TEAM_LANGUAGE)

    async def _answer_peer(self, person: PersonView, yes: bool) -> None:
        ticket_id = self._peer_requests.pop(person.pseudonym, None)
        with self._session() as session:
            peer = _claiming_peer(session, person, ticket_id)
            peer_chat, peer_name = (peer.telegram_user_id, peer.display_name) if peer else (0, "")
        if not peer_chat:
            await self.gw.say(person.chat_id, "plan_person_not_shared", person.language)
            return
        if not yes:
            await self.gw.say(person.chat_id, "plan_person_not_shared", person.language)
            await self.gw.say(peer_chat, "plan_peer_declined", TEAM_LANGUAGE)
            return
        answers = self._answers(person) or {}
        body = self._steps_text(answers, TEAM_LANGUAGE, STEPS, PEER_ANSWER_CHARS)
        await self.gw.say(peer_chat, "plan_peer_shown", TEAM_LANGUAGE, ticket=ticket_id, plan=body)
        content = pdf.render(answers, TEAM_LANGUAGE, self.texts)
        caption = self.texts.say("plan_pdf_caption", TEAM_LANGUAGE)
        await self.gw.transport.send_file(
            peer_chat, self.texts.say("plan_pdf_filename", TEAM_LANGUAGE), content, caption
        )
        log.info("plan shown to peer with consent (ticket %s)", ticket_id)
        await self.gw.say(
            person.chat_id, "plan_person_shared", person.language, peer_name=peer_name
        )


def _claiming_peer(session: Session, person: PersonView, ticket_id: int | None) -> Peer | None:
    """The peer who holds the ticket a plan request was made for, if it is still theirs."""
    ticket = store.active_ticket_for_person(session, person_id=person.id)
    if ticket is None or ticket.id != ticket_id or ticket.state != "claimed":
        return None
    return ticket.peer
