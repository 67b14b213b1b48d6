"""Turn records and the figures computed from them, free of I/O so they test plainly.

A turn is one thing a simulated person does (a message or a button press) and the bubbles it
expects back. The client records when it was posted and when each reply arrived; everything
reported (percentiles, throughput, lost and duplicated replies) is computed here.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field


@dataclass
class Turn:
    """One posted message or button press and the replies that came back for it."""

    kind: str
    sent_at: float
    expected: int
    replies: list[float] = field(default_factory=list)  # arrival times, in order
    crisis: bool = False
    error: str | None = None

    @property
    def complete(self) -> bool:
        """All expected replies arrived (within the grace period)."""
        return self.error is None and len(self.replies) >= self.expected

    @property
    def latency(self) -> float | None:
        """Seconds from posting to the last expected reply; None when replies are missing."""
        if not self.complete or self.expected == 0:
            return None
        return self.replies[self.expected - 1] - self.sent_at

    @property
    def first_latency(self) -> float | None:
        """Seconds from posting to the first reply, if any came."""
        return self.replies[0] - self.sent_at if self.replies and self.error is None else None

    @property
    def missing(self) -> int:
        """Expected replies that never came."""
        if self.error is not None:
            return self.expected
        return max(self.expected - len(self.replies), 0)

    @property
    def extra(self) -> int:
        """Replies beyond the expected ones (duplicates or unexpected bubbles)."""
        return max(len(self.replies) - self.expected, 0) if self.error is None else 0

    def as_dict(self) -> dict:
        """Plain data for the JSON result file."""
        return asdict(self)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation; None for no values."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def latency_summary(latencies: Sequence[float]) -> dict[str, float | None]:
    """p50/p95/p99/max in milliseconds."""
    return {
        "n": len(latencies),
        "p50_ms": _ms(percentile(latencies, 50)),
        "p95_ms": _ms(percentile(latencies, 95)),
        "p99_ms": _ms(percentile(latencies, 99)),
        "max_ms": _ms(max(latencies) if latencies else None),
    }


def summarise(turns: Iterable[Turn], window: tuple[float, float]) -> dict:
    """Figures for one load level.

    Args:
        turns: Every turn of the level.
        window: (start, end) of the measurement window (monotonic seconds): latencies and
            throughput count turns posted inside it; lost and extra replies count every turn,
            because a reply lost during warm-up is lost all the same.
    """
    turns = list(turns)
    start, end = window
    inside = [t for t in turns if start <= t.sent_at < end]
    latencies = [t.latency for t in inside if t.latency is not None]
    crisis = [t.first_latency for t in inside if t.crisis and t.first_latency is not None]
    span = max(end - start, 1e-9)
    return {
        "turns": len(turns),
        "turns_in_window": len(inside),
        "turns_per_s": round(sum(1 for t in inside if t.complete) / span, 2),
        "latency": latency_summary(latencies),
        "crisis_first_reply": latency_summary(crisis),
        "turns_with_missing_replies": sum(1 for t in turns if t.missing),
        "missing_replies": sum(t.missing for t in turns),
        "extra_replies": sum(t.extra for t in turns),
        "errors": sum(1 for t in turns if t.error is not None),
        "missing_by_kind": dict(Counter(t.kind for t in turns if t.missing)),
        "by_kind": {
            kind: latency_summary([t.latency for t in inside if t.kind == kind and t.latency])
            for kind in sorted({t.kind for t in inside})
        },
    }
