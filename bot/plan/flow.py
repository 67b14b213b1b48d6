"""The guided plan as the gateway runs it: one step at a time, every step skippable.

State lives in the `plans` row (`open_step`: "build:<step>" while building in order,
"edit:<step>" while changing one step), so a restart loses nothing. A typed message while a
step is open is that step's answer; the gateway has already let the crisis layer and commands
go first.

Cheap on every message: a per-process snapshot per person (has a plan, open step, normalised
early signs) is kept for `CACHE_SECONDS` and dropped on every write, so a person without a plan
costs one indexed query per five minutes, and decrypted signs stay in memory briefly only.
A keyed hash of sign words would avoid plaintext in memory but rules out fuzzy matching, and
the gateway holds the key anyway.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.db import session_scope
from bot.plan import MAX_ANSWER_CHARS, STEPS, pdf, signs, vault
from bot.plan.moments import PlanMoments
from bot.plan.sharing import PeerSharing
from bot.port import Outgoing
from bot.texts import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.models import Plan
    from bot.port import Host, PersonView

log = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
OVERVIEW_ANSWER_CHARS = 300


@dataclass(frozen=True)
class Snapshot:
    """What routing needs to know of a person's plan, without touching the database."""

    exists: bool = False
    open_step: str | None = None
    signs: tuple[str, ...] = ()


NONE = Snapshot()


class PlanFlow(PlanMoments, PeerSharing):
    """Everything the gateway delegates about the signaleringsplan."""

    def __init__(self, gateway: Host) -> None:
        self.gw = gateway
        self.texts = gateway.texts
        self._database_url = gateway.settings.database_url
        self.cipher = vault.Cipher(gateway.settings.plan_encryption_key)
        self._cache: dict[str, tuple[float, Snapshot]] = {}
        self._held: dict[str, tuple[float, str, str]] = {}  # pseudonym: (until, step, text)
        self._noticed: dict[str, float] = {}
        self._peer_requests: dict[str, int] = {}  # pseudonym: ticket a peer asked about

    # Plumbing ---------------------------------------------------------------------------------

    def _session(self) -> AbstractContextManager[Session]:
        """A transaction of the plan's own (the feature depends on the store, not the gateway)."""
        return session_scope(self._database_url)

    @contextmanager
    def _plan(self, person: PersonView) -> Iterator[tuple[Session, Plan | None]]:
        """The person's stored plan inside one transaction; None when they have none."""
        with self._session() as session:
            yield session, vault.get_plan(session, person_id=person.id)

    def snapshot(self, person: PersonView) -> Snapshot:
        """The person's plan as routing sees it (cached briefly)."""
        if not self.cipher.ready:
            return NONE
        now = time.monotonic()
        hit = self._cache.get(person.pseudonym)
        if hit is not None and hit[0] > now:
            return hit[1]
        with self._plan(person) as (_, plan):
            if plan is None:
                snap = NONE
            else:
                try:
                    answers = self.cipher.open(plan.blob)
                except vault.PlanLocked:
                    log.error("a plan could not be decrypted (PLAN_ENCRYPTION_KEY changed?)")
                    answers = {}
                found = signs.split_signs(answers.get("signs", ""))
                snap = Snapshot(True, plan.open_step, found)
        self._cache[person.pseudonym] = (now + CACHE_SECONDS, snap)
        return snap

    def forget(self, pseudonym: str) -> None:
        """Drop everything this process holds in memory about a person's plan."""
        self._cache.pop(pseudonym, None)
        self._held.pop(pseudonym, None)
        self._noticed.pop(pseudonym, None)
        self._peer_requests.pop(pseudonym, None)

    def _answers(self, person: PersonView) -> dict[str, str] | None:
        with self._plan(person) as (_, plan):
            return self.cipher.open(plan.blob) if plan is not None else None

    def _set_open(self, person: PersonView, value: str | None) -> None:
        with self._plan(person) as (_, plan):
            if plan is not None:
                plan.open_step = value
        self._cache.pop(person.pseudonym, None)

    def _save(self, person: PersonView, step: str, text: str | None, open_step: str | None) -> None:
        with self._plan(person) as (session, plan):
            if plan is None:
                return
            vault.save_answer(
                session,
                plan=plan,
                step=step,
                text=text,
                language=person.language,
                cipher=self.cipher,
            )
            plan.open_step = open_step
        self._cache.pop(person.pseudonym, None)

    async def _send(
        self, chat_id: int, text: str, *buttons: str, language: str = DEFAULT_LANGUAGE
    ) -> None:
        await self.gw.transport.send(
            Outgoing(chat_id, text, tuple(self.texts.button(b, language) for b in buttons))
        )

    def _steps_text(
        self, answers: dict[str, str], language: str, steps: tuple[str, ...], limit: int | None
    ) -> str:
        parts = []
        for step in steps:
            answer = answers.get(step, "")
            if limit and len(answer) > limit:
                answer = answer[:limit].rstrip() + "…"
            heading = self.texts.say(f"plan_heading_{step}", language)
            number = STEPS.index(step) + 1
            body = answer or self.texts.say("plan_empty_answer", language)
            parts.append(f"{number}. {heading}\n{body}")
        return "\n\n".join(parts)

    def _question(self, step: str, language: str) -> str:
        number = STEPS.index(step) + 1
        return self.texts.say(f"plan_step_{step}", language, number=number, total=len(STEPS))

    # What the person does -----------------------------------------------------------------------

    async def open(self, person: PersonView) -> None:
        """`/mijnplan`, the menu button or the `my_plan` intent."""
        lang = person.language
        if not self.cipher.ready:
            log.error("PLAN_ENCRYPTION_KEY is not set; the plan is unavailable")
            await self.gw.say(person.chat_id, "plan_unavailable", lang, "menu")
            return
        if not self.snapshot(person).exists:
            await self.gw.say(
                person.chat_id, "plan_intro", lang, "plan_consent_yes", "plan_consent_no"
            )
            return
        self._set_open(person, None)
        await self._overview(person)

    async def _overview(self, person: PersonView, prefix: str | None = None) -> None:
        lang = person.language
        with self._plan(person) as (_, plan):
            if plan is None:
                return
            answers = self.cipher.open(plan.blob)
            date = plan.updated_at.strftime("%d-%m-%Y")
        body = self._steps_text(answers, lang, STEPS, OVERVIEW_ANSWER_CHARS)
        text = self.texts.say("plan_overview", lang, date=date, plan=body)
        if prefix:
            text = f"{self.texts.say(prefix, lang)}\n\n{text}"
        edits = [f"plan_edit_{step}" for step in STEPS]
        await self._send(
            person.chat_id, text, *edits, "plan_pdf", "plan_keep", "plan_delete", language=lang
        )

    async def _ask(
        self, person: PersonView, step: str, mode: str, intro: str | None = None
    ) -> None:
        """Open a step and ask its question."""
        lang = person.language
        self._set_open(person, f"{mode}:{step}")
        question = self._question(step, lang)
        if intro:
            question = f"{self.texts.say(intro, lang)}\n\n{question}"
        if mode == "build":
            await self._send(person.chat_id, question, "plan_skip", "plan_stop", language=lang)
            return
        current = (self._answers(person) or {}).get(step)
        parts = [question]
        if current:
            parts.append(self.texts.say("plan_current_answer", lang, answer=current))
        parts.append(self.texts.say("plan_edit_prompt", lang))
        buttons = ("plan_keep", "plan_clear_step") if current else ("plan_keep",)
        await self._send(person.chat_id, "\n\n".join(parts), *buttons, language=lang)

    async def take_answer(self, person: PersonView, text: str) -> bool:
        """A typed message while a step is open is its answer; False when no step is open."""
        open_step = self.snapshot(person).open_step
        if not open_step:
            return False
        mode, _, step = open_step.partition(":")
        if step not in STEPS:
            self._set_open(person, None)
            return False
        if len(text) > MAX_ANSWER_CHARS:
            await self.gw.say(
                person.chat_id, "plan_answer_too_long", person.language, limit=MAX_ANSWER_CHARS
            )
            return True
        self._save(person, step, text, None)
        if mode == "build":
            await self._next(person, step)
        else:
            await self._overview(person, prefix="plan_step_saved")
        return True

    async def _next(self, person: PersonView, step: str) -> None:
        index = STEPS.index(step) + 1
        if index < len(STEPS):
            await self._ask(person, STEPS[index], "build")
            return
        self._set_open(person, None)
        await self.gw.say(
            person.chat_id, "plan_done", person.language, "plan_share_yes", "plan_share_no"
        )

    async def button(self, person: PersonView, action: str) -> None:
        """A `gw:plan_*` button."""
        lang, chat = person.language, person.chat_id
        if action == "plan_open":
            await self.open(person)
            return
        if not self.cipher.ready:
            await self.gw.say(chat, "plan_unavailable", lang, "menu")
            return
        if action == "plan_consent_no":
            await self.gw.say(chat, "plan_consent_no", lang, "plan_blank_pdf", "menu")
        elif action == "plan_blank_pdf":
            content = pdf.render({}, lang, self.texts)
            caption = self.texts.say("plan_blank_caption", lang)
            await self.gw.transport.send_file(
                chat, self.texts.say("plan_blank_filename", lang), content, caption
            )
        elif action == "plan_consent_yes":
            with self._session() as session:
                vault.create_plan(session, person_id=person.id, language=lang, cipher=self.cipher)
            self._cache.pop(person.pseudonym, None)
            await self._ask(person, STEPS[0], "build", intro="plan_begin")
        elif not self.snapshot(person).exists:
            await self.open(person)  # an old button of a deleted plan: start afresh
        else:
            await self._plan_button(person, action)

    async def _plan_button(self, person: PersonView, action: str) -> None:
        """Buttons that need an existing plan."""
        lang, chat = person.language, person.chat_id
        open_step = self.snapshot(person).open_step or ""
        if action == "plan_skip" and open_step.startswith("build:"):
            await self._next(person, open_step.partition(":")[2])
        elif action == "plan_stop":
            self._set_open(person, None)
            await self.gw.say(chat, "plan_paused", lang, "plan_open", "menu")
        elif action.startswith("plan_edit_") and action.removeprefix("plan_edit_") in STEPS:
            await self._ask(person, action.removeprefix("plan_edit_"), "edit")
        elif action == "plan_clear_step" and open_step.startswith("edit:"):
            self._save(person, open_step.partition(":")[2], None, None)
            await self._overview(person, prefix="plan_step_saved")
        elif action in {"plan_keep", "plan_skip", "plan_delete_no"}:
            self._set_open(person, None)
            await self.gw.say(chat, "plan_kept", lang, "plan_open", "menu")
        elif action == "plan_pdf":
            await self.send_pdf(person)
        elif action == "plan_delete":
            await self.gw.say(
                chat, "plan_delete_confirm", lang, "plan_delete_yes", "plan_delete_no"
            )
        elif action == "plan_delete_yes":
            with self._session() as session:
                vault.delete_plan(session, person_id=person.id)
            self.forget(person.pseudonym)
            await self.gw.say(chat, "plan_deleted", lang, "menu")
        elif action in {"plan_share_yes", "plan_share_no"}:
            with self._plan(person) as (_, plan):
                plan.share_with_peer = action == "plan_share_yes"
            await self.gw.say(chat, f"{action}_set", lang, "plan_pdf", "menu")
        elif action in {"plan_look_yes", "plan_look_no"}:
            await self._look(person, action == "plan_look_yes")
        elif action == "plan_keep_held":
            await self._keep_held(person)
        elif action in {"plan_show_peer_yes", "plan_show_peer_no"}:
            await self._answer_peer(person, action == "plan_show_peer_yes")

    async def send_pdf(self, person: PersonView) -> None:
        """The plan as a PDF in the person's language."""
        lang = person.language
        with self._plan(person) as (_, plan):
            answers = self.cipher.open(plan.blob)
            updated = plan.updated_at.date()
        started = time.perf_counter()
        content = pdf.render(answers, lang, self.texts, updated=updated)
        log.info("plan pdf made in %.0f ms", (time.perf_counter() - started) * 1000)
        caption = self.texts.say("plan_pdf_caption", lang)
        await self.gw.transport.send_file(
            person.chat_id, self.texts.say("plan_pdf_filename", lang), content, caption
        )
