"""Naasten: someone writing about a person close to them gets the naaste's answer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import conversations as talk


class ActionNaaste(Action):
    """The naaste's answer, or the part a button asked for (supporting, their own support)."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_naaste"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the text for the requested topic."""
        topic = talk.latest_entity(tracker.latest_message.get("entities") or [], "naaste_topic")
        dispatcher.utter_message(json_message=talk.naaste_reply(topic))
        return []
