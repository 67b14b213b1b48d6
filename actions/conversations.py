"""Recovery conversations: check-in, hope, strengths, stigma, disclosure, recovery.

Thin actions: each reads the tracker, calls one function of `bot.conversations` and sends the
messages it returns. Storing the four answers is the gateway's job (`strengths_save` signal).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import conversations as talk


def _send(dispatcher: CollectingDispatcher, messages: list[dict[str, Any]]) -> None:
    for message in messages:
        dispatcher.utter_message(json_message=message)


def _typed(tracker: Tracker) -> str | None:
    """The person's latest message if typed (button payloads start with "/")."""
    text = tracker.latest_message.get("text")
    return text if isinstance(text, str) and not text.startswith("/") else None


def _entity(tracker: Tracker, name: str) -> str | None:
    return talk.latest_entity(tracker.latest_message.get("entities") or [], name)


def _variants(key: str) -> int:
    from bot.texts import catalogue  # the catalogue is read on first use, not at import

    return catalogue().variants(key)


def _clear(slots: tuple[str, ...]) -> list[EventType]:
    return [SlotSet(slot, None) for slot in slots]


class ActionPhaseSupport(Action):
    """Check-in answered: support that fits the phase the person describes."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_phase_support"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Set the phase; a new phase also resets the hope element in play."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        phase, message = talk.phase_reply(intent)
        _send(dispatcher, [message])
        return [SlotSet("phase", phase), SlotSet("chime_element", None)]


class ActionHopePrompt(Action):
    """One hope prompt along CHIME that has not been shown in this conversation."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_hope_prompt"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Pick by the person's words, their button, their phase, or what they saw least."""
        recent = [e.get("text") for e in tracker.events if e.get("event") == "user"][-4:]
        messages, used, element = talk.hope_replies(
            text=_typed(tracker),
            recent=recent,
            requested=tracker.get_slot("chime_element"),
            phase=tracker.get_slot("phase"),
            used=tracker.get_slot("prompts_used"),
            counts={e: _variants(f"hope_{e}") for e in talk.chime.ELEMENTS},
        )
        _send(dispatcher, messages)
        return [SlotSet("prompts_used", used), SlotSet("chime_element", element)]


class ActionStrengthsStart(Action):
    """The four questions begin: earlier answers are cleared, the intro explains the path."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_strengths_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Clear the slots and introduce the questions."""
        _send(dispatcher, [{"say": "strengths_intro"}])
        return _clear(talk.QUESTIONS)


class ActionStrengthsDone(Action):
    """After the last question: ask consent to keep the answers (if there are any)."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_strengths_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask to keep, or end when every question was skipped."""
        message = talk.strengths_done(tracker.slots)
        _send(dispatcher, [message])
        return [] if message["say"] == "strengths_keep_ask" else _clear(talk.QUESTIONS)


class ActionStrengthsKeep(Action):
    """Yes: the gateway stores the answers. No: nothing is stored. The slots are cleared."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_strengths_keep"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Emit strengths_save only on an explicit yes."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        _send(dispatcher, [talk.strengths_keep(tracker.slots, keep=intent == "affirm")])
        return _clear(talk.QUESTIONS)


class ActionStopFlow(Action):
    """The person stops the four questions or the disclosure aid: nothing kept, a way on."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_stop_flow"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """End the active form and clear what was written in it."""
        strengths = tracker.active_loop.get("name") == "strengths_form"
        say = "strengths_stopped" if strengths else "no_problem"
        _send(dispatcher, [{"say": say, "buttons": ["hope", "peer_now", "menu"]}])
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *_clear(talk.QUESTIONS + talk.DISCLOSURE_STEPS),
        ]


class ActionStigma(Action):
    """Self-stigma, words that label, myths and facts, or a hurtful remark."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_stigma"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The topic from the button, the intent or the words; else the choice of topics."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = (
            "hurtful_remark"
            if intent == "hurtful_remark"
            else _entity(tracker, "stigma_topic") or talk.stigma_topic(_typed(tracker))
        )
        messages, used = talk.stigma_replies(
            topic, tracker.get_slot("prompts_used"), _variants("stigma_myths")
        )
        _send(dispatcher, messages)
        return [SlotSet("stigma_topic", topic), SlotSet("prompts_used", used)]


class ActionDisclosureStart(Action):
    """The disclosure aid begins; a place chosen with a button is kept."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_disclosure_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Clear earlier reflections and introduce the aid."""
        _send(dispatcher, [{"say": "disclosure_intro"}])
        # A button's place, else the place the words already name ("mijn baas": work).
        place = _entity(tracker, "disclosure_where") or talk.disclosure_place(_typed(tracker))
        return [*_clear(talk.DISCLOSURE_STEPS), SlotSet("disclosure_where", place)]


class ActionDisclosureEnd(Action):
    """The aid ends with the person's own choice; their reflections are not kept."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_disclosure_end"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Close and clear."""
        _send(dispatcher, [talk.disclosure_end()])
        return _clear(talk.DISCLOSURE_STEPS)


class ActionRecoveryInfo(Action):
    """What recovery is: the topic from a button or the words, else the choice of topics."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_recovery_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Explain one topic, ending with an offer."""
        topic = _entity(tracker, "recovery_topic") or talk.recovery_topic(_typed(tracker))
        _send(dispatcher, [talk.recovery_reply(topic)])
        return [SlotSet("recovery_topic", topic)]


class _Ask(Action, ABC):
    """Asks one question of a form (Rasa calls `action_ask_<slot>`): skip and stop at hand."""

    @abstractmethod
    def slot(self) -> str:
        """The slot this question fills."""

    def name(self) -> str:
        """Action name in the domain."""
        return f"action_ask_{self.slot()}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask the question."""
        _send(dispatcher, [talk.ask(self.slot())])
        return []


def _ask_action(slot: str) -> type[_Ask]:
    return type(f"ActionAsk_{slot}", (_Ask,), {"slot": lambda self: slot, "__doc__": slot})


# One class per question: rasa-sdk registers every concrete Action subclass it can find.
ASK_ACTIONS = [_ask_action(slot) for slot in (*talk.QUESTIONS, *talk.DISCLOSURE_STEPS)]


class _NoButtonsAsAnswers(FormValidationAction, ABC):
    """A pressed button or command ("/greet") is not an answer: the question is asked again."""

    @abstractmethod
    def name(self) -> str:
        """Action name in the domain."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Refuse slot values that are button payloads; keep the rest as written."""
        own = set(self.domain_slots(domain))
        return [
            SlotSet(slot, None if isinstance(value, str) and value.startswith("/") else value)
            for slot, value in tracker.slots_to_validate().items()
            if slot in own
        ]


class ValidateStrengthsForm(_NoButtonsAsAnswers):
    """Validation of the four questions."""

    def name(self) -> str:
        """Action name in the domain."""
        return "validate_strengths_form"


class ValidateDisclosureForm(_NoButtonsAsAnswers):
    """Validation of the disclosure aid."""

    def name(self) -> str:
        """Action name in the domain."""
        return "validate_disclosure_form"

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """A typed "whom" that names a place ("baas", "mijn ouders") is kept as that place."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        return [
            SlotSet("disclosure_where", talk.disclosure_place(e["value"]) or e["value"])
            if e.get("name") == "disclosure_where" and isinstance(e.get("value"), str)
            else e
            for e in events
        ]
