"""Asking for a human becomes a signal the gateway acts on (ticket, alert, honest wait)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import handoff_signal


class ActionRequestHandoff(Action):
    """The person asked for a person: the gateway opens a ticket and tells them what happens."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_request_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Emit the handoff signal."""
        dispatcher.utter_message(json_message=handoff_signal("request"))
        return [SlotSet("handoff", "requested")]
