"""The semantic crisis layer's model file beside the Rasa model: named by a hash of what made it.

Trained models are plain arrays in an `.npz` file (no pickle). A change to the corpus, the NLU
data or the training code gives a new hash, so the model is trained again (`make train`, or the
first start that needs it, under a lock); the gateway loads it once.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from pathlib import Path

import numpy as np

from bot.crisis.semantic import VARIANT, Model
from bot.crisis.training import train
from bot.settings import ROOT

log = logging.getLogger(__name__)

# What a model is made of: a change to any of these is a new model.
SOURCES = (
    "bot/crisis/semantic.py",
    "bot/crisis/training.py",
    "bot/crisis/corpus.py",
    "bot/crisis/encoder.py",
    "data/crisis",
    "data/nlu",
)


def training_hash(variant: str = VARIANT, root: Path = ROOT) -> str:
    """Hash of the corpus, the NLU data and the code in SOURCES: a new model when any changes."""
    from bot.model import sources_hash

    return sources_hash(variant, SOURCES, root)


def model_path(model_dir: Path, variant: str = VARIANT) -> Path:
    """Where the model for the current corpus lives (it may not exist yet)."""
    slug = variant.replace("+", "-")
    return model_dir / f"crisis-{slug}-{training_hash(variant)}.npz"


def ensure_model(model_dir: Path, variant: str = VARIANT) -> Path:
    """The current model file, trained first (under a lock) when the corpus changed."""
    model_dir.mkdir(parents=True, exist_ok=True)
    target = model_path(model_dir, variant)
    with (model_dir / ".crisis-train.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            log.info("training the semantic crisis layer (%s)", target.name)
            arrays = train(variant)
            scratch = target.with_suffix(".tmp.npz")
            np.savez_compressed(scratch, **arrays)
            scratch.rename(target)
    return target


_loaded: dict[Path, Model] = {}
_load_lock = threading.Lock()


def load(model_dir: Path, variant: str = VARIANT) -> Model:
    """The model for the current corpus, loaded once per process (trained if missing)."""
    path = ensure_model(model_dir, variant)
    with _load_lock:
        if path not in _loaded:
            with np.load(path, allow_pickle=False) as stored:
                _loaded[path] = Model({name: stored[name] for name in stored.files})
        return _loaded[path]
