"""Every feature the router hands messages to, in one list: a new feature is one line here.

Each feature module declares a `FEATURE` (bot.port.Feature): its commands, button prefixes,
Rasa signals, and its part in a person's rights. The router (bot.gateway.router) dispatches
from the tables below; privacy (bot.privacy) exports and erases by walking the list.
"""

from __future__ import annotations

from bot.console import link as console
from bot.directory import chat as directory
from bot.plan import feature as plan
from bot.port import ButtonPress, Command, Feature, Signal
from bot.strengths import feature as strengths

FEATURES: tuple[Feature, ...] = (
    plan.FEATURE,
    strengths.FEATURE,
    directory.FEATURE,
    console.FEATURE,
)


def _table(name: str) -> dict:
    table: dict = {}
    for feature in FEATURES:
        for key, handler in getattr(feature, name).items():
            if key in table:
                raise ValueError(f"two features claim {name[:-1]} {key!r}")
            table[key] = handler
    return table


COMMANDS: dict[str, Command] = _table("commands")
BUTTONS: dict[str, ButtonPress] = _table("buttons")  # by prefix of the button's data
SIGNALS: dict[str, Signal] = _table("signals")


def button_for(data: str) -> ButtonPress | None:
    """The feature handler whose prefix this button's data starts with, if any."""
    return next((h for prefix, h in BUTTONS.items() if data.startswith(prefix)), None)
