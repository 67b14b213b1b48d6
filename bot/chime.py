"""Hope prompts along CHIME: which element fits, and which prompt has not been used yet.

CHIME (Leamy et al., 2011) names five recovery processes: connectedness, hope and optimism,
identity, meaning and empowerment. The texts are lists of prompts (`hope_<element>` in
bot/texts); this module only chooses. Order of choice, most personal first:

1. what the person brings: words in their latest typed message ("eenzaam" → connectedness);
2. what they asked for: a chime_* button (the `chime_element` entity or slot);
3. where they are: the phase from the check-in;
4. otherwise the element they have seen least of.

A prompt is never shown twice within a conversation: `prompts_used` holds "element:index".
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ELEMENTS = ("connectedness", "hope", "identity", "meaning", "empowerment")

# Word stems (normalised: lower case, no diacritics), Dutch and English. A stem matches at the
# start of a word, so "eenzaam" also finds "eenzaamheid". Kept short and unambiguous on purpose:
# a wrong guess is worse than falling back to the phase or the least-used element.
LEXICON: dict[str, tuple[str, ...]] = {
    "connectedness": (
        "eenzaam",
        "zo alleen",
        "alleen zijn",
        "in mijn eentje",
        "vriend",
        "familie",
        "contact",
        "verbind",
        "verbond",
        "niemand",
        "buitengesloten",
        "geisoleerd",
        "isolement",
        "steun",
        "samen",
        "relatie",
        "lonely",
        "loneliness",
        "alone",
        "friend",
        "family",
        "isolated",
        "nobody",
        "connect",
        "support",
        "belong",
        "left out",
    ),
    "hope": (
        "hoop",
        "hopeloos",
        "uitzichtloos",
        "moedeloos",
        "somber",
        "toekomst",
        "optimis",
        "beter worden",
        "lichtpunt",
        "vooruitzicht",
        "hope",
        "hopeless",
        "future",
        "pointless",
        "no way out",
        "gloomy",
        "give up",
        "light at the end",
    ),
    "identity": (
        "wie ben ik",
        "wie ik ben",
        "mezelf",
        "mijzelf",
        "identiteit",
        "label",
        "stempel",
        "schaam",
        "patient",
        "mijn ziekte",
        "ik ben mijn",
        "who i am",
        "myself",
        "identity",
        "diagnos",
        "stigma",
        "ashamed",
        "shame",
        "my illness",
    ),
    "meaning": (
        "zinloos",
        "zingeving",
        "betekenis",
        "waarde",
        "leeg",
        "nutteloos",
        "doel in",
        "geloof",
        "spiritu",
        "vrijwilliger",
        "rol",
        "meaning",
        "meaningless",
        "purpose",
        "empty",
        "worth",
        "why bother",
        "value",
        "faith",
        "spiritual",
        "volunteer",
        "role",
    ),
    "empowerment": (
        "regie",
        "zelf kiezen",
        "zelf beslissen",
        "grip",
        "controle",
        "kracht",
        "sterk",
        "machteloos",
        "afhankelijk",
        "stap",
        "doel",
        "plannen",
        "zelfstandig",
        "control",
        "in charge",
        "strength",
        "strong",
        "powerless",
        "helpless",
        "depend",
        "step",
        "goal",
        "plan",
        "choose",
        "decide",
    ),
}

# Prompts that take a contact for granted ("who would you message first with good news?"), by
# index in the hope_<element> lists (the same index means the same prompt in nl and en). They are
# not given to someone who wrote about loneliness in their last few messages.
ASSUMES_CONTACT: dict[str, frozenset[int]] = {
    "connectedness": frozenset({0, 1, 2, 3, 11}),
    "meaning": frozenset({4}),
}
LONELY = (
    "eenzaam",
    "zo alleen",
    "alleen zijn",
    "helemaal alleen",
    "in mijn eentje",
    "niemand",
    "geen vrienden",
    "geen contact",
    "buitengesloten",
    "geisoleerd",
    "isolement",
    "lonely",
    "loneliness",
    "alone",
    "nobody",
    "no one",
    "no friends",
    "isolated",
    "left out",
)


def lonely(texts: Iterable[str | None]) -> bool:
    """Whether any of these typed messages speaks of loneliness."""
    for text in texts:
        if text and not text.lstrip().startswith("/"):
            words = f" {normalise(text)}"
            if any(f" {stem}" in words for stem in LONELY):
                return True
    return False


# The element that fits a phase of recovery when the person gave no other clue.
PHASE_ELEMENT = {
    "overwhelmed": "connectedness",  # not alone first; no push towards action
    "struggling": "hope",
    "living_with": "identity",
    "living_beyond": "empowerment",
}


def normalise(text: str) -> str:
    """Lower case, no diacritics, single spaces: "Geïsoleerd!" → "geisoleerd"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", plain).split())


def element_from_words(text: str | None) -> str | None:
    """The element the person's own words point at, or None (buttons and commands never do).

    Each element scores the stems that start a word in the message; the highest score wins,
    ties go to the order of ELEMENTS (connectedness first: loneliness is the commonest need).
    """
    if not text or text.lstrip().startswith("/"):
        return None
    words = f" {normalise(text)}"
    scores = {
        element: sum(1 for stem in set(stems) if f" {stem}" in words)
        for element, stems in LEXICON.items()
    }
    best = max(ELEMENTS, key=lambda e: scores[e])
    return best if scores[best] else None


def parse_used(used: Iterable[str] | None) -> dict[str, set[int]]:
    """`["hope:2", "meaning:0"]` → {"hope": {2}, "meaning": {0}, ...}; junk is ignored."""
    result: dict[str, set[int]] = {e: set() for e in ELEMENTS}
    for item in used or ():
        element, _, index = str(item).partition(":")
        if element in result and index.isdigit():
            result[element].add(int(index))
    return result


@dataclass(frozen=True)
class Choice:
    """The prompt to show, or None when every prompt has been used."""

    element: str | None
    index: int | None
    wanted: str  # the element the person's words, button or phase pointed at
    exhausted: bool  # the wanted element had nothing left, so another was taken

    @property
    def key(self) -> str | None:
        """The text key of the chosen prompt list (`hope_<element>`)."""
        return f"hope_{self.element}" if self.element else None

    @property
    def used_id(self) -> str | None:
        """What to add to `prompts_used`."""
        return f"{self.element}:{self.index}" if self.element is not None else None


def wanted_element(
    *, text: str | None, requested: str | None, phase: str | None, used: Mapping[str, set[int]]
) -> str:
    """Words first, then the button, then the phase, then the least-used element."""
    for candidate in (element_from_words(text), requested, PHASE_ELEMENT.get(phase or "")):
        if candidate in ELEMENTS:
            return candidate
    return min(ELEMENTS, key=lambda e: len(used.get(e, ())))


def choose(
    *,
    text: str | None,
    requested: str | None,
    phase: str | None,
    used: Iterable[str] | None,
    counts: Mapping[str, int],
    rng: random.Random | None = None,
    alone: bool = False,
) -> Choice:
    """Pick an unused prompt: from the wanted element, else from the least-used one with room.

    Args:
        text: the person's latest message (typed text; button payloads are ignored).
        requested: an element asked for with a button.
        phase: the phase from the check-in, if any.
        used: `prompts_used` so far.
        counts: how many prompts each element has (from the text catalogue).
        rng: randomness, injectable for tests.
        alone: the person wrote about loneliness: no prompt that takes a contact for granted.
    """
    rng = rng or random.Random()
    seen = parse_used(used)
    wanted = wanted_element(text=text, requested=requested, phase=phase, used=seen)

    def free(element: str) -> list[int]:
        skip = ASSUMES_CONTACT.get(element, frozenset()) if alone else frozenset()
        return [
            i for i in range(counts.get(element, 0)) if i not in seen[element] and i not in skip
        ]

    element = wanted
    if not free(element):
        left = [e for e in ELEMENTS if free(e)]
        if not left:
            return Choice(None, None, wanted, exhausted=True)
        element = min(left, key=lambda e: len(seen[e]))
    return Choice(element, rng.choice(free(element)), wanted, exhausted=element != wanted)


def other_elements(current: str | None, used: Iterable[str] | None, n: int = 2) -> list[str]:
    """The n elements besides the current one the person has seen least of (for buttons)."""
    seen = parse_used(used)
    others = [e for e in ELEMENTS if e != current]
    return sorted(others, key=lambda e: len(seen[e]))[:n]
