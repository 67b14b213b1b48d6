"""When the plan matters most: after a crisis message, and when the person names an early sign.

Part of the plan's flow (`bot.plan.flow.PlanFlow`, whose state and helpers these use): after the
crisis lines the person sees their own next steps; a message typed into an open step that read
as a crisis is held a while in case it was meant for the plan; and the person's own early sign,
written in a message, brings a gentle offer to look at what they planned for it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from bot.plan import MAX_ANSWER_CHARS, signs

if TYPE_CHECKING:
    from bot.port import PersonView

HOLD_SECONDS = 900.0  # a crisis message typed into an open step can be kept for the plan
NOTICE_COOLDOWN_SECONDS = 6 * 3600.0  # one early-sign notice per person per six hours
CRISIS_STEPS = ("actions", "others", "people")
LOOK_STEPS = ("actions",)


class PlanMoments:
    """After a crisis, and on an early sign; mixed into PlanFlow."""

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
