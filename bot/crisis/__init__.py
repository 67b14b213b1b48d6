"""Crisis detection: named rules, a broad net, and a semantic layer, decided once per message.

`rules` (named patterns) and `broad` (a danger concept near intent or time) need nothing but the
standard library, so they answer even when nothing else loads.
"""

from __future__ import annotations

from bot.crisis.rules import CATEGORIES, CrisisSignal, detect_crisis, normalise

__all__ = ["CATEGORIES", "CrisisSignal", "detect_crisis", "normalise"]
