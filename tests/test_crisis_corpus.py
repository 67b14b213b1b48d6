"""The crisis corpus: big enough per class, and never overlapping the evaluation sets."""

from __future__ import annotations

import re
from collections import Counter

from bot.crisis import corpus
from bot.nlu_data import load_examples

CRISIS_CLASSES = {
    "explicit",
    "passive_wish",
    "indirect",
    "plan_means_timing",
    "lethality_question",
    "self_harm",
    "overdose_taken",
    "farewell",
    "command_hallucination",
    "hopeless_intent",
    "buried",
    "short",
    "short_context",
    "danger_from_others",
    "harm_to_others",
}
SAFE_CLASSES = {
    "idiom",
    "joke",
    "gaming",
    "grief",
    "recovered_past",
    "prevention_talk",
    "medication_question",
    "anger",
    "sadness_no_risk",
    "helpline_question",
    "short_context_safe",
    "fiction_news",
    "everyday",
    "worry_about_other",
    "recovery_talk",
    "everyday_plan",
    "short_safe",
}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def test_no_message_is_both_trained_on_and_evaluated():
    """Neither the semantic layer's corpus nor Rasa's NLU data holds an evaluation message."""
    trained = {_norm(e.text) for e in corpus.training_examples()}
    trained |= {_norm(e.text) for e in load_examples()}
    for name, path in corpus.EVAL_SETS.items():
        shared = [e.text for e in corpus.read_examples(path) if _norm(e.text) in trained]
        assert shared == [], f"{name}: {shared}"


def test_the_corpus_covers_every_class_in_both_languages():
    examples = [e for path in corpus.corpus_files() for e in corpus.read_examples(path)]
    assert {e.category for e in examples if e.label == "crisis"} == CRISIS_CLASSES
    assert {e.category for e in examples if e.label == "safe"} == SAFE_CLASSES
    per = Counter((e.category, e.language) for e in examples)
    thin = {key: n for key, n in per.items() if n < 40}
    assert thin == {}, f"classes with under 40 messages in a language: {thin}"
    crisis = sum(e.label == "crisis" for e in examples)
    safe = sum(e.label == "safe" for e in corpus.training_examples())
    assert crisis >= 2000 and safe >= 4000, (crisis, safe)


def test_context_rows_are_only_where_context_is_the_point():
    for path in corpus.corpus_files():
        for example in corpus.read_examples(path):
            has_context = bool(example.context)
            assert has_context == example.category.startswith("short_context"), example
