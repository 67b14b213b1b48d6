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

from bot import store
from bot.db import session_scope
from bot.plan import MAX_ANSWER_CHARS, STEPS, pdf, signs, vault
from bot.port import Feature, Outgoing, PersonData
from bot.texts import DEFAULT_LANGUAGE, TEAM_LANGUAGE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.gateway import Gateway
    from bot.models import Peer, Person, Plan
    from bot.port import PersonView
    from bot.settings import Settings

log = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
HOLD_SECONDS = 900.0  # a crisis message typed into an open step can be kept for the plan
NOTICE_COOLDOWN_SECONDS = 6 * 3600.0  # one early-sign notice per person per six hours
OVERVIEW_ANSWER_CHARS = 300
PEER_ANSWER_CHARS = 450
CRISIS_STEPS = ("actions", "others", "people")
LOOK_STEPS = ("actions",)


@dataclass(frozen=True)
class Snapshot:
    """What routing needs to know of a person's plan, without touching the database."""

    exists: bool = False
    open_step: str | None = None
    signs: tuple[str, ...] = ()


NONE = Snapshot()


class PlanFlow:
    """Everything the gateway delegates about the signaleringsplan."""

    def __init__(self, gateway: Gateway) -> None:
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

    # When it matters ----------------------------------------------------------------------------

    async def after_crisis(self, person: PersonView, text: str | None) -> None:
        """After the crisis lines and the peer offer: the person's own next steps, gently.

        A step that was open is closed (the next message goes to the peer or the bot, not into
        the plan); the message itself is held in memory for a while in case it was meant for the
        plan ("signs that it is getting serious" often reads like a crisis message).
        """
        snap = self.snapshot(person)
        if not snap.exists:
            return
        lang = person.language
        held = False
        if snap.open_step and text:
            self._held[person.pseudonym] = (
                time.monotonic() + HOLD_SECONDS,
                snap.open_step.partition(":")[2],
                text,
            )
            self._set_open(person, None)
            held = True
        answers = self._answers(person) or {}
        chosen = tuple(step for step in CRISIS_STEPS if answers.get(step))
        parts = []
        if chosen:
            steps = self._steps_text(answers, lang, chosen, None)
            parts.append(self.texts.say("plan_after_crisis", lang, steps=steps))
        if held:
            parts.append(self.texts.say("plan_held_for_plan", lang))
        if parts:
            buttons = ("plan_keep_held",) if held else ()
            await self._send(person.chat_id, "\n\n".join(parts), *buttons, language=lang)

    async def _keep_held(self, person: PersonView) -> None:
        held = self._held.pop(person.pseudonym, None)
        if held is None or held[0] < time.monotonic():
            await self.gw.say(person.chat_id, "plan_kept", person.language, "plan_open")
            return
        _, step, text = held
        self._save(person, step, text[:MAX_ANSWER_CHARS], None)
        await self.gw.say(person.chat_id, "plan_held_saved", person.language, "plan_open", "menu")

    async def notice(self, person: PersonView, text: str) -> None:
        """When the person writes one of their own early signs, offer to look at their plan."""
        snap = self.snapshot(person)
        if not snap.signs:
            return
        now = time.monotonic()
        if now - self._noticed.get(person.pseudonym, -NOTICE_COOLDOWN_SECONDS) < (
            NOTICE_COOLDOWN_SECONDS
        ):
            return
        sign = signs.find_sign(snap.signs, text)
        if sign is None:
            return
        self._noticed[person.pseudonym] = now
        await self.gw.say(
            person.chat_id,
            "plan_sign_noticed",
            person.language,
            "plan_look_yes",
            "plan_look_no",
            sign=sign,
        )

    async def _look(self, person: PersonView, yes: bool) -> None:
        lang = person.language
        if not yes:
            await self.gw.say(person.chat_id, "plan_look_no", lang, "menu")
            return
        answers = self._answers(person) or {}
        chosen = tuple(step for step in LOOK_STEPS if answers.get(step))
        if not chosen:
            await self.gw.say(person.chat_id, "plan_nothing_for_now", lang, "plan_open", "menu")
            return
        steps = self._steps_text(answers, lang, chosen, None)
        await self.gw.say(
            person.chat_id, "plan_look", lang, "plan_open", "peer_now", "menu", steps=steps
        )

    # Peers ------------------------------------------------------------------------------------

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


# The feature's declaration (bot.port.Feature): the flow is the gateway's `plan`.


async def _open(gateway: Gateway, person: PersonView) -> None:
    await gateway.plan.open(person)


async def _button(gateway: Gateway, person: PersonView, action: str) -> None:
    await gateway.plan.button(person, action)


async def _open_signal(gateway: Gateway, person: PersonView, _custom: object) -> None:
    await gateway.plan.open(person)


def _export(session: Session, person: Person, settings: Settings) -> dict | None:
    """The plan, decrypted, for the person's own export."""
    cipher = vault.Cipher(settings.plan_encryption_key)
    return vault.export_plan(session, person_id=person.id, cipher=cipher)


def _erase(session: Session, person: Person) -> None:
    vault.delete_plan(session, person_id=person.id)


def _forget(gateway: Gateway, pseudonym: str) -> None:
    gateway.plan.forget(pseudonym)


FEATURE = Feature(
    name="plan",
    commands={"/mijnplan": _open, "/myplan": _open},
    buttons={"plan_": _button},
    signals={"plan_open": _open_signal},
    data=PersonData("signaleringsplan", ("plans",), _export, _erase),
    forget=_forget,
)
