"""Not understanding: offer the main options, and after twice in a row, a human."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import fallback_reply


class ActionFallback(Action):
    """Never a dead end: buttons first; a peer is asked to look in when it keeps failing."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply according to how many turns in a row were not understood."""
        reply = fallback_reply(tracker.events)
        dispatcher.utter_message(json_message=reply)
        return [SlotSet("handoff", "requested")] if "signal" in reply else []
