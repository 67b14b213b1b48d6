"""The recovery conversations' decisions, free of rasa-sdk so they test plainly.

Check-in and phase support, hope prompts (choice in `bot.chime`), strengths and the four
questions, stigma, the disclosure decision aid and what recovery is. Every function returns
the `json_message`s an action sends (`say`, `buttons`, `variant`, `signal`); the texts are in
bot/texts/{nl,en}/recovery.yml. Nothing here stores anything: keeping the four answers is a
`strengths_save` signal the gateway acts on, and only after the person said yes.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any

from bot import chime
from bot.chime import normalise
from bot.conversation_words import DISCLOSURE_PLACE_WORDS, RECOVERY_TOPICS, STIGMA_WORDS

Message = dict[str, Any]

SKIPPED = "-"  # a question the person skipped (a slot must be filled for a form to move on)
MAX_BUBBLES = 3  # at most three bubbles per turn (the team's tone rules)

# --- Check-in ---------------------------------------------------------------------------------

PHASE_BY_INTENT = {
    "mood_overwhelmed": "overwhelmed",
    "share_feeling": "struggling",
    "mood_steady": "living_with",
    "mood_good": "living_beyond",
}
# Overwhelmed: stay in contact and offer one small choice, no push towards activity.
# Later phases invite goals, roles and next steps.
PHASE_BUTTONS = {
    "overwhelmed": ["hope", "peer_now"],
    "struggling": ["hope", "peer_now", "menu"],
    "living_with": ["hope", "strengths", "recovery_info", "menu"],
    "living_beyond": ["strengths", "find_group", "my_plan", "menu"],
}


def phase_reply(intent: str | None) -> tuple[str, Message]:
    """The phase an intent describes, and the support that fits it."""
    phase = PHASE_BY_INTENT.get(intent or "", "struggling")
    return phase, {"say": f"phase_{phase}", "buttons": PHASE_BUTTONS[phase]}


# --- Hope (CHIME) -----------------------------------------------------------------------------


def hope_replies(
    *,
    text: str | None,
    requested: str | None,
    phase: str | None,
    used: list[str] | None,
    counts: Mapping[str, int],
    rng: random.Random | None = None,
    recent: Iterable[str | None] = (),
) -> tuple[list[Message], list[str], str | None]:
    """One unused prompt (with a lead-in the first time); returns messages, used, element.

    `recent` are the person's last typed messages: after one about loneliness no prompt that
    takes a contact for granted is chosen.
    """
    used = list(used or [])
    alone = chime.lonely([text, *recent])
    choice = chime.choose(
        text=text,
        requested=requested,
        phase=phase,
        used=used,
        counts=counts,
        rng=rng,
        alone=alone,
    )
    if choice.element is None:
        return [{"say": "hope_all_used", "buttons": ["strengths", "peer_now", "menu"]}], used, None
    messages: list[Message] = []
    if choice.exhausted:
        messages.append({"say": "hope_all_used"})
    elif not used:
        messages.append({"say": "hope_intro"})
    used.append(choice.used_id or "")
    others = [f"chime_{e}" for e in chime.other_elements(choice.element, used)]
    messages.append(
        {
            "say": choice.key,
            "variant": choice.index,
            "buttons": ["another_prompt", *others, "menu"],
        }
    )
    return messages[:MAX_BUBBLES], used, choice.element


# --- Strengths: the four questions ------------------------------------------------------------

QUESTIONS = ("sq_happened", "sq_strengths", "sq_goal", "sq_needs")
KEEP_BUTTONS = ["keep_yes", "keep_no"]
AFTER_STRENGTHS = ["hope", "menu"]


ASK_BUTTONS = ["skip", "stop_flow"]
PLACE_BUTTONS = ["disclosure_work", "disclosure_study", "disclosure_friends", "disclosure_family"]


def ask(slot: str) -> Message:
    """The question a form asks for one of its slots, with skip and stop always at hand."""
    if slot == "disclosure_where":
        return {"say": slot, "buttons": [*PLACE_BUTTONS, "stop_flow"]}
    say = "disclosure_whom_what_when" if slot == "disclosure_www" else slot
    return {"say": say, "buttons": ASK_BUTTONS}


def strengths_answers(slots: Mapping[str, Any]) -> dict[str, str]:
    """The questions the person answered (skipped and empty ones left out), in order."""
    answers = {}
    for question in QUESTIONS:
        value = slots.get(question)
        if isinstance(value, str) and value.strip() and value != SKIPPED:
            answers[question] = value.strip()
    return answers


def strengths_done(slots: Mapping[str, Any]) -> Message:
    """After the last question: ask to keep the answers, or end when nothing was answered."""
    if strengths_answers(slots):
        return {"say": "strengths_keep_ask", "buttons": KEEP_BUTTONS}
    return {"say": "strengths_stopped", "buttons": AFTER_STRENGTHS}


def strengths_keep(slots: Mapping[str, Any], *, keep: bool) -> Message:
    """Yes: the gateway stores the answers and says so. No: nothing is stored."""
    answers = strengths_answers(slots)
    if keep and answers:
        return {"signal": "strengths_save", "answers": answers, "buttons": AFTER_STRENGTHS}
    return {"say": "strengths_not_kept", "buttons": AFTER_STRENGTHS}


# --- Stigma -----------------------------------------------------------------------------------

STIGMA_TOPICS = ("self_stigma", "stigma_words", "stigma_myths", "hurtful_remark")
STIGMA_BUTTONS = ["self_stigma", "stigma_words", "stigma_myths", "hurtful_remark", "disclosure"]


def stigma_topic(text: str | None) -> str | None:
    """The stigma topic a typed message points at, or None."""
    if not text or text.startswith("/"):
        return None
    words = f" {normalise(text)}"
    for topic, stems in STIGMA_WORDS.items():  # most specific first
        if any(f" {normalise(stem)}" in words for stem in stems):
            return topic
    return None


def stigma_replies(
    topic: str | None, used: list[str] | None, myth_count: int, rng: random.Random | None = None
) -> tuple[list[Message], list[str]]:
    """A stigma topic (myths as unused variants), or the choice of topics."""
    used = list(used or [])
    others = [b for b in STIGMA_BUTTONS if b != topic][:3] + ["menu"]
    if topic == "stigma_myths":
        taken = {int(u.partition(":")[2]) for u in used if u.startswith("myth:")}
        if len(taken) >= myth_count:  # all seen: start again rather than run dry
            used, taken = [u for u in used if not u.startswith("myth:")], set()
        free = [i for i in range(myth_count) if i not in taken] or [0]
        index = (rng or random.Random()).choice(free)
        used.append(f"myth:{index}")
        return [{"say": "stigma_myths", "variant": index, "buttons": others}], used
    if topic in STIGMA_TOPICS:
        return [{"say": topic, "buttons": others}], used
    return [{"say": "stigma_intro", "buttons": [*STIGMA_BUTTONS, "menu"]}], used


# --- Disclosure decision aid ------------------------------------------------------------------

DISCLOSURE_STEPS = (
    "disclosure_where",
    "disclosure_weigh",
    "disclosure_www",
    "disclosure_how",
    "disclosure_choice",
)
DISCLOSURE_PLACES = ("work", "study", "friends", "family")


def disclosure_place(text: str | None) -> str | None:
    """The place (work, study, family, friends) a typed message already names, or None."""
    if not text or text.lstrip().startswith("/"):
        return None
    words = f" {normalise(text)} "
    for place, names in DISCLOSURE_PLACE_WORDS.items():
        if any(f" {normalise(name)} " in words for name in names):
            return place
    return None


def disclosure_end() -> Message:
    """The aid ends with the person's own choice; the bot gives no advice."""
    return {"say": "disclosure_end", "buttons": ["peer_now", "stigma", "menu"]}


# --- What recovery is -------------------------------------------------------------------------

RECOVERY_BUTTONS = ["peer_now", "find_group", "recovery_info", "menu"]


def recovery_topic(text: str | None) -> str | None:
    """The recovery topic a typed message names, or None; specific names before general ones."""
    if not text or text.startswith("/"):
        return None
    words = f" {normalise(text)}"
    for topic, stems in RECOVERY_TOPICS.items():
        if any(f" {normalise(stem)}" in words for stem in stems):
            return topic
    return None


def recovery_reply(topic: str | None) -> Message:
    """An explanation that ends with an offer, or the choice of topics."""
    if topic in RECOVERY_TOPICS:
        return {"say": f"explain_{topic}", "buttons": RECOVERY_BUTTONS}
    topics = [f"topic_{t}" for t in RECOVERY_TOPICS]
    return {"say": "recovery_intro", "buttons": [*topics, "menu"]}


def latest_entity(entities: Iterable[Mapping[str, Any]], name: str) -> str | None:
    """The value of an entity in the latest message (a button payload's {"name": value})."""
    for entity in entities:
        if entity.get("entity") == name and isinstance(entity.get("value"), str):
            return entity["value"]
    return None


# --- Naasten -------------------------------------------------------------------------
NAASTE_TOPICS = ("support", "own")


def naaste_reply(topic: str | None) -> Message:
    """A naaste's answer: first the overview, then how to support or their own support."""
    if topic == "support":
        return {"say": "naaste_support", "buttons": ["naaste_own", "naasten_groups", "peer_now"]}
    if topic == "own":
        return {"say": "naaste_own", "buttons": ["naasten_groups", "peer_now", "menu"]}
    return {
        "say": "naaste",
        "buttons": ["naaste_support", "naaste_own", "naasten_groups", "peer_now"],
    }
