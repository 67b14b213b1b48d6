"""Which language a message is in: the note for other languages must not meet our own people."""

from __future__ import annotations

import csv

from bot.language import detect_language, other_language
from bot.nlu_data import load_examples
from bot.settings import ROOT

DATA = ROOT / "tests" / "data"


def our_messages() -> list[str]:
    """Every Dutch and English message we have: NLU examples, crisis and directory sets."""
    texts = [example.text for example in load_examples()]
    for name in (
        "crisis_messages",
        "crisis_holdout",
        "crisis_final",
        "directory_queries",
        "directory_queries_blind",
    ):
        with (DATA / f"{name}.csv").open(encoding="utf-8") as handle:
            texts += [row[0] for row in list(csv.reader(handle))[1:] if row]
    return texts


def test_none_of_our_own_messages_is_taken_for_another_language():
    messages = our_messages()
    assert len(messages) > 2500
    flagged = [(text, other_language(text)) for text in messages if other_language(text)]
    assert flagged == []


def test_messages_in_languages_we_do_not_speak_are_noticed():
    foreign = (DATA / "other_language_messages.txt").read_text(encoding="utf-8").splitlines()
    assert len(foreign) >= 20
    missed = [text for text in foreign if other_language(text) is None]
    assert missed == []


def test_dutch_and_english_are_told_apart_and_short_words_use_the_lexicon():
    assert detect_language("ik voel me vandaag zo somber en moe van alles") == "nl"
    assert detect_language("I feel so anxious and low today") == "en"
    assert detect_language("hoi") == "nl" and detect_language("thanks") == "en"
    assert detect_language("ok") is None  # too short to tell: keep the conversation's language
