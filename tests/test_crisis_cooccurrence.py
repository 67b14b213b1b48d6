"""The broad net: a danger concept near intent or time fires; everyday lookalikes do not."""

from __future__ import annotations

import pytest

from bot.crisis.rules import detect_crisis

FIRES = [
    "heb mijn gitaar weggegeven, heb hem toch niet meer nodig",
    "ik heb al mijn medicijnen in een glas gedaan, ik doe het vanavond",
    "staring at the railing of the bridge thinking how easy it would be",
    "he has a knife and he is at the door right now",
    "the voices say i have to hurt my neighbour",
    "na vannacht maakt het allemaal niet meer uit voor mij",
    "sorry for everything, i love you all",
]
QUIET = [
    "i'm going to jump in the pool",
    "i just finished my meds course",
    "ik ga vanavond over de brug fietsen naar mijn moeder",
    "goodbye for now, see you tomorrow",
    "ik neem mijn medicatie vandaag gewoon zoals voorgeschreven",
    "the voice of my coach tells me to run faster",
    "in the game my character keeps dying on the bridge level tonight",
    "mijn vader neemt zijn pillen niet meer in, ik wil dat de huisarts kijkt",
    "thanks for everything, see you next week",
]


@pytest.mark.parametrize("text", FIRES)
def test_danger_near_intent_or_time_fires(text):
    signal = detect_crisis(text)
    assert signal is not None, text


@pytest.mark.parametrize("text", QUIET)
def test_everyday_lookalikes_stay_quiet(text):
    assert detect_crisis(text) is None, detect_crisis(text)
