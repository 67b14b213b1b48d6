"""Noticing the person's own early warning signs in what they write.

A sign is one line (or comma/semicolon-separated part) of their "early warning signs" answer.
Both sides are normalised (lower case, accents and punctuation removed), then a sign matches
when it appears in the message as whole words, or, for signs of six characters or more, when
rapidfuzz's partial ratio is at least `FUZZY_CUTOFF` (a typo, "slecht slapn"). Short signs
("moe") must match as a whole word, so "moeder" does not count.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

FUZZY_CUTOFF = 90
MIN_SIGN_CHARS = 3
MIN_FUZZY_CHARS = 6
_SPLIT = re.compile(r"[\n,;•·]+|\s-\s")
_NOT_WORD = re.compile(r"[^\w\s]+")


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def split_signs(answer: str) -> tuple[str, ...]:
    """The separate signs in an answer, normalised; very short fragments are dropped."""
    signs = []
    for part in _SPLIT.split(answer):
        sign = normalise(part.strip().lstrip("-*").strip())
        if len(sign) >= MIN_SIGN_CHARS and sign not in signs:
            signs.append(sign)
    return tuple(signs)


def find_sign(signs: tuple[str, ...], message: str) -> str | None:
    """The first of the person's signs that the message contains, or None."""
    if not signs:
        return None
    text = normalise(message)
    padded = f" {text} "
    for sign in signs:
        if f" {sign} " in padded:
            return sign
    for sign in signs:
        if (
            len(sign) >= MIN_FUZZY_CHARS
            and len(text) >= len(sign) - 1
            and fuzz.partial_ratio(sign, text, score_cutoff=FUZZY_CUTOFF)
        ):
            return sign
    return None
