"""The gateway: every message from a person or a peer passes through here, whatever the transport.

Order of concerns for a person's message, most important first:
1. the crisis layer (rules, no ML) answers a message that may signal danger in the same turn;
2. a conversation owned by a peer worker is relayed to them and Rasa stays silent;
3. commands and buttons the gateway owns (consent, language, privacy, handoff);
4. everything else goes to Rasa, whose replies name texts that are rendered here in the
   person's language. When Rasa fails, the person gets a calm answer and a way to a human.

Telegram (`bot.telegram_app`) and the terminal chat (`bot.terminal`) are two transports for
this same code, so the newcomer's chat in a terminal behaves as Telegram does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from bot import privacy, store, strengths
from bot.console import link as console_link
from bot.country import infer_country
from bot.crisis.answers import typed_answer
from bot.crisis.assess import Assessment, Assessor
from bot.db import session_scope
from bot.directory import chat as directory_chat
from bot.inbox import known_update
from bot.language import detect_language, other_language
from bot.models import utcnow
from bot.plan.flow import PlanFlow
from bot.port import Incoming, Outgoing, PersonView, Transport
from bot.pseudonym import pseudonymise
from bot.rasa_client import RasaUnavailable
from bot.texts import DEFAULT_LANGUAGE, TEAM_LANGUAGE, catalogue
from bot.tracker_check import probe_sender, tracker_store_persists

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.models import Peer
    from bot.rasa_client import RasaClient
    from bot.settings import Settings

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
ALWAYS = {"/mijngegevens", "/mydata", "/vergeetmij", "/forgetme", "/privacy", "/help", "/hulp"}
FLOOD_MESSAGES = 5  # messages a person may send within the window before they are bundled
FLOOD_WINDOW_SECONDS = 10.0
TYPING_AFTER_SECONDS = 0.3  # a Rasa turn slower than this shows "typing…"
TRANSCRIPT_LINES = 8
TRANSCRIPT_LINE_CHARS = 200
ASKED_SECONDS = 600.0  # a typed "ja" counts as the answer to the safety question this long
# The ticket's reason per kind of danger (the peer team reads it in the alert).
CRISIS_REASONS = {"self": "crisis", "others": "harm_others", "from_others": "danger_from_others"}


class Gateway:
    """Routes messages between people, peers and Rasa."""

    def __init__(self, settings: Settings, rasa: RasaClient, transport: Transport) -> None:
        self.settings = settings
        self.rasa = rasa
        self.transport = transport
        self.texts = catalogue()
        self._recent: dict[str, deque[float]] = {}  # per person: times of recent messages
        self._crisis_sent: set[int] = set()  # lines sent while handling failed, until handled
        # Rasa replicas whose tracker store does not keep what it is told (tracker_check)
        self.tracker_failing: frozenset[str] = frozenset()
        self.plan = PlanFlow(self)  # plan: the signaleringsplan
        self.assessor = Assessor(settings.model_dir)
        # per person: the safety question asked (when, which kind, the message it was about),
        # so a typed "ja" or "nee" counts like the buttons; memory only, like the context
        self._asked: dict[str, tuple[float, str, str]] = {}

    # Entry point ------------------------------------------------------------------------------

    async def handle(self, incoming: Incoming) -> None:
        """Handle one message or button press (redelivered updates are dropped by the inbox)."""
        if incoming.callback and incoming.callback.startswith("claim:"):
            await self._claim_command(incoming, incoming.callback.removeprefix("claim:"))
            return
        if not incoming.private:
            await self._group_message(incoming)
            return
        peer = self._peer(incoming.user_id)
        if (  # referral directory: a coordinator's file or /aanbod command
            peer is not None
            and peer.role == "coordinator"
            and await directory_chat.coordinator_message(self, incoming, peer)
        ):
            return
        if peer is not None and await console_link.peer_message(self, incoming, peer):
            return  # team console: /console sends a one-time login link
        if peer is not None and await self._peer_message(incoming, peer):
            return
        await self._person_message(incoming)

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

    # A person's message -----------------------------------------------------------------------

    async def _person_message(self, incoming: Incoming) -> None:
        text = (incoming.text or "").strip()
        detected = detect_language(text) if text and not text.startswith("/") else None
        with self._session() as session:
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
            view = PersonView.of(person)
            ticket = store.active_ticket_for_person(session, person_id=person.id)
            claimed_by = ticket.peer if ticket is not None and ticket.state == "claimed" else None
            ticket_id = ticket.id if ticket is not None else None

        if incoming.document is not None:  # only coordinators may send the directory a file
            await directory_chat.refuse_file(self, view)
            return
        if incoming.media:
            await self.say(view.chat_id, "media_text_only", view.language)
            return
        if incoming.callback is not None:
            await self._button(view, incoming.callback)
            return
        if not text:
            return
        verdict = incoming.crisis or self.assessor.assess(view.pseudonym, text)
        if verdict.alarming:
            log.warning(
                "crisis layer (%s, %s, %s) for %s",
                verdict.layer,
                verdict.tier,
                verdict.kind,
                view.pseudonym[:8],
            )
            if verdict.tier == "full":
                await self._crisis(view, text, verdict.kind, announce=not incoming.crisis_answered)
            else:
                await self._ask(view, text, verdict.kind, announce=not incoming.crisis_answered)
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
        if claimed_by is not None and ticket_id is not None and _command(text) not in ALWAYS:
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
            await self.say(view.chat_id, "other_language", view.language, "lang_nl", "lang_en")
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

    def _keep(self, person: PersonView, text: str) -> bool:
        """Add a message to the ones waiting for Rasa; True when none was waiting before."""
        with self._session() as session:
            stored = store.get_person(session, pseudonym=person.pseudonym)
            if stored is None:
                return False
            first = stored.pending_text is None
            stored.pending_text = text if first else f"{stored.pending_text}\n{text}"
        return first

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
        command = _command(text)
        lang = person.language
        if command == "/start":
            if person.consent is None:
                await self._first_contact(person, command)
            else:
                await self.converse(person, "/greet")
        elif command in {"/help", "/hulp"}:
            await self.say(person.chat_id, "help", lang, "menu", "peer_now")
        elif command == "/menu":
            await self.converse(person, "/menu")
        elif command in {"/taal", "/language"}:
            await self.say(person.chat_id, "language_choose", lang, "lang_nl", "lang_en")
        elif command in {"/mijngegevens", "/mydata"}:
            await self._export(person)
        elif command in {"/vergeetmij", "/forgetme"}:
            await self.say(person.chat_id, "erase_confirm", lang, "erase_yes", "erase_no")
        elif command in {"/land", "/country"}:
            await self.say(person.chat_id, "country_choose", lang, "country_nl", "country_be")
        elif command == "/privacy":
            await self.say(
                person.chat_id, "privacy", lang, retention_days=self.settings.retention_days
            )
        elif command in {"/mijnplan", "/myplan"}:
            await self.plan.open(person)
        elif command in strengths.COMMANDS:
            await strengths.show(self, person)
        elif command == "/aanbod":  # referral directory: coordinators only
            log.info("refused %s for %s: not a coordinator", command, person.pseudonym[:8])
            await self.say(person.chat_id, "dir_coordinators_only", lang)
        elif command in {"/overnemen", "/terug", "/sluiten", "/dienst", "/plan"}:
            log.info("refused %s for %s: not a peer", command, person.pseudonym[:8])
            await self.say(person.chat_id, "peer_not_registered", lang)
        else:
            await self.say(person.chat_id, "unknown_command", lang)

    async def _button(self, person: PersonView, data: str) -> None:
        if data.startswith("dir:"):  # referral directory: parsed strictly there
            await directory_chat.button(self, person, data)
            return
        key = data.removeprefix("b:")
        payload = self.texts.payload(key) if data.startswith("b:") else None
        if payload is None:
            log.warning("unknown callback data refused")
            await self.say(person.chat_id, "button_unknown", person.language, "menu")
            return
        if payload.startswith("/"):
            await self.converse(person, payload)
            return
        action = payload.removeprefix("gw:")
        lang = person.language
        if action in {"consent_yes", "consent_no"}:
            await self._consent(person, given=action == "consent_yes")
        elif action == "privacy":
            await self.say(
                person.chat_id, "privacy", lang, retention_days=self.settings.retention_days
            )
        elif action == "language":
            await self.say(person.chat_id, "language_choose", lang, "lang_nl", "lang_en")
        elif action in {"lang_nl", "lang_en"}:
            new = action.removeprefix("lang_")
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
        elif action.startswith("plan_"):
            await self.plan.button(person, action)

    async def _consent(self, person: PersonView, *, given: bool) -> None:
        with self._session() as session:
            stored = store.get_person(session, pseudonym=person.pseudonym)
            if stored is None:
                return
            store.record_consent(session, person=stored, given=given, version=CONSENT_VERSION)
            pending, stored.pending_text = stored.pending_text, None
        await self.say(person.chat_id, "consent_yes" if given else "consent_no", person.language)
        await self.converse(person, pending or "/menu")

    # Privacy ----------------------------------------------------------------------------------

    async def _export(self, person: PersonView) -> None:
        """Send the person a file with everything stored about them."""
        with self._session() as session:
            stored = store.get_person(session, pseudonym=person.pseudonym)
            if stored is None:
                return
            data = privacy.collect(session, person=stored)
            data["signaleringsplan"] = self.plan.export(session, stored.id)
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
        self.plan.forget(person.pseudonym)  # plan: and what this process holds
        self.assessor.context.forget(person.pseudonym)
        self._asked.pop(person.pseudonym, None)
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

    # Rasa -------------------------------------------------------------------------------------

    async def converse(self, person: PersonView, message: str) -> None:
        """One turn with Rasa, rendered in the person's language.

        When Rasa cannot answer, a typed message is kept and answered once Rasa is back
        (`answer_kept`); a button press is not kept, the person can press it again.
        """
        typing = asyncio.create_task(self._typing_after(person.chat_id, TYPING_AFTER_SECONDS))
        try:
            replies = await self._rasa_turn(person, message)
        except RasaUnavailable as error:
            log.error("rasa unavailable (%s) for %s", error, person.pseudonym[:8])
            typed = not message.startswith("/")
            if typed:
                self._keep(person, message)
            key = "engine_down_kept" if typed else "engine_down"
            await self.say(person.chat_id, key, person.language, "peer_now")
            return
        finally:
            typing.cancel()
        for reply in replies:
            await self._render(person, reply)

    async def _rasa_turn(self, person: PersonView, message: str) -> list[dict[str, Any]]:
        """One turn with Rasa in the person's language (the only place that calls Rasa).

        Unavailable too while the person's replica does not keep conversations: Rasa would
        answer, and then forget the turn.
        """
        if self.rasa.url_for(person.pseudonym) in self.tracker_failing:
            raise RasaUnavailable("tracker store not keeping conversations")
        return await self.rasa.turn(person.pseudonym, message, {"language": person.language})

    async def _typing_after(self, chat_id: int, seconds: float) -> None:
        """Show "typing…" only when Rasa takes a while.

        Every typing action counts against Telegram's 30 requests per second like a message;
        sent on every turn it was a third of the budget (make bench), for turns that mostly
        take under 0.1 s.
        """
        await asyncio.sleep(seconds)
        await self.transport.typing(chat_id)

    async def check_tracker_store(self) -> bool:
        """Probe Rasa's tracker store through each replica; log when that changes.

        Only the conversations of a failing replica are held back; the others go on.
        """
        settings, before = self.settings, self.tracker_failing

        def failing() -> frozenset[str]:
            found = set()
            for url in self.rasa.replicas:
                sender = probe_sender(settings.replica_name, url)
                kept = tracker_store_persists(
                    url, settings.rasa_auth_token, settings.tracker_database_url, sender
                )
                if kept is False or (kept is None and url in before):  # None: no news
                    found.add(url)
            return frozenset(found)

        now_failing = await asyncio.to_thread(failing)
        if now_failing != self.tracker_failing:
            if now_failing:
                log.error(
                    "Rasa's tracker store is not keeping conversations through %d of %d "
                    "replicas (database down, or Rasa fell back to memory): their messages are "
                    "kept until it works again",
                    len(now_failing),
                    len(self.rasa.replicas),
                )
            else:
                log.warning("Rasa's tracker store keeps conversations again")
        self.tracker_failing = now_failing
        return not now_failing

    async def answer_kept(self) -> int:
        """Answer messages kept while Rasa was down; stops at the first failure. Returns count."""
        with self._session() as session:
            waiting = [(PersonView.of(p), p.pending_text) for p in store.people_waiting(session)]
        answered = 0
        for person, message in waiting:
            if self.rasa.url_for(person.pseudonym) in self.tracker_failing:
                continue  # its replica still does not keep conversations
            try:
                replies = await self._rasa_turn(person, message)
            except RasaUnavailable:
                return answered
            self._update_person(person, pending_text=None)
            await self.say(person.chat_id, "kept_answer", person.language)
            for reply in replies:
                await self._render(person, reply)
            answered += 1
        return answered

    async def _render(self, person: PersonView, reply: dict[str, Any]) -> None:
        custom = reply.get("custom") or {}
        lang = person.language
        if isinstance(custom, dict) and isinstance(custom.get("say"), str):
            key = custom["say"]
            if not self.texts.has(key):
                log.error("rasa named an unknown text %r", key)
                return
            buttons = [b for b in custom.get("buttons", []) if self.texts.payload(b) is not None]
            args = custom.get("args") if isinstance(custom.get("args"), dict) else {}
            variant = custom.get("variant") if isinstance(custom.get("variant"), int) else 0
            await self.say(person.chat_id, key, lang, *buttons, variant=variant, **args)
        elif isinstance(reply.get("text"), str):
            await self.transport.send(Outgoing(person.chat_id, reply["text"]))
        signal = custom.get("signal") if isinstance(custom, dict) else None
        if signal == "handoff":
            reason = (
                custom.get("reason")
                if custom.get("reason") in {"request", "not_understood"}
                else "request"
            )
            await self.handoff(person, reason=reason, urgent=False)
        elif signal == "plan_open":
            await self.plan.open(person)
        elif signal == "strengths_save":
            await strengths.on_save(self, person, custom)
        elif signal == "directory_search":
            await directory_chat.search(self, person, custom.get("text"))

    # Crisis -----------------------------------------------------------------------------------

    def crisis_lines(
        self, language: str, country: str | None, now: dt.datetime | None = None
    ) -> str:
        """The lines that fit where the person lives; both countries, briefly, while unknown."""
        status = self._chat_1813_status(language, now)
        key = {"NL": "crisis_lines_nl", "BE": "crisis_lines_be"}.get(country or "")
        return self.texts.say(key or "crisis_lines_both", language, chat_1813_status=status)

    def _reachable_now(self, language: str, country: str | None) -> str:
        """Who answers right now, day or night: never a person who is not there."""
        status = self._chat_1813_status(language, None)
        key = {"NL": "reachable_nl", "BE": "reachable_be"}.get(country or "", "reachable_both")
        return self.texts.say(key, language, chat_1813_status=status)

    def _chat_1813_status(self, language: str, now: dt.datetime | None) -> str:
        hours = self.texts.helplines["chat_1813"]
        local = (now or dt.datetime.now(dt.timezone.utc)).astimezone(ZoneInfo(hours["timezone"]))
        opens = dt.time.fromisoformat(hours["opens"])
        if local.time() >= opens:
            return self.texts.say("chat_1813_open", language)
        return self.texts.say("chat_1813_closed", language, opens=hours["opens"])

    async def _crisis(
        self, person: PersonView, text: str | None, kind: str = "self", *, announce: bool = True
    ) -> None:
        """The crisis reply of this kind and an honest offer of a human, then alert the peers."""
        lang = person.language
        if announce:
            await self._crisis_message(person.chat_id, lang, person.country, "full", kind)
        with self._session() as session:
            on_duty = bool(store.peers_on_duty(session))
        if on_duty:
            await self.say(person.chat_id, "crisis_offer_peer", lang, "peer_now", "crisis_continue")
        else:
            await self.say(
                person.chat_id,
                "crisis_no_peer_now",
                lang,
                "crisis_continue",
                next_shift=self.texts.say("peer_hours", lang),
                reachable_now=self._reachable_now(lang, person.country),
            )
        reason = CRISIS_REASONS[kind]
        await self.handoff(person, reason=reason, urgent=True, latest=text, quiet=True)
        await self._record_handoff(person, "crisis")
        await self.plan.after_crisis(person, text)  # their own next steps, when they have a plan

    async def _ask(self, person: PersonView, text: str, kind: str, *, announce: bool) -> None:
        """The direct question (lines included) when the semantic layer is unsure."""
        self._asked[person.pseudonym] = (time.monotonic(), kind, text)
        if announce:
            await self._crisis_message(person.chat_id, person.language, person.country, "ask", kind)

    async def _safety_answer(self, person: PersonView, *, yes: bool) -> None:
        """A yes (button or typed) takes the full path of the kind asked about; a no goes on."""
        asked = self._asked.pop(person.pseudonym, None)
        if asked is not None and time.monotonic() - asked[0] > ASKED_SECONDS:
            asked = None
        kind, text = (asked[1], asked[2]) if asked else ("self", None)
        if yes:
            log.warning("safety question answered yes by %s", person.pseudonym[:8])
            await self._crisis(person, text, kind)
            return
        await self.say(person.chat_id, "safety_no_thanks", person.language)
        if text is not None:
            await self._ordinary(person, text)  # what they wrote still gets its answer
        else:
            await self.converse(person, "/menu")

    async def _crisis_message(
        self, chat_id: int, language: str, country: str | None, tier: str, kind: str
    ) -> bool:
        """The first bubble of a crisis answer: never queued behind Telegram's pace."""
        lines = self.crisis_lines(language, country)
        if tier == "ask":
            key = f"safety_ask_{kind}"
            text = self.texts.say(key, language)
            if kind == "self":
                text = f"{text}\n\n{lines}"
            buttons = tuple(self.texts.button(b, language) for b in ("safety_yes", "safety_no"))
            return await self.transport.send(Outgoing(chat_id, text, buttons, urgent=True))
        if kind == "self":
            text = f"{self.texts.say('crisis_ack', language)}\n\n{lines}"
        else:
            text = self.texts.say(f"crisis_{kind}", language)
        return await self.transport.send(Outgoing(chat_id, text, urgent=True))

    async def crisis_first(
        self, incoming: Incoming, update_id: int, *, before_storing: bool = False
    ) -> tuple[Assessment | None, bool]:
        """Judge an update once and send its crisis message at once, with or without the database.

        Called `before_storing` by the inbox, so the message goes ahead of the person's earlier
        messages, of Rasa and of every queue; the stored update then carries the verdict and
        the mark that the lines went out (an update Telegram delivered again, already stored or
        handled, is answered by that copy and not judged again). Called again when handling
        failed on the database and the lines had not gone out; that is remembered here, for the
        next attempt. In the person's language and country when the database answers; when it
        does not, by the message alone. The rest of the answer (ticket, alert, offer of a peer)
        follows when the update is handled. Returns the verdict (None when there is none to
        keep) and whether the crisis message went out (now, or before for this update).
        """
        text = (incoming.text or "").strip()
        if not incoming.private or not text:
            return None, False
        if not before_storing and self.crisis_answered(update_id):
            return incoming.crisis, True
        language, country = detect_language(text), infer_country(text)
        pseudonym = pseudonymise(incoming.user_id, self.settings.pseudonym_secret)
        try:
            with self._session() as session:
                if before_storing and known_update(session, update_id):
                    return None, False
                if store.get_peer(session, telegram_user_id=incoming.user_id) is not None:
                    return None, False  # a peer's message (a relay, a quote) takes the peer path
                stored = store.get_person(session, pseudonym=pseudonym)
                if stored is not None:
                    language, country = language or stored.language, country or stored.country
        except SQLAlchemyError:
            log.warning("crisis check while the database is down")
        verdict = incoming.crisis or self.assessor.assess(pseudonym, text)
        if not verdict.alarming:
            return verdict, False
        sent = await self._crisis_message(
            incoming.chat_id, language or DEFAULT_LANGUAGE, country, verdict.tier, verdict.kind
        )
        if sent and not before_storing:
            self._crisis_sent.add(update_id)
        return verdict, sent

    def crisis_answered(self, update_id: int) -> bool:
        """Whether this update's crisis lines already went out ahead of handling."""
        return update_id in self._crisis_sent

    def handled(self, update_id: int) -> None:
        """The update is handled: forget what was kept about it."""
        self._crisis_sent.discard(update_id)

    # Handoff ----------------------------------------------------------------------------------

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
        if _command(text) == "/overnemen":
            await self._claim_command(incoming, text.partition(" ")[2].strip())

    async def _claim_command(self, incoming: Incoming, argument: str) -> None:
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
        command = _command(text)
        argument = text.partition(" ")[2].strip()
        chat = incoming.chat_id
        if command == "/overnemen":
            await self._claim_command(incoming, argument)
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
            await self._end_handoff(
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

    async def _end_handoff(
        self, ticket_id: int, peer: Peer, person: PersonView, *, closed: bool, note: str
    ) -> None:
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


def _command(text: str) -> str:
    """The command a message starts with ("/taal@herstelgids_bot nl" → "/taal"), or ""."""
    if not text.startswith("/"):
        return ""
    return text.split()[0].split("@")[0].lower()
