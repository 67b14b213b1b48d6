"""One decision per message: which crisis tier and which kind of danger, rules and model together.

Tiers (README, Crisis safety):
- "full": a named rule fired, or the semantic layer is confident: the crisis reply of the kind,
  an urgent ticket and an alert to the peer team, in the same turn.
- "ask": the semantic layer is unsure: the direct question, with the crisis lines in the same
  message. Asking plainly about suicide does not raise risk (DeCou & Schumann 2018).
- "none": nothing from the crisis layers; the message goes its ordinary way.

The decision is made once, when the message arrives (before it is stored), and travels with it
(`Assessment.as_mark`), so a redelivered or retried update is never judged twice, and the
context below sees every message once, in order.

The context is the person's messages of the last `CONTEXT_SECONDS`, as embeddings in this
process's memory only: never stored, never logged, forgotten on /vergeetmij.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.crisis.rules import CrisisSignal, detect_crisis

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np

    from bot.crisis.semantic import Model, Scored

log = logging.getLogger(__name__)

TIERS = ("none", "ask", "full")
CONTEXT_SECONDS = 600.0  # at most ten minutes back
CONTEXT_MESSAGES = 3  # and at most this many messages
# More likely danger than not: two such messages in a row get the question.
LEANING = 0.5
# A message this short ("ok", "sorry", "k") says too little to take the full path on the model's
# word alone: the shipped model of 2026-12-03 read "sorry" at 1.00 and "k" at 0.997, because
# those words stood in the corpus only after alarming messages. It is asked, unless the context
# leans towards danger.
SHORT_WORDS = 2
# The rules know one kind of danger that is not about the writer's own life.
_RULE_KINDS = {"danger_from_other": "from_others"}


@dataclass(frozen=True)
class Assessment:
    """The crisis layers' verdict on one message. Never holds the message text."""

    tier: str = "none"
    kind: str = "self"  # "self", "others" or "from_others" (see bot.crisis.corpus.KINDS)
    layer: str = ""  # "rules" or "semantic": which layer decided (for logs and evaluation)
    score: float = 0.0  # the semantic layer's P(danger), 0 when it did not run
    # The crisis message for this verdict already went out, ahead of handling (the gateway's
    # crisis_first); handling then does the rest without sending it again.
    announced: bool = False

    @property
    def alarming(self) -> bool:
        """Whether the person gets crisis information in this turn."""
        return self.tier != "none"

    def as_mark(self) -> dict[str, Any]:
        """A JSON-safe form to store on the update."""
        return {
            "tier": self.tier,
            "kind": self.kind,
            "layer": self.layer,
            "score": round(self.score, 4),
            "announced": self.announced,
        }

    @classmethod
    def from_mark(cls, mark: Any) -> Assessment | None:
        """Read a stored mark back; None when it is missing or not ours."""
        if not isinstance(mark, dict) or mark.get("tier") not in TIERS:
            return None
        return cls(
            tier=mark["tier"],
            kind=str(mark.get("kind") or "self"),
            layer=str(mark.get("layer") or ""),
            score=float(mark.get("score") or 0.0),
            announced=bool(mark.get("announced")),
        )


NOTHING = Assessment()


def decide(
    signal: CrisisSignal | None,
    scored: Scored | None,
    model: Model | None,
    earlier_danger: float = 0.0,
) -> Assessment:
    """Rules and model together: the one place that turns their outputs into a tier and kind.

    - A rule: the full path (the model can be badly wrong on a plain sentence: it gave
      "ik heb een afscheidsbrief geschreven" 0.5%). Except a doubtful rule (one that only names
      the topic, or a co-occurrence net: `CrisisSignal.doubtful`) while the model would not even
      ask: then the question, lines included, and on "ja" the full path. Over all evaluation
      sets up to I, the topic words fired on 14 crises and 34 harmless messages, the model calm
      on 2 and 31 of them; the nets on 143 and 25, calm on 15 and 18. Never nothing: the model
      reads "zelfmoordgedachten, weer" at 0.6%.
    - No rule: the model's score against its two thresholds. A score that comes from one
      sentence read apart from its long message is at most the question, and so is one for a
      message of one or two words without a leaning context (SHORT_WORDS).
    - Two messages in a row that each lean towards danger (LEANING) get the question, though
      neither would alone; a message a rule fired on counts as leaning (RecentMessages).
    - Without the model (it could not load), the rules alone decide, as before it existed.
    """
    if signal is not None:
        kind = _RULE_KINDS.get(signal.category, "self")
        if scored is not None and model is not None:
            if scored.danger >= model.ask_at and scored.kind != "self":
                kind = scored.kind  # the rules know too little of danger to or from others
            calm = scored.danger < model.ask_at and signal.doubtful
            return Assessment("ask" if calm else "full", kind, "rules", scored.danger)
        return Assessment("full", kind, "rules")
    if scored is None or model is None:
        return NOTHING
    too_short = scored.words <= SHORT_WORDS and earlier_danger < LEANING
    if scored.danger >= model.full_at and not scored.sentence and not too_short:
        return Assessment("full", scored.kind, "semantic", scored.danger)
    if scored.danger >= model.ask_at:
        return Assessment("ask", scored.kind, "semantic", scored.danger)
    if scored.danger >= LEANING and earlier_danger >= LEANING:
        return Assessment("ask", scored.kind, "context", scored.danger)
    return Assessment("none", "self", "", scored.danger)


class RecentMessages:
    """Per person, the embeddings of their last few messages, for a few minutes, in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_person: dict[str, deque[tuple[float, np.ndarray, float]]] = {}

    def earlier(self, person: str, now: float) -> tuple[list[np.ndarray], float]:
        """The person's messages in the window (embeddings, oldest first), and their top danger.

        The danger is each message's own, alone; a message a rule fired on counts as 1.
        """
        with self._lock:
            recent = self._by_person.get(person)
            if not recent:
                return [], 0.0
            while recent and now - recent[0][0] > CONTEXT_SECONDS:
                recent.popleft()
            return [vector for _, vector, _ in recent], max((d for *_, d in recent), default=0.0)

    def add(self, person: str, vector: np.ndarray, danger: float, now: float) -> None:
        """Remember one more message (the oldest drops out beyond CONTEXT_MESSAGES)."""
        with self._lock:
            recent = self._by_person.setdefault(person, deque(maxlen=CONTEXT_MESSAGES))
            recent.append((now, vector, danger))
            if len(self._by_person) > 10_000:  # a long-running process: drop the stale ones
                self._sweep(now)

    def forget(self, person: str) -> None:
        """Erase what is held about this person (/vergeetmij)."""
        with self._lock:
            self._by_person.pop(person, None)

    def holds(self, person: str) -> bool:
        """Whether anything is held about this person (for tests)."""
        with self._lock:
            return bool(self._by_person.get(person))

    def _sweep(self, now: float) -> None:
        stale = [p for p, r in self._by_person.items() if not r or now - r[-1][0] > CONTEXT_SECONDS]
        for person in stale:
            del self._by_person[person]


class Assessor:
    """Rules and the semantic layer over one message and the person's recent ones."""

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        self.context = RecentMessages()
        self._model: Model | None = None
        self._failed = False

    def model(self) -> Model | None:
        """The semantic model, loaded on first use; None (rules only) when it cannot load."""
        if self._model is None and not self._failed:
            try:
                from bot.crisis.model_file import load

                self._model = load(self.model_dir)
            except Exception:
                self._failed = True  # the rules still answer; this is logged loudly once
                log.exception("semantic crisis layer unavailable: rules only")
        return self._model

    def warm_up(self) -> None:
        """Load the model and the encoder before the first person writes (about 2 s)."""
        if self.model() is not None:
            from bot.crisis.encoder import warm_up

            warm_up()

    def assess(
        self, person: str, text: str, *, now: float | None = None, answering: bool = False
    ) -> Assessment:
        """Judge one message of this person (a pseudonym), then remember it as their context.

        `answering`: the message answers the safety question just asked ("nee hoor", "niet
        echt"); it is judged on its own words, not after the messages that led to the question,
        or a "no" to the question could be met by the question again.
        """
        if not text or not text.strip() or text.startswith("/"):
            return NOTHING
        now = time.monotonic() if now is None else now
        signal = detect_crisis(text)
        model = self.model()
        if model is None:
            return decide(signal, None, None)
        import numpy as np

        from bot.crisis.encoder import embed
        from bot.crisis.semantic import sentences

        parts = sentences(text)
        vectors = embed([text, *parts])
        vector = vectors[0]
        earlier, earlier_danger = self.context.earlier(person, now)
        if answering:  # read on its own: neither the earlier messages nor their danger count
            earlier, earlier_danger = [], 0.0
        scored = model.score_vectors(
            vector, np.array(earlier) if earlier else vector[:0], text, vectors[1:], parts
        )
        self.context.add(person, vector, 1.0 if signal else scored.alone, now)
        return decide(signal, scored, model, earlier_danger)
