"""The semantic crisis layer: a classifier over sentence embeddings, with the person's context.

Rules only catch phrasings someone wrote down. Sentence embeddings place "t is op. vanavond." near
"I won't be here tomorrow" and far from "mijn gsm is dood", in Dutch and English alike, so a
classifier trained on them generalises to wordings nobody listed. It tells four kinds apart
(`corpus.KINDS`), because each kind of danger gets its own reply.

A message is scored alone and, when the person wrote in the last minutes, together with those
messages (their mean embedding as a second input): "ik doe het nu" after "alles ligt klaar" is
alarming, after "ik moet nog afwassen" it is not. The higher of the two scores counts, so context
can only add.

Three variants are trained and compared in `make eval` (see README, Crisis safety); `VARIANT` is
the one the gateway uses, chosen on blind figures. Training is `bot.crisis.training`; the model's
file beside the Rasa model, `bot.crisis.model_file`. This module is what scoring needs.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bot.crisis import corpus
from bot.crisis.encoder import DIMENSIONS, embed

if TYPE_CHECKING:
    from collections.abc import Sequence

VARIANTS = ("embeddings", "embeddings+chars", "nearest")
VARIANT = "embeddings+chars"  # best on blind set A at its first run (README, Crisis safety)
NEIGHBOURS = 5  # nearest-exemplar variant: mean similarity of this many exemplars per kind
TEMPERATURE = 20.0  # nearest-exemplar variant: similarity differences to probabilities
HASH_FEATURES = 2**18  # character n-grams, hashed (stateless: nothing to store but weights)
GRAM_SIZES = (2, 3, 4, 5)  # n-grams inside words padded with a space, as in "char_wb"
# How much the character n-grams count beside the embeddings (their vector's length). With 1.0
# and C 8 the model caught 60% of the crisis messages of the sets it was tuned on (development,
# held-out, A, B) where 4% of their harmless ones score higher; with 2.0 and C 32, on the larger
# corpus of 2026-12-03, 75% (ROC AUC 0.928 -> 0.951; 3.0 and 4.0 gave the same). Spelling, chat
# forms and drug names carry much of the signal a sentence encoder smooths away.
CHAR_WEIGHT = 2.0
# A long message is also scored sentence by sentence: a crisis sign inside a story about something
# else is diluted in the embedding of the whole. Only sentences of a few words count.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+|;\s*")
SENTENCE_WORDS = 3
# ... and a sentence counts apart only in a message that itself leans this much towards danger.
SENTENCE_NEEDS = 0.3


@dataclass(frozen=True)
class Scored:
    """What the semantic layer makes of one message."""

    danger: float  # probability that the message signals any kind of danger
    kind: str  # the most likely kind of danger (one of corpus.KINDS, never "safe")
    sentence: bool = False  # the danger is that of one sentence read apart from its message
    alone: float = 0.0  # the danger of the message alone, without context or sentences
    words: int = 0  # how many words the message has (one or two say too little on their own)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class Model:
    """A trained variant with its two thresholds; `score` is what the gateway calls."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.variant = str(arrays["variant"])
        self.ask_at = float(arrays["ask_at"])
        self.full_at = float(arrays["full_at"])
        self._arrays = arrays
        self._chars = self.variant == "embeddings+chars"

    # The three ways to turn (message, context) into four probabilities ------------------------

    def probabilities(
        self, new: np.ndarray, context: np.ndarray | None, texts: Sequence[str]
    ) -> np.ndarray:
        """Rows of P(kind) for messages (n x 512), their context means (or None) and texts."""
        if context is None:
            context = np.zeros_like(new)
        if self.variant == "nearest":
            return self._nearest(new, context)
        features = np.hstack([new, context])
        logits = features @ self._arrays["weights"][: 2 * DIMENSIONS] + self._arrays["bias"]
        if self._chars:
            char_weights = self._arrays["weights"][2 * DIMENSIONS :]
            grams = [char_grams(text) for text in texts]
            logits = logits + np.stack([values @ char_weights[index] for index, values in grams])
        return _softmax(np.asarray(logits))

    def _nearest(self, new: np.ndarray, context: np.ndarray) -> np.ndarray:
        has_context = np.linalg.norm(context, axis=1) > 0
        query = np.where(has_context[:, None], _unit(new + context), new)
        similarity = query @ self._arrays["exemplars"].astype(np.float32).T
        labels = self._arrays["exemplar_kinds"]
        per_kind = []
        for index in range(len(corpus.KINDS)):
            mine = similarity[:, labels == index]
            if mine.shape[1] == 0:  # a kind without exemplars is never the nearest
                per_kind.append(np.full(len(query), -1.0, dtype=np.float32))
                continue
            top = np.sort(mine, axis=1)[:, -NEIGHBOURS:]
            per_kind.append(top.mean(axis=1))
        return _softmax(TEMPERATURE * np.stack(per_kind, axis=1))

    # What the gateway asks --------------------------------------------------------------------

    def score(self, text: str, earlier: Sequence[str] = ()) -> Scored:
        """Score one message, alone, after what the person wrote just before, and by sentence."""
        parts = sentences(text)
        vectors = embed([text, *parts, *earlier])
        split = 1 + len(parts)
        return self.score_vectors(vectors[0], vectors[split:], text, vectors[1:split], parts)

    def score_vectors(
        self,
        new: np.ndarray,
        earlier: np.ndarray,
        text: str,
        part_vectors: np.ndarray | None = None,
        parts: Sequence[str] = (),
    ) -> Scored:
        """As `score`, from embeddings already made (the gateway keeps them for the context).

        The most alarming reading wins: the message alone, or after its context. One of its
        sentences alone (`sentences`) wins only when it is at least as sure as the full path
        asks (`full_at`): on posts of two to four sentences, any heavy sentence read alone
        reached the question threshold, and the question went to a third of harmless posts
        (blind set D) for about one crisis message in a hundred caught on chat-sized sets.
        And only when the whole message is not itself that sure (then the message decides, and
        may take the full path), and leans at least `SENTENCE_NEEDS` towards danger: a sad,
        grieving or medication post with one heavy sentence read calm as a whole (0.00-0.22),
        while every crisis message buried in everyday talk on the seen sets read 0.5 or more.
        """
        nothing = np.zeros_like(new)
        vectors, contexts, texts = [new], [nothing], [text]
        if len(earlier):
            vectors.append(new)
            contexts.append(_unit(earlier.mean(axis=0)))
            texts.append(text)
        lifted_from = len(vectors)  # the readings from here on are sentences read alone
        if part_vectors is not None:
            vectors += list(part_vectors)
            contexts += [nothing] * len(parts)
            texts += list(parts)
        safe = self.probabilities(np.stack(vectors), np.stack(contexts), texts)  # one pass
        best = int(np.argmin(safe[:lifted_from, 0]))
        whole = 1.0 - safe[best, 0]
        if lifted_from < len(texts) and SENTENCE_NEEDS <= whole < self.full_at:
            sentence = lifted_from + int(np.argmin(safe[lifted_from:, 0]))
            if 1.0 - safe[sentence, 0] >= self.full_at:
                best = sentence
        kind = corpus.KINDS[1 + int(np.argmax(safe[best, 1:]))]
        return Scored(
            danger=float(1.0 - safe[best, 0]),
            kind=kind,
            sentence=best >= lifted_from,
            alone=float(1.0 - safe[0, 0]),
            words=len(text.split()),
        )


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def char_grams(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Hashed character n-grams of a message (column numbers; counts normalised to CHAR_WEIGHT).

    Typos, chat spelling and drug names share n-grams where embeddings differ. Hashed with
    crc32 here rather than by scikit-learn, so scoring needs neither scikit-learn nor scipy
    (42 MB less in the gateway); training uses the same function.
    """
    counts: dict[int, float] = {}
    for word in text.lower().split():
        padded = f" {word} "
        for size in GRAM_SIZES:
            for start in range(max(len(padded) - size + 1, 1)):
                column = zlib.crc32(padded[start : start + size].encode()) % HASH_FEATURES
                counts[column] = counts.get(column, 0.0) + 1.0
    columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
    values = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
    norm = float(np.linalg.norm(values))
    return columns, values * (CHAR_WEIGHT / norm) if norm else values


def sentences(text: str) -> list[str]:
    """The sentences of a message worth scoring alone: none unless there are at least two."""
    parts = [part.strip() for part in _SENTENCE_END.split(text)]
    parts = [part for part in parts if len(part.split()) >= SENTENCE_WORDS]
    return parts if len(parts) >= 2 else []
