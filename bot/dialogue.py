"""Dialogue decisions the actions delegate to, kept free of rasa-sdk so they test plainly.

Actions answer with `json_message`s the gateway understands: `say` names a text, `buttons`
name buttons, `signal` asks the gateway to act (open a ticket).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FALLBACK_BUTTONS = ["menu", "how_it_works", "peer_now"]
FALLBACK_INTENTS = {"nlu_fallback"}
HANDOFF_AFTER = 2  # misunderstandings in a row before a peer is asked to look in


def handoff_signal(reason: str) -> dict[str, Any]:
    """Ask the gateway to open a ticket for a person."""
    return {"signal": "handoff", "reason": reason}


def consecutive_fallbacks(events: Iterable[dict[str, Any]]) -> int:
    """How many of the most recent user messages in a row the model did not understand."""
    count = 0
    for event in reversed(list(events)):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in FALLBACK_INTENTS:
            break
        count += 1
    return count


def fallback_reply(events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The options as buttons; from the second miss in a row, a peer is asked too."""
    if consecutive_fallbacks(events) >= HANDOFF_AFTER:
        return {"say": "fallback_again", "buttons": ["menu"], **handoff_signal("not_understood")}
    return {"say": "fallback", "buttons": FALLBACK_BUTTONS}


def plan_open_signal() -> dict[str, Any]:
    """Ask the gateway to open the person's signaleringsplan."""
    return {"signal": "plan_open"}
