"""The NLU training examples in `data/nlu/`, read for checks and evaluation (not for training).

Every intent is written as one block per language, marked `metadata: {language: nl|en}`, so the
number of examples per language can be counted and checked.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from bot.settings import ROOT

NLU_DIR = ROOT / "data" / "nlu"
# Two examples of one intent at or above this similarity (rapidfuzz ratio on normalised text)
# teach the model nothing new and inflate cross-validated scores: one of them goes.
NEAR_DUPLICATE_RATIO = 92


@dataclass(frozen=True)
class Example:
    """One training example and where it came from."""

    text: str
    intent: str
    language: str | None
    file: str


def load_examples(directory: Path = NLU_DIR) -> list[Example]:
    """Every example in every `*.yml` file of the directory, in file order."""
    examples = []
    for path in sorted(directory.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" not in block:
                continue
            language = (block.get("metadata") or {}).get("language")
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    text = line.strip()[2:].strip()
                    examples.append(Example(text, block["intent"], language, path.name))
    return examples


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: what makes two examples the same."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def duplicates(examples: list[Example]) -> list[tuple[Example, Example]]:
    """Pairs whose normalised text is identical (within or across intents)."""
    seen: dict[str, Example] = {}
    pairs = []
    for example in examples:
        key = normalise(example.text)
        if key in seen:
            pairs.append((seen[key], example))
        else:
            seen[key] = example
    return pairs


def near_duplicates(
    examples: list[Example], ratio: float = NEAR_DUPLICATE_RATIO
) -> list[tuple[Example, Example, float]]:
    """Pairs within one intent that differ only by a letter or two (identical ones excluded)."""
    by_intent: dict[str, list[Example]] = {}
    for example in examples:
        by_intent.setdefault(example.intent, []).append(example)
    pairs = []
    for group in by_intent.values():
        for first, second in itertools.combinations(group, 2):
            a, b = normalise(first.text), normalise(second.text)
            score = fuzz.ratio(a, b)
            if a != b and score >= ratio:
                pairs.append((first, second, score))
    return pairs
