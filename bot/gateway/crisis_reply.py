"""The crisis reply: the lines, the direct question, and the honest offer of a person.

The verdict comes from `bot.crisis.assess`; this part only answers it, in the same turn.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from bot import store
from bot.country import infer_country
from bot.crisis.answers import typed_answer
from bot.crisis.assess import Assessment
from bot.gateway.base import GatewayBase
from bot.language import detect_language
from bot.port import Incoming, Outgoing, PersonView
from bot.pseudonym import pseudonymise
from bot.texts import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

ASKED_SECONDS = 600.0  # a typed "ja" counts as the answer to the safety question this long
# The ticket's reason per kind of danger (the peer team reads it in the alert).
CRISIS_REASONS = {"self": "crisis", "others": "harm_others", "from_others": "danger_from_others"}


class CrisisReply(GatewayBase):
    """Answers a crisis verdict: full path or question, before anything else is said."""

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

    def _answering(self, pseudonym: str, text: str) -> bool:
        """Whether this message reads as the answer to a safety question still open."""
        asked = self._asked.get(pseudonym)
        fresh = asked is not None and time.monotonic() - asked[0] <= ASKED_SECONDS
        return fresh and typed_answer(text) is not None

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
        self,
        incoming: Incoming,
        update_id: int,
        *,
        already_stored: Callable[[Session], bool] | None = None,
    ) -> Assessment | None:
        """Judge an update once and send its crisis message at once, with or without the database.

        Called by the inbox before it stores the update (the transport hands over the inbox's
        `already_stored` check, read in this method's one transaction), so the message goes
        ahead of the person's earlier messages, of Rasa and of every queue; the stored update
        then carries the verdict and the mark that the lines went out (an update Telegram
        delivered again, already stored or handled, is answered by that copy and not judged
        again). Called again when handling
        failed on the database and the lines had not gone out; that is remembered here, for the
        next attempt. In the person's language and country when the database answers; when it
        does not, by the message alone. The rest of the answer (ticket, alert, offer of a peer)
        follows when the update is handled. Returns the verdict (None when there is none to
        keep); `announced` on it says whether the crisis message went out (now, or before for
        this update).
        """
        text = (incoming.text or "").strip()
        if not incoming.private or not text:
            return None
        before_storing = already_stored is not None
        if not before_storing and (kept := self.announced(update_id)) is not None:
            return kept
        language, country = detect_language(text), infer_country(text)
        pseudonym = pseudonymise(incoming.user_id, self.settings.pseudonym_secret)
        try:
            with self._session() as session:
                if already_stored is not None and already_stored(session):
                    return None
                if store.get_peer(session, telegram_user_id=incoming.user_id) is not None:
                    return None  # a peer's message (a relay, a quote) takes the peer path
                stored = store.get_person(session, pseudonym=pseudonym)
                if stored is not None:
                    language, country = language or stored.language, country or stored.country
        except SQLAlchemyError:
            log.warning("crisis check while the database is down")
        verdict = incoming.crisis or self.assessor.assess(
            pseudonym, text, answering=self._answering(pseudonym, text)
        )
        if not verdict.alarming:
            return verdict
        if await self._crisis_message(
            incoming.chat_id, language or DEFAULT_LANGUAGE, country, verdict.tier, verdict.kind
        ):
            verdict = dataclasses.replace(verdict, announced=True)
            if not before_storing:  # the database is down: nothing stored can say so
                self._announced[update_id] = verdict
        return verdict

    def announced(self, update_id: int) -> Assessment | None:
        """The verdict of an update whose crisis message went out while its handling failed."""
        return self._announced.get(update_id)

    def handled(self, update_id: int) -> None:
        """The update is handled: forget what was kept about it."""
        self._announced.pop(update_id, None)
