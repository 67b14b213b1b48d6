"""The router: every message from a person or a peer passes through here, whatever the transport.

Order of concerns for a person's message, most important first:
1. the crisis layers (rules and the semantic model, `bot.crisis.assess`) judge each message
   once, and a message that may signal danger is answered in the same turn;
2. a conversation owned by a peer worker is relayed to them and Rasa stays silent;
3. commands and buttons the gateway owns (consent, language, privacy, handoff);
4. everything else goes to Rasa, whose replies name texts that are rendered here in the
   person's language. When Rasa fails, the person gets a calm answer and a way to a human.

Telegram (`bot.telegram_app`) and the terminal chat (`bot.terminal`) are two transports for
this same code, so the newcomer's chat in a terminal behaves as Telegram does.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import TYPE_CHECKING

from bot import features, store
from bot.console import link as console_link
from bot.country import infer_country
from bot.crisis.answers import typed_answer
from bot.directory import chat as directory_chat
from bot.directory import coordinators
from bot.gateway.base import command_of
from bot.gateway.crisis_reply import CrisisReply
from bot.gateway.handoff import Handoff
from bot.gateway.rasa_turn import RasaTurn
from bot.gateway.rights import Rights
from bot.language import detect_language, other_language
from bot.port import Incoming, PersonView
from bot.pseudonym import pseudonymise
from bot.texts import DEFAULT_LANGUAGE, LANGUAGE_BUTTON

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.models import Peer

log = logging.getLogger(__name__)

CONSENT_VERSION = "2026-11"
GREETINGS = {
    "hallo",
    "hoi",
    "hi",
    "hey",
    "hello",
    "hee",
    "dag",
    "goedemorgen",
    "goedemiddag",
    "goedenavond",
    "good morning",
    "good evening",
    "yo",
    "hallo daar",
}
# Commands that work even while a peer owns the conversation: a person's rights come first.
ALWAYS = {"/mydata", "/forgetme", "/privacy", "/help"}
FLOOD_MESSAGES = 5  # messages a person may send within the window before they are bundled
FLOOD_WINDOW_SECONDS = 10.0


class Gateway(Rights, RasaTurn, CrisisReply, Handoff):
    """Routes messages between people, peers and Rasa."""

    # Entry point ------------------------------------------------------------------------------

    async def handle(self, incoming: Incoming) -> None:
        """Handle one message or button press (redelivered updates are dropped by the inbox)."""
        if incoming.callback and incoming.callback.startswith("claim:"):
            await self.claim_ticket(incoming, incoming.callback.removeprefix("claim:"))
            return
        if not incoming.private:
            await self._group_message(incoming)
            return
        text = (incoming.text or "").strip()
        detected = detect_language(text) if text and not text.startswith("/") else None
        with self._session() as session:  # one transaction: who writes, and where they are
            peer = store.get_peer(session, telegram_user_id=incoming.user_id)
            found = None if peer is not None else self._person(session, incoming, text, detected)
        if (  # referral directory: a coordinator's file or /aanbod command
            peer is not None
            and peer.role == "coordinator"
            and await coordinators.coordinator_message(self, incoming, peer)
        ):
            return
        if peer is not None and await console_link.peer_message(self, incoming, peer):
            return  # team console: /console sends a one-time login link
        if peer is not None and await self._peer_message(incoming, peer):
            return
        if found is None:  # a peer writing to the bot as anyone would
            with self._session() as session:
                found = self._person(session, incoming, text, detected)
        await self._person_message(incoming, text, *found)

    # A person's message -----------------------------------------------------------------------

    def _person(
        self, session: Session, incoming: Incoming, text: str, detected: str | None
    ) -> tuple[PersonView, Peer | None, int | None]:
        """The person and the peer who holds their conversation (and its ticket), if any.

        A new person is created; the language and the country are kept up to date.
        """
        person, _new = store.get_or_create_person(
            session,
            pseudonym=pseudonymise(incoming.user_id, self.settings.pseudonym_secret),
            chat_id=incoming.chat_id,
            language=detected or DEFAULT_LANGUAGE,
        )
        if detected:
            person.language = detected
        if person.country is None and text:
            person.country = infer_country(text)
        ticket = store.active_ticket_for_person(session, person_id=person.id)
        claimed_by = ticket.peer if ticket is not None and ticket.state == "claimed" else None
        return PersonView.of(person), claimed_by, ticket.id if ticket is not None else None

    async def _person_message(
        self,
        incoming: Incoming,
        text: str,
        view: PersonView,
        claimed_by: Peer | None,
        ticket_id: int | None,
    ) -> None:
        if incoming.document is not None:  # only coordinators may send the directory a file
            await coordinators.refuse_file(self, view)
            return
        if incoming.media:
            await self.say(view.chat_id, "media_text_only", view.language)
            return
        if incoming.callback is not None:
            await self._button(view, incoming.callback)
            return
        if not text:
            return
        verdict = incoming.crisis or self.assessor.assess(
            view.pseudonym, text, answering=self._answering(view.pseudonym, text)
        )
        if verdict.alarming:
            log.warning(
                "crisis layer (%s, %s, %s) for %s",
                verdict.layer,
                verdict.tier,
                verdict.kind,
                view.pseudonym[:8],
            )
            if verdict.tier == "full":
                await self._crisis(view, text, verdict.kind, announce=not incoming.crisis_announced)
            else:
                await self._ask(view, text, verdict.kind, announce=not incoming.crisis_announced)
            if claimed_by is not None and ticket_id is not None:
                await self._relay_to_peer(ticket_id, claimed_by, text)
            return
        asked = view.pseudonym in self._asked and claimed_by is None  # a peer reads answers
        answer = typed_answer(text) if asked else None
        if answer is not None:
            await self._safety_answer(view, yes=answer)
            return
        self._asked.pop(view.pseudonym, None)  # something else: the question is left behind
        await self._ordinary(
            view, text, edited=incoming.edited, claimed_by=claimed_by, ticket_id=ticket_id
        )

    async def _ordinary(
        self,
        view: PersonView,
        text: str,
        *,
        edited: bool = False,
        claimed_by: Peer | None = None,
        ticket_id: int | None = None,
    ) -> None:
        """A message the crisis layers let through: relay, command, plan step, or Rasa."""
        if edited:
            await self.say(view.chat_id, "edited_note", view.language)
            return
        if (
            claimed_by is not None
            and ticket_id is not None
            and self.texts.command(command_of(text)) not in ALWAYS
        ):
            await self._relay_to_peer(ticket_id, claimed_by, text)
            return
        if text.startswith("/"):
            await self._command(view, text)
            return
        # plan: while a plan step is open, a typed message is that step's answer
        if await self.plan.take_answer(view, text):
            return
        # end plan
        if other_language(text):
            await self.say(
                view.chat_id, "other_language", view.language, *self.texts.language_buttons()
            )
            return
        if view.consent is None:
            await self._first_contact(view, text)
            return
        if self._flooding(view.pseudonym):
            await self._keep_for_later(view, text)
            return
        if await directory_chat.answer_place(self, view, text):  # "where?" answered
            return
        await self.converse(view, text)
        await self.plan.notice(view, text)  # plan: one of their own early signs?

    def _flooding(self, pseudonym: str) -> bool:
        """Whether this message is one too many in the person's recent burst."""
        now = time.monotonic()
        recent = self._recent.setdefault(pseudonym, deque())
        while recent and now - recent[0] > FLOOD_WINDOW_SECONDS:
            recent.popleft()
        recent.append(now)
        return len(recent) > FLOOD_MESSAGES

    async def _keep_for_later(self, person: PersonView, text: str) -> None:
        """Keep a message from a burst; one calm reply per burst; answered with the next cycle."""
        if self._keep(person, text):
            await self.say(person.chat_id, "too_fast", person.language)

    async def _first_contact(self, person: PersonView, text: str) -> None:
        """Introduce the bot and ask consent; a real question waits until that is answered."""
        words = " ".join(text.lower().replace("!", " ").replace(".", " ").split())
        if text != "/start" and words not in GREETINGS:
            self._update_person(person, pending_text=text)
        await self.say(person.chat_id, "intro", person.language)
        await self.say(
            person.chat_id, "consent_ask", person.language, "consent_yes", "consent_no", "privacy"
        )

    async def _command(self, person: PersonView, text: str) -> None:
        command = self.texts.command(command_of(text))  # "/taal" is "/language"
        lang = person.language
        if command == "/start":
            if person.consent is None:
                await self._first_contact(person, command)
            else:
                await self.converse(person, "/greet")
        elif command == "/help":
            await self.say(person.chat_id, "help", lang, "menu", "peer_now")
        elif command == "/menu":
            await self.converse(person, "/menu")
        elif command == "/language":
            await self.say(person.chat_id, "language_choose", lang, *self.texts.language_buttons())
        elif command == "/mydata":
            await self._export(person)
        elif command == "/forgetme":
            await self.say(person.chat_id, "erase_confirm", lang, "erase_yes", "erase_no")
        elif command == "/country":
            await self.say(person.chat_id, "country_choose", lang, "country_nl", "country_be")
        elif command == "/privacy":
            await self.say(
                person.chat_id, "privacy", lang, retention_days=self.settings.retention_days
            )
        elif command in features.COMMANDS:
            await features.COMMANDS[command](self, person)
        elif command == "/aanbod":  # referral directory: coordinators only
            log.info("refused %s for %s: not a coordinator", command, person.pseudonym[:8])
            await self.say(person.chat_id, "dir_coordinators_only", lang)
        elif command in {"/overnemen", "/terug", "/sluiten", "/dienst", "/plan"}:
            log.info("refused %s for %s: not a peer", command, person.pseudonym[:8])
            await self.say(person.chat_id, "peer_not_registered", lang)
        else:
            await self.say(person.chat_id, "unknown_command", lang)

    async def _button(self, person: PersonView, data: str) -> None:
        key = data.removeprefix("b:")
        payload = self.texts.payload(key) if data.startswith("b:") else None
        # A catalogue button names an action; other data ("dir:…") is a feature's own, parsed
        # strictly there.
        action = data if payload is None else payload.removeprefix("gw:")
        feature = features.button_for(action)
        if feature is not None:
            await feature(self, person, action)
            return
        if payload is None:
            log.warning("unknown callback data refused")
            await self.say(person.chat_id, "button_unknown", person.language, "menu")
            return
        if payload.startswith("/"):
            await self.converse(person, payload)
            return
        lang = person.language
        if action in {"consent_yes", "consent_no"}:
            await self._consent(person, given=action == "consent_yes")
        elif action == "privacy":
            await self.say(
                person.chat_id, "privacy", lang, retention_days=self.settings.retention_days
            )
        elif action == "language":
            await self.say(person.chat_id, "language_choose", lang, *self.texts.language_buttons())
        elif action in self.texts.language_buttons():
            new = action.removeprefix(LANGUAGE_BUTTON)
            self._update_person(person, language=new)
            await self.say(person.chat_id, "language_set", new, "menu")
        elif action in {"country_nl", "country_be"}:
            self._update_person(person, country=action.removeprefix("country_").upper())
            await self.say(person.chat_id, f"{action}_set", lang, "menu")
        elif action == "peer_now":
            await self.handoff(person, reason="request", urgent=False)
        elif action in {"safety_yes", "safety_no"}:
            await self._safety_answer(person, yes=action == "safety_yes")
        elif action == "erase":
            await self._erase(person)

    async def _consent(self, person: PersonView, *, given: bool) -> None:
        with self._session() as session:
            stored = store.get_person(session, pseudonym=person.pseudonym)
            if stored is None:
                return
            store.record_consent(session, person=stored, given=given, version=CONSENT_VERSION)
            pending, stored.pending_text = stored.pending_text, None
        await self.say(person.chat_id, "consent_yes" if given else "consent_no", person.language)
        await self.converse(person, pending or "/menu")
