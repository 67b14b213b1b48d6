"""How long the crisis rules take on a long message (target: under 1 ms per 500 characters).

The messages are 500-character texts built from the labelled development set
(tests/data/crisis_messages.csv), so they mix safe and crisis phrasings, Dutch and English.
"""

from __future__ import annotations

import csv
import time

from bench.stats import percentile
from bot.crisis.rules import detect_crisis
from bot.settings import ROOT

CRISIS_SET = ROOT / "tests" / "data" / "crisis_messages.csv"
LENGTH = 500
TARGET_MS = 1.0


def long_messages(length: int = LENGTH, count: int = 200) -> list[str]:
    """`count` messages of exactly `length` characters, each a run of labelled messages."""
    with CRISIS_SET.open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    messages = []
    for start in range(count):
        parts, index = [], start
        while sum(len(p) + 2 for p in parts) < length:
            parts.append(texts[index % len(texts)])
            index += 7
        messages.append((". ".join(parts))[:length])
    return messages


def measure(repeat: int = 5) -> dict[str, float]:
    """Milliseconds per 500-character message: mean, p50, p99, max over every call."""
    messages = long_messages()
    for message in messages[:20]:  # warm the regex caches
        detect_crisis(message)
    times = []
    for _ in range(repeat):
        for message in messages:
            began = time.perf_counter()
            detect_crisis(message)
            times.append(time.perf_counter() - began)
    ms = [t * 1000 for t in times]
    return {
        "chars": LENGTH,
        "calls": len(ms),
        "mean_ms": round(sum(ms) / len(ms), 3),
        "p50_ms": round(percentile(ms, 50), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "max_ms": round(max(ms), 3),
        "target_ms": TARGET_MS,
    }
