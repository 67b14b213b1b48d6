"""The trained Rasa model, named by a hash of what it is trained from.

Training takes minutes on two cores, so a model is trained only when `data/`, `domain.yml`,
`config.yml`, the cue featurizer's code or the rasa version changed; `make run`, `make test` and
the test session all reuse `models/herstelgids-<hash>.tar.gz` otherwise.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from bot.settings import ROOT

log = logging.getLogger(__name__)
# The cue featurizer in config.yml (bot/cue_featurizer.py) reads its word lists and the directory's
# place parser from code, so those files are training inputs too.
SOURCES = (
    "config.yml",
    "domain.yml",
    "data",
    "bot/nlu_cues.py",
    "bot/cue_featurizer.py",
    "bot/directory/search.py",
    "bot/directory/places.py",
    "bot/directory/places.csv",
)


def sources_hash(seed: str, sources: tuple[str, ...], root: Path = ROOT) -> str:
    """Hash of a seed and of files and folders (paths and contents): names a trained model."""
    digest = hashlib.sha256(seed.encode())
    for source in sources:
        path = root / source
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def training_hash(root: Path = ROOT) -> str:
    """Hash of every training input plus the rasa version."""
    return sources_hash(version("rasa"), SOURCES, root)


def model_path(model_dir: Path, root: Path = ROOT) -> Path:
    """Where the model for the current training data lives (it may not exist yet)."""
    return model_dir / f"herstelgids-{training_hash(root)}.tar.gz"


def ensure_model(model_dir: Path, root: Path = ROOT) -> Path:
    """Return the current model, training it first if the training data changed."""
    model_dir.mkdir(parents=True, exist_ok=True)
    target = model_path(model_dir, root)
    with (model_dir / ".train.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second trainer waits and then reuses the model
        if target.exists():
            return target
        log.info("training a model for %s (takes a minute or two)", target.name)
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
        name = target.name.removesuffix(".tar.gz")
        argv = [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "--fixed-model-name",
            name,
            "--out",
            str(model_dir),
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "data",
        ]
        subprocess.run(argv, cwd=root, check=True, env=env)
    return target
