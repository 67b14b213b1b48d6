"""Which language a message is written in, trusted only when the evidence is strong.

langdetect is loaded with only the Dutch and English profiles: choosing among 55 languages,
short Dutch chat is often called Afrikaans and short English Welsh, while choosing between the
two we answer in is reliable. It is seeded, so the same text always gives the same answer.
Below a length threshold only a small lexicon of greetings is used; otherwise the conversation
keeps its language (Dutch by default).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import langdetect
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from bot.texts import LANGUAGES

MIN_LETTERS = 12
MIN_PROBABILITY = 0.90
SHORT_WORDS = {
    "hallo": "nl",
    "hoi": "nl",
    "hi": "en",
    "hello": "en",
    "dag": "nl",
    "goedemorgen": "nl",
    "goedemiddag": "nl",
    "goedenavond": "nl",
    "doei": "nl",
    "bedankt": "nl",
    "dankjewel": "nl",
    "dank je": "nl",
    "thanks": "en",
    "thank you": "en",
    "bye": "en",
    "good morning": "en",
    "ja": "nl",
    "nee": "nl",
    "yes": "en",
    "no": "en",
    "help": None,
}


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    profiles = Path(langdetect.__file__).resolve().parent / "profiles"
    factory = DetectorFactory()
    # A language langdetect has no profile for is never detected; /taal still chooses it.
    known = [profiles / lang for lang in LANGUAGES if (profiles / lang).exists()]
    factory.load_json_profile([path.read_text(encoding="utf-8") for path in known])
    factory.set_seed(0)
    return factory


def detect_language(text: str) -> str | None:
    """Return "nl" or "en" when confident, else None (keep the conversation's language)."""
    words = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    if words in SHORT_WORDS:
        return SHORT_WORDS[words]
    if sum(ch.isalpha() for ch in words) < MIN_LETTERS:
        return None
    detector = _factory().create()
    detector.append(words)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None
    return best.lang if best.prob >= MIN_PROBABILITY else None


# Languages people here may write in that we do not answer in; a polite note says so.
NOTICED_OTHER = {"fr", "de", "es", "it", "pt", "pl", "tr", "ar", "ru", "uk", "ro", "bg", "fa"}
OTHER_MIN_LETTERS = 20
OTHER_MIN_PROBABILITY = 0.95
# Everyday Dutch and English words that are not words in the noticed languages: a message
# with one of them is ours. It skips the 55-language detector, which takes 3-7 ms a message and
# called 13 of our 3,559 own short messages French, Italian or Turkish ("I could use some
# encouragement"); with this check 0 of them, and still 24 of 24 foreign test sentences.
OUR_WORDS = frozenset(
    "ik het een niet wat hoe mijn jij jou jouw zijn voor maar ook heb ben wil kan zo echt "
    "graag geen meer wel nog naar hier dat dit deze zitten groep herstelacademie the and you "
    "what how my not with but this that i'm i've isn't it's don't i'd have want can feel just "
    "really would about your someone some could been since please question called is are does "
    "group support let's these".split()
)


@lru_cache(maxsize=1)
def _all_languages() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(str(Path(langdetect.__file__).resolve().parent / "profiles"))
    factory.set_seed(0)
    return factory


def other_language(text: str) -> str | None:
    """The language code when a message is clearly in a language we do not speak, else None.

    Only languages likely here count, and only on messages long enough to tell: a false alarm
    would answer a Dutch or English speaker in the wrong way.
    """
    if sum(ch.isalpha() for ch in text) < OTHER_MIN_LETTERS:
        return None
    if not OUR_WORDS.isdisjoint(re.findall(r"[\w']+", text.lower())):
        return None
    detector = _all_languages().create()
    detector.append(text.lower())
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None
    if best.lang in NOTICED_OTHER and best.prob >= OTHER_MIN_PROBABILITY:
        return best.lang
    return None


def warm_up() -> None:
    """Load the language profiles now: lazily, the first long message waited half a second."""
    _factory()
    _all_languages()
