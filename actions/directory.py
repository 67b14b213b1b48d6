"""Looking for a group or place: the gateway searches the directory (it owns the database)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.directory.signals import directory_search_signal


class ActionFindGroup(Action):
    """Pass the person's question to the gateway, which answers with listings or asks where."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_find_group"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Emit the directory_search signal with the latest message."""
        text = tracker.latest_message.get("text") or ""
        # A button asking for one kind of group (the naaste's "find a family group")
        # carries it as an entity; its text is the payload, which says nothing to the search.
        for entity in tracker.latest_message.get("entities") or []:
            if entity.get("entity") == "group_kind" and entity.get("value") == "naasten":
                text = "naastengroep"
        dispatcher.utter_message(json_message=directory_search_signal(text))
        return []
