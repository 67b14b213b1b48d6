"""The `my_plan` intent opens the signaleringsplan in the gateway, never in Rasa.

The plan's answers are collected by the gateway so they never land in the tracker in plain
text; this action only asks the gateway to open it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import plan_open_signal


class ActionOpenPlan(Action):
    """The person asked for their plan: the gateway shows it, or offers to make one."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_open_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Emit the plan_open signal."""
        dispatcher.utter_message(json_message=plan_open_signal())
        return []
