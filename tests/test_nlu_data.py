"""The NLU training data: enough examples per intent in both languages, and no copies.

The cross-validated F1 per intent is measured by `make eval` (too slow for `make test`); these
checks guard what that figure rests on.
"""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from bot.intent_evaluation import INTENTS_BLIND_SETS
from bot.language import detect_language
from bot.nlu_data import duplicates, load_examples, near_duplicates
from bot.settings import ROOT

MIN_PER_LANGUAGE = 20
LANGUAGES = ("nl", "en")


@pytest.fixture(scope="module")
def examples():
    return load_examples()


def domain_intents() -> list[str]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]


def test_every_example_block_names_its_language(examples):
    unmarked = {(e.file, e.intent) for e in examples if e.language not in LANGUAGES}
    assert not unmarked, f"blocks without metadata language nl/en: {sorted(unmarked)}"


def test_examples_are_only_for_intents_in_the_domain(examples):
    assert {e.intent for e in examples} <= set(domain_intents())


@pytest.mark.parametrize("intent", domain_intents())
def test_every_domain_intent_has_enough_examples_in_both_languages(examples, intent):
    counts = Counter(e.language for e in examples if e.intent == intent)
    for language in LANGUAGES:
        assert counts[language] >= MIN_PER_LANGUAGE, f"{intent}/{language}: {counts[language]}"


def test_no_example_appears_twice_within_or_across_intents(examples):
    pairs = [(a.intent, b.intent, b.text) for a, b in duplicates(examples)]
    assert not pairs, pairs


def test_no_near_duplicates_within_an_intent(examples):
    pairs = [(a.intent, a.text, b.text, round(score)) for a, b, score in near_duplicates(examples)]
    assert not pairs, pairs


def test_language_labels_agree_with_the_language_detector(examples):
    """A block filed under the wrong language would disagree on most of its examples."""
    blocks: dict[tuple[str, str], list[str]] = {}
    for example in examples:
        blocks.setdefault((example.intent, example.language), []).append(example.text)
    for (intent, language), texts in blocks.items():
        wrong = [t for t in texts if detect_language(t) not in (None, language)]
        assert len(wrong) <= 0.2 * len(texts), f"{intent}/{language}: {wrong}"


def test_near_duplicate_check_catches_a_one_letter_variant():
    from bot.nlu_data import Example

    pair = [
        Example("ik wil een signaleringsplan maken", "my_plan", "nl", "x.yml"),
        Example("ik wil een signaleringsplan maaken", "my_plan", "nl", "x.yml"),
    ]
    assert near_duplicates(pair)
    assert not duplicates(pair)


def test_nlu_report_names_intents_below_target_and_confusion_pairs():
    from bot.intent_evaluation import NluReport, format_nlu_report

    row = {"precision": 0.95, "recall": 0.95, "f1-score": 0.95, "support": 40}
    weak = {"precision": 0.8, "recall": 0.7, "f1-score": 0.75, "support": 40}
    errors = [{"text": "x", "intent": "mood_good", "intent_prediction": {"name": "share_feeling"}}]
    report = NluReport(5, 50.0, {"greet": row, "mood_good": weak}, 0.9, errors * 3)
    assert report.below_target == ["mood_good"]
    text = format_nlu_report(report)
    assert "3  mood_good -> share_feeling" in text
    assert "below F1 0.90: mood_good" in text


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.parametrize("path", INTENTS_BLIND_SETS, ids=lambda path: path.name)
def test_no_training_example_is_a_message_of_a_blind_intent_set(examples, path):
    """The blind sets measure messages the model never saw: none may be trained on."""
    import csv

    with path.open(encoding="utf-8") as handle:
        blind = {_normalised(row["text"]) for row in csv.DictReader(handle)}
    assert len(blind) > 300
    copied = sorted(e.text for e in examples if _normalised(e.text) in blind)
    assert not copied, copied
