"""How long the crisis layers take, and what the semantic layer costs in memory.

The rules: 500-character texts built from the labelled development set
(tests/data/crisis_messages.csv), so they mix safe and crisis phrasings, Dutch and English
(target: under 1 ms each). The semantic layer: the gateway's whole judgement of the development
set's messages, one by one with the person's context, against the rules alone on the same
messages (target: at most 5 ms more at p50), and the gateway-sized process's resident memory
before and after the model and encoder load (target: at most 150 MB), in a fresh process so
nothing else is counted.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time

from bench.stats import percentile
from bot.crisis.rules import detect_crisis
from bot.settings import ROOT

CRISIS_SET = ROOT / "tests" / "data" / "crisis_messages.csv"
LENGTH = 500
TARGET_MS = 1.0
SEMANTIC_TARGET_MS = 5.0
SEMANTIC_TARGET_MB = 150.0


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


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _semantic_here() -> dict[str, float]:
    """Run in a fresh process: memory of loading the layer, then time per judgement."""
    import bot.gateway  # noqa: F401  (what the gateway has loaded before the model)

    before = _rss_mb()
    from bot.crisis.assess import Assessor

    assessor = Assessor(ROOT / "models")
    assessor.warm_up()
    after = _rss_mb()
    with CRISIS_SET.open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    rules, whole = [], []
    for round_ in range(3):
        for index, text in enumerate(texts):
            began = time.perf_counter()
            detect_crisis(text)
            rules.append(time.perf_counter() - began)
            began = time.perf_counter()
            assessor.assess(f"p{round_}-{index % 20}", text)  # 20 people: context builds up
            whole.append(time.perf_counter() - began)
    rules_ms, whole_ms = [t * 1000 for t in rules], [t * 1000 for t in whole]
    return {
        "messages": len(whole_ms),
        "rules_p50_ms": round(percentile(rules_ms, 50), 3),
        "layers_p50_ms": round(percentile(whole_ms, 50), 3),
        "layers_p95_ms": round(percentile(whole_ms, 95), 3),
        "added_p50_ms": round(percentile(whole_ms, 50) - percentile(rules_ms, 50), 3),
        "added_mb": round(after - before, 1),
        "target_ms": SEMANTIC_TARGET_MS,
        "target_mb": SEMANTIC_TARGET_MB,
    }


def measure_semantic() -> dict[str, float]:
    """The semantic layer's cost, measured in a fresh process (the model must be trained)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.crisis_speed"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(_semantic_here()))
