"""Actions run as the action server runs them: `run(dispatcher, tracker, domain)`."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.handoff import ActionRequestHandoff


def tracker_with(intents: list[str]) -> Tracker:
    events = []
    for intent in intents:
        events.append({"event": "user", "text": "…", "parse_data": {"intent": {"name": intent}}})
        events.append({"event": "bot", "text": None})
    latest = events[-2]["parse_data"] if events else {}
    return Tracker("p1", {}, latest, events, False, None, {}, "action_listen")


async def run(action, intents):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker_with(intents), {})
    return dispatcher.messages, events


async def test_first_misunderstanding_offers_options_not_a_handoff():
    messages, events = await run(ActionFallback(), ["greet", "nlu_fallback"])
    [message] = messages
    assert message["custom"]["say"] == "fallback"
    assert "peer_now" in message["custom"]["buttons"]
    assert "signal" not in message["custom"] and events == []


async def test_second_misunderstanding_in_a_row_asks_a_peer():
    messages, events = await run(ActionFallback(), ["nlu_fallback", "nlu_fallback"])
    assert messages[0]["custom"]["signal"] == "handoff"
    assert messages[0]["custom"]["reason"] == "not_understood"
    assert events == [SlotSet("handoff", "requested")]


async def test_understood_message_in_between_resets_the_count():
    messages, _ = await run(ActionFallback(), ["nlu_fallback", "greet", "nlu_fallback"])
    assert messages[0]["custom"]["say"] == "fallback"


async def test_request_for_a_person_signals_a_handoff():
    messages, events = await run(ActionRequestHandoff(), ["request_human"])
    assert messages[0]["custom"] == {"signal": "handoff", "reason": "request"}
    assert events == [SlotSet("handoff", "requested")]
