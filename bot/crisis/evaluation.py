"""`make eval`, crisis part: recall and alarms per layer and combined, per language and class.

A crisis message counts as caught when the person gets crisis information in the same turn: the
full crisis path, or the direct question (which carries the lines). Hard negatives are counted
twice: how many got the full path (target at most 3%) and how many the question (at most 8%).
A row with context is judged after the person's earlier messages, as the gateway would.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from bot.crisis import corpus
from bot.crisis.assess import decide
from bot.crisis.encoder import embed
from bot.crisis.rules import detect_crisis
from bot.crisis.semantic import sentences

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from bot.crisis.semantic import Model, Scored

TARGET_RECALL = 0.95
TARGET_CLASS_RECALL = 0.85
TARGET_FULL_ALARMS = 0.03
TARGET_ASK_ALARMS = 0.08
GATEWAY = "rules + semantic (the gateway)"


@dataclass
class Tally:
    """Counts for one group of messages (a language, a class, or everything)."""

    crisis: int = 0
    caught: int = 0
    safe: int = 0
    full_alarms: int = 0
    ask_alarms: int = 0

    def add(self, example: corpus.Example, tier: str) -> None:
        """Count one judged message."""
        if example.label == "crisis":
            self.crisis += 1
            self.caught += tier != "none"
        else:
            self.safe += 1
            self.full_alarms += tier == "full"
            self.ask_alarms += tier == "ask"

    @property
    def recall(self) -> float:
        """Share of crisis messages that got crisis information."""
        return self.caught / self.crisis if self.crisis else float("nan")

    def cells(self) -> str:
        """'recall 91/110 = 82.7% · full 3/110 · ask 5/110'."""
        parts = []
        if self.crisis:
            parts.append(f"recall {self.caught}/{self.crisis} = {self.recall:.1%}")
        if self.safe:
            full, ask = self.full_alarms, self.ask_alarms
            parts.append(f"full path {full}/{self.safe} = {full / self.safe:.1%}")
            parts.append(f"question {ask}/{self.safe} = {ask / self.safe:.1%}")
        return " · ".join(parts)


@dataclass
class Report:
    """One layer (or the combination) on one set."""

    layer: str
    total: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_class: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    missed: list[str] = field(default_factory=list)
    alarmed: list[str] = field(default_factory=list)

    def add(self, example: corpus.Example, tier: str) -> None:
        """Count one judged message in every group it belongs to."""
        self.total.add(example, tier)
        self.by_language[example.language].add(example, tier)
        self.by_class[example.category].add(example, tier)
        if example.label == "crisis" and tier == "none":
            self.missed.append(example.text)
        elif example.label != "crisis" and tier != "none":
            self.alarmed.append(f"[{tier}] {example.text}")


def semantic_scores(model: Model, examples: list[corpus.Example]) -> list[tuple[Scored, float]]:
    """The semantic layer's score for every row after its context, and its context's danger.

    The context's danger is that of its most alarming message alone (1 when a rule fires on
    it), which is what the gateway remembers of each message.
    """
    texts = sorted({t for e in examples for t in (e.text, *e.context, *sentences(e.text))})
    vectors = embed(texts, threads=2)
    index = {t: i for i, t in enumerate(texts)}
    scores = []
    for example in examples:
        earlier = np.array([vectors[index[t]] for t in example.context]).reshape(-1, 512)
        none = earlier[:0]
        parts = sentences(example.text)
        part_vectors = np.array([vectors[index[t]] for t in parts]).reshape(-1, 512)
        scored = model.score_vectors(
            vectors[index[example.text]], earlier, example.text, part_vectors, parts
        )
        before = [
            1.0 if detect_crisis(t) else model.score_vectors(vectors[index[t]], none, t).alone
            for t in example.context
        ]
        scores.append((scored, max(before, default=0.0)))
    return scores


def evaluate(
    path: Path, model: Model | None, rasa_crisis: Callable[[list[str]], list[bool]] | None = None
) -> list[Report]:
    """Reports for the rules, the semantic layer, the Rasa intent, and their combination."""
    examples = corpus.read_examples(path)
    signals = [detect_crisis(e.text) for e in examples]
    rules = [decide(signal, None, None).tier for signal in signals]
    layers: dict[str, list[str]] = {"rules": rules}
    if model is not None:
        scores = semantic_scores(model, examples)
        layers["semantic"] = [decide(None, s, model, before).tier for s, before in scores]
        layers[GATEWAY] = [
            decide(signal, scored, model, before).tier
            for signal, (scored, before) in zip(signals, scores, strict=True)
        ]
    if rasa_crisis is not None:
        asked = ["ask" if hit else "none" for hit in rasa_crisis([e.text for e in examples])]
        layers["Rasa crisis intent (its soft reply names the lines)"] = asked
        base = layers.get(GATEWAY, rules)
        layers["gateway + Rasa's soft reply"] = [
            b if b != "none" else a for b, a in zip(base, asked, strict=True)
        ]
    reports = []
    for name, tiers in layers.items():
        report = Report(name)
        for example, tier in zip(examples, tiers, strict=True):
            report.add(example, tier)
        reports.append(report)
    return reports


def print_reports(title: str, reports: list[Report], *, details: bool = False) -> None:
    """The figures of one set, layer by layer; with `details`, per class and what went wrong."""
    languages = Counter()
    for language, tally in reports[0].by_language.items():
        languages[language] = tally.crisis + tally.safe
    size = reports[0].total.crisis + reports[0].total.safe
    counts = ", ".join(f"{k} {v}" for k, v in sorted(languages.items()))
    print(f"{title}: {size} messages ({counts})")
    for report in reports:
        print(f"  {report.layer}: {report.total.cells()}")
        for language, tally in sorted(report.by_language.items()):
            print(f"      {language}: {tally.cells()}")
    if details:
        last = next((r for r in reports if r.layer == GATEWAY), reports[-1])
        print(f"    per class ({last.layer}):")
        classes = sorted(last.by_class.items(), key=lambda item: (-item[1].crisis, item[0]))
        for name, tally in classes:
            print(f"      {name:<24} {tally.cells()}")
        for text in last.missed:
            print(f"    MISSED: {text}")
        for text in last.alarmed:
            print(f"    ALARM: {text}")


def rasa_intent_judge(model_path: Path) -> Callable[[list[str]], list[bool]]:
    """Whether the trained Rasa model reads each message as its `crisis` intent (in-process)."""
    import asyncio
    import logging
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from rasa.core.agent import Agent

    logging.getLogger("rasa").setLevel(logging.WARNING)
    agent = Agent.load(str(model_path))

    def judge(texts: list[str]) -> list[bool]:
        async def parse_all() -> list[bool]:
            parsed = [await agent.parse_message(text) for text in texts]
            return [(p.get("intent") or {}).get("name") == "crisis" for p in parsed]

        return asyncio.run(parse_all())

    return judge
