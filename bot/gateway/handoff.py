"""Handoff: tickets, alerts to the peer team, claims, and relaying between person and peer."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from bot import store
from bot.gateway.base import GatewayBase, command_of
from bot.models import utcnow
from bot.port import Incoming, Outgoing, PersonView
from bot.pseudonym import pseudonymise
from bot.rasa_client import RasaUnavailable
from bot.texts import TEAM_LANGUAGE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.models import Peer

log = logging.getLogger(__name__)

TRANSCRIPT_LINES = 8
TRANSCRIPT_LINE_CHARS = 200


class Handoff(GatewayBase):
    """A conversation handed to a person (ervaringsdeskundige), from the ticket to its end."""

    async def handoff(
        self,
        person: PersonView,
        *,
        reason: str,
        urgent: bool,
        latest: str | None = None,
        quiet: bool = False,
    ) -> None:
        """Open (or raise) a ticket, alert the peers, and tell the person honestly what happens."""
        transcript = await self._transcript(person, latest)
        with self._session() as session:
            stored = store.get_person(session, pseudonym=person.pseudonym)
            if stored is None:
                return
            ticket, alert = store.open_ticket(
                session, person=stored, reason=reason, urgent=urgent, transcript=transcript
            )
            ticket_id, state = ticket.id, ticket.state
            on_duty = bool(store.peers_on_duty(session))
        if alert:
            await self._alert(ticket_id)
        if quiet or state == "claimed":
            return
        lang = person.language
        if on_duty:
            await self.say(person.chat_id, "handoff_waiting_available", lang)
        else:
            await self.say(
                person.chat_id,
                "handoff_waiting_offline",
                lang,
                next_shift=self.texts.say("peer_hours", lang),
            )

    async def _transcript(
        self, person: PersonView, latest: str | None, since: dt.datetime | None = None
    ) -> str:
        """A short, pseudonymous excerpt of the conversation for the peer (optionally since)."""
        after = since.replace(tzinfo=dt.timezone.utc).timestamp() if since else 0.0
        lines: list[str] = []
        you = self.texts.say("transcript_person", TEAM_LANGUAGE)
        bot = self.texts.say("transcript_bot", TEAM_LANGUAGE)
        try:
            tracker = await self.rasa.tracker(person.pseudonym)
            for event in tracker.get("events", []):
                if event.get("timestamp", 0.0) <= after:
                    continue
                if (
                    event.get("event") == "user"
                    and event.get("text")
                    and not event["text"].startswith("/")
                ):
                    lines.append(f"{you}: {event['text']}")
                elif event.get("event") == "bot":
                    say = ((event.get("data") or {}).get("custom") or {}).get("say")
                    if isinstance(say, str) and self.texts.has(say):
                        first = self.texts.say(say, person.language).splitlines()[0]
                        lines.append(f"{bot}: {first}")
        except RasaUnavailable:
            log.warning("no transcript from rasa (unavailable)")
        if latest:
            lines.append(f"{you}: {latest}")
        lines = [line[:TRANSCRIPT_LINE_CHARS] for line in lines[-TRANSCRIPT_LINES:]]
        return "\n".join(lines)

    def _peer_chats(self, session: Session) -> list[int]:
        if self.settings.peer_group_chat_id is not None:
            return [self.settings.peer_group_chat_id]
        return [peer.telegram_user_id for peer in store.list_peers(session)]

    async def _alert(self, ticket_id: int, *, again: bool = False) -> None:
        """Announce a ticket to the peer team with a button to take it over."""
        with self._session() as session:
            ticket = store.get_ticket(session, ticket_id=ticket_id)
            if ticket is None:
                return
            ticket.announced_at = utcnow()
            chats = self._peer_chats(session)
            args = {
                "ticket": ticket.id,
                "urgency_label": self.texts.say(f"urgency_{ticket.urgency}", TEAM_LANGUAGE),
                "reason_label": self.texts.say(f"reason_{ticket.reason}", TEAM_LANGUAGE),
                "language": ticket.language,
                "transcript": ticket.transcript,
                "minutes": int((utcnow() - ticket.created_at).total_seconds() // 60),
            }
        if not chats:
            log.error("ticket %s has no peer chat to go to (set PEER_GROUP_CHAT_ID)", ticket_id)
        claim = self.texts.button("claim", TEAM_LANGUAGE, data=f"claim:{ticket_id}")
        text = self.texts.say("peer_reannounce" if again else "peer_alert", TEAM_LANGUAGE, **args)
        for chat in chats:
            await self.transport.notify(Outgoing(chat, text, (claim,)))

    async def reannounce_waiting(self) -> int:
        """Announce again urgent tickets nobody has claimed; returns how many."""
        with self._session() as session:
            waiting = [
                t.id
                for t in store.tickets_to_reannounce(
                    session, older_than_minutes=self.settings.peer_reannounce_minutes
                )
            ]
        for ticket_id in waiting:
            await self._alert(ticket_id, again=True)
        return len(waiting)

    # Peers ------------------------------------------------------------------------------------

    async def _group_message(self, incoming: Incoming) -> None:
        text = (incoming.text or "").strip()
        if command_of(text) == "/overnemen":
            await self.claim_ticket(incoming, text.partition(" ")[2].strip())

    async def claim_ticket(self, incoming: Incoming, argument: str) -> None:
        """A peer takes a ticket: atomic, so of two peers at once exactly one wins."""
        reply_to = incoming.chat_id
        peer = self._peer(incoming.user_id)
        if peer is None:
            log.info(
                "refused a claim by %s: not a peer",
                pseudonymise(incoming.user_id, self.settings.pseudonym_secret)[:8],
            )
            await self.say(reply_to, "peer_not_registered", TEAM_LANGUAGE)
            return
        if not argument.lstrip("#").isdigit():
            await self.say(reply_to, "peer_usage_claim", TEAM_LANGUAGE)
            return
        ticket_id = int(argument.lstrip("#"))
        with self._session() as session:
            won = store.claim_ticket(session, ticket_id=ticket_id, peer=peer)
            ticket = store.get_ticket(session, ticket_id=ticket_id)
            gone = ticket is None or ticket.person is None  # unknown, or the person erased
            if not gone:
                session.refresh(ticket)
                lost = not won and ticket.state == "claimed"
                holder = ticket.peer.display_name if ticket.peer else "?"
                person = PersonView.of(ticket.person)
                alerted, created = ticket.transcript, ticket.created_at
        if gone:
            await self.say(reply_to, "peer_claim_closed", TEAM_LANGUAGE, ticket=ticket_id)
            return
        if not won:
            key = "peer_claim_lost" if lost else "peer_claim_closed"
            await self.say(reply_to, key, TEAM_LANGUAGE, ticket=ticket_id, peer_name=holder)
            return
        won_text = self.texts.say("peer_claim_won", TEAM_LANGUAGE, ticket=ticket_id)
        if not await self.transport.send(Outgoing(peer.telegram_user_id, won_text)):
            with self._session() as session:
                store.release_ticket(session, ticket_id=ticket_id)
            await self.say(
                reply_to, "peer_start_private_first", TEAM_LANGUAGE, peer_name=peer.display_name
            )
            return
        if reply_to != peer.telegram_user_id:
            await self.say(
                reply_to, "peer_claimed_by", TEAM_LANGUAGE, ticket=ticket_id, peer_name=holder
            )
        since = await self._transcript(person, None, since=created)
        transcript = "\n".join(part for part in (alerted, since) if part)
        if transcript:
            await self.transport.send(Outgoing(peer.telegram_user_id, transcript))
        await self.say(person.chat_id, "handoff_claimed", person.language, peer_name=holder)
        await self.plan.peer_claimed(peer.telegram_user_id, person)
        await self._record_handoff(person, "claimed")

    async def _record_handoff(self, person: PersonView, state: str | None) -> None:
        events: list[dict[str, Any]] = [{"event": "slot", "name": "handoff", "value": state}]
        if state in {"crisis", "claimed"}:
            # Recovery conversations: a form open at that moment (the four questions,
            # the disclosure aid) ends, so a later message is never taken as one of its answers.
            events.append({"event": "active_loop", "name": None})
            events.append({"event": "slot", "name": "requested_slot", "value": None})
        try:
            await self.rasa.append_events(person.pseudonym, events)
        except RasaUnavailable:
            log.warning("could not record handoff state in the tracker (rasa unavailable)")

    def _keep_relay(self, ticket_id: int, direction: str, text: str) -> int | None:
        """Store a relayed message before sending it, so a crash cannot lose it."""
        with self._session() as session:
            ticket = store.get_ticket(session, ticket_id=ticket_id)
            if ticket is None:
                return None
            return store.add_relay(session, ticket=ticket, direction=direction, text=text).id

    def _delivered(self, relay_id: int | None) -> None:
        with self._session() as session:
            store.mark_delivered(session, relay_id=relay_id)

    async def _relay_to_peer(self, ticket_id: int, peer: Peer, text: str) -> None:
        relay_id = self._keep_relay(ticket_id, "to_peer", text)
        if await self.say(
            peer.telegram_user_id, "peer_from_client", TEAM_LANGUAGE, ticket=ticket_id, text=text
        ):
            self._delivered(relay_id)

    async def _peer_message(self, incoming: Incoming, peer: Peer) -> bool:
        """Handle a registered peer's private message; False when it is not peer business."""
        text = (incoming.text or "").strip()
        command = command_of(text)
        argument = text.partition(" ")[2].strip()
        chat = incoming.chat_id
        if command == "/overnemen":
            await self.claim_ticket(incoming, argument)
            return True
        if command == "/dienst":
            on = argument.lower() in {"aan", "on", "ja"}
            with self._session() as session:
                stored = store.get_peer(session, telegram_user_id=peer.telegram_user_id)
                if stored is not None:
                    stored.on_duty = on
            await self.say(chat, "peer_duty_on" if on else "peer_duty_off", TEAM_LANGUAGE)
            return True
        with self._session() as session:
            ticket = store.active_ticket_for_peer(session, peer_id=peer.id)
            person = PersonView.of(ticket.person) if ticket and ticket.person else None
            ticket_id = ticket.id if ticket else None
        if command in {"/terug", "/sluiten"}:
            if ticket_id is None or person is None:
                await self.say(chat, "peer_no_ticket", TEAM_LANGUAGE)
                return True
            await self.end_handoff(
                ticket_id, peer, person, closed=command == "/sluiten", note=argument
            )
            return True
        if command == "/plan":  # plan: ask the person to show their plan
            if ticket_id is None or person is None:
                await self.say(chat, "peer_no_ticket", TEAM_LANGUAGE)
            else:
                await self.plan.peer_asks(peer, ticket_id, person)
            return True
        if ticket_id is None or person is None:
            return False  # a peer with no conversation open talks to the bot like anyone
        if incoming.media or not text:
            await self.say(chat, "media_text_only", TEAM_LANGUAGE)
            return True
        relay_id = self._keep_relay(ticket_id, "to_person", text)
        if await self.say(
            person.chat_id,
            "relay_from_peer",
            person.language,
            peer_name=peer.display_name,
            text=text,
        ):
            self._delivered(relay_id)
        return True

    async def end_handoff(
        self, ticket_id: int, peer: Peer, person: PersonView, *, closed: bool, note: str
    ) -> None:
        """The peer gives the conversation back to the bot (/terug) or closes it (/sluiten)."""
        with self._session() as session:
            ticket = store.get_ticket(session, ticket_id=ticket_id)
            if ticket is not None:
                store.end_ticket(
                    session,
                    ticket=ticket,
                    state="closed" if closed else "returned",
                    note=note or None,
                )
        await self.say(
            peer.telegram_user_id,
            "peer_closed" if closed else "peer_returned",
            TEAM_LANGUAGE,
            ticket=ticket_id,
        )
        key = "handoff_closed" if closed else "handoff_returned"
        await self.say(person.chat_id, key, person.language, peer_name=peer.display_name)
        await self._record_handoff(person, None)
        await self.converse(person, "/menu")
