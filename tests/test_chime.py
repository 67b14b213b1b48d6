"""Choosing a hope prompt along CHIME: by the person's words, never the same one twice."""

from __future__ import annotations

import random

import pytest

from bot import chime

COUNTS = {e: 8 for e in chime.ELEMENTS}


@pytest.mark.parametrize(
    ("message", "element"),
    [
        ("ik voel me zo eenzaam sinds de verhuizing", "connectedness"),
        ("I feel so lonely and isolated", "connectedness"),
        ("alles voelt hopeloos, ik zie geen toekomst", "hope"),
        ("I feel hopeless about the future", "hope"),
        ("ik ben meer dan mijn diagnose, maar wie ben ik nu?", "identity"),
        ("I'm ashamed, is my illness who I am?", "identity"),
        ("mijn dagen voelen zinloos en leeg", "meaning"),
        ("my days feel meaningless and empty", "meaning"),
        ("ik wil weer grip op mijn leven en zelf beslissen", "empowerment"),
        ("I feel powerless, I want to take control again", "empowerment"),
        ("Geïsoleerd, niemand belt me", "connectedness"),  # diacritics and capitals
    ],
)
def test_element_follows_the_persons_words(message, element):
    assert chime.element_from_words(message) == element


@pytest.mark.parametrize("message", ["", "geef me iets", "inspire me", '/ask_hope{"x":"hope"}'])
def test_no_element_from_neutral_words_or_button_payloads(message):
    assert chime.element_from_words(message) is None


def test_words_beat_button_beat_phase_beat_least_used():
    used = ["hope:0", "hope:1", "identity:0"]

    def pick(**kw):
        args = {"text": None, "requested": None, "phase": None, "used": used, "counts": COUNTS}
        return chime.choose(**{**args, **kw}).element

    assert pick(text="so lonely", requested="meaning", phase="living_beyond") == "connectedness"
    assert pick(requested="meaning", phase="living_beyond") == "meaning"
    assert pick(phase="living_beyond") == "empowerment"
    assert pick(phase="overwhelmed") == "connectedness"
    assert pick() in {"connectedness", "meaning", "empowerment"}  # none of those used yet


def test_never_repeats_a_prompt_within_a_conversation():
    used: list[str] = []
    rng = random.Random(7)
    for _ in range(sum(COUNTS.values())):
        choice = chime.choose(
            text="eenzaam", requested=None, phase=None, used=used, counts=COUNTS, rng=rng
        )
        assert choice.used_id not in used
        used.append(choice.used_id)
    assert len(set(used)) == 40
    # connectedness ran out after 8, then the others were used instead, flagged as such
    assert used[:8] == [u for u in used if u.startswith("connectedness:")]
    last = chime.choose(text="eenzaam", requested=None, phase=None, used=used, counts=COUNTS)
    assert last.element is None and last.exhausted


def test_an_element_that_ran_out_gives_way_to_the_least_used():
    used = [f"hope:{i}" for i in range(8)] + ["meaning:0"]
    choice = chime.choose(text=None, requested="hope", phase=None, used=used, counts=COUNTS)
    assert choice.exhausted and choice.element in {"connectedness", "identity", "empowerment"}


def test_other_elements_offers_the_least_seen():
    assert chime.other_elements("hope", ["connectedness:0", "identity:1"]) == [
        "meaning",
        "empowerment",
    ]
