"""The Rasa turn: one message to Rasa, its replies rendered, the tracker probe, kept messages.

The only part of the gateway that talks to Rasa; while Rasa cannot answer (or its tracker store
does not keep conversations), a typed message is kept and answered once it is back.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot import features, store
from bot.gateway.base import GatewayBase
from bot.port import Outgoing, PersonView
from bot.rasa_client import RasaUnavailable
from bot.tracker_check import probe_sender, tracker_store_persists

log = logging.getLogger(__name__)

TYPING_AFTER_SECONDS = 0.3  # a Rasa turn slower than this shows "typing…"


class RasaTurn(GatewayBase):
    """Talks to Rasa (the only part that does) and renders what it names."""

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
        elif isinstance(signal, str) and signal in features.SIGNALS:
            await features.SIGNALS[signal](self, person, custom)
