"""Training the semantic crisis layer: reproducible (fixed seed) from the files in `data/`.

Kept apart from scoring (`bot.crisis.semantic`), which the gateway loads without scikit-learn.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from bot.crisis import corpus
from bot.crisis.encoder import DIMENSIONS, embed
from bot.crisis.semantic import HASH_FEATURES, VARIANT, Model, _unit, char_grams

SEED = 0
C = 32.0  # inverse regularisation of the logistic regression (see CHAR_WEIGHT)
# Tier thresholds are set on out-of-fold scores of the training corpus, never on evaluation data:
# the full crisis path where 1% of hard negatives score higher, the direct question where 6% do.
# (4% until 2026-12-03: once sentences stopped asking on their own, questions on harmless chat
# messages fell to 3-4% on the tuned sets, and a looser budget buys recall there.)
FULL_FALSE_ALARMS = 0.01
ASK_FALSE_ALARMS = 0.06
# Messages paired for context training: harmless talk after alarming messages, and the reverse.
# 600 each way was enough for a corpus of 6,300; at 7,600 (pairs D and E) the context reading
# of "ik doe het nu" after "alles ligt klaar, ik heb er lang genoeg over nagedacht" fell under
# the question threshold (0.69 < 0.80), and 1,200 brought it back (0.78 > 0.77).
CONTEXT_PAIRS = 1200


@dataclass
class TrainingSet:
    """Embeddings and labels for every training row (context rows carry their context mean)."""

    new: np.ndarray
    context: np.ndarray
    texts: list[str]
    kinds: np.ndarray
    hard_negative: np.ndarray  # safe rows from the hand-written corpus (not NLU examples)


def training_set(examples: list[corpus.Example], *, threads: int = 2) -> TrainingSet:
    """Embed every example; add context pairs so that context helps only when it should."""
    rng = random.Random(SEED)
    rows: list[tuple[str, tuple[str, ...], str, bool]] = [
        (e.text, e.context, e.kind, e.label == "safe" and not e.category.startswith("nlu:"))
        for e in examples
    ]
    alarming = [e.context for e in examples if e.label == "crisis" and e.context]
    crisis_alone = [e.text for e in examples if e.label == "crisis" and not e.context]
    harmless = [
        e.text for e in examples if e.label == "safe" and not e.context and len(e.text) < 80
    ]
    harmless_context = [e.context for e in examples if e.label == "safe" and e.context]
    for _ in range(CONTEXT_PAIRS if alarming and harmless else 0):
        # After alarming messages, an ordinary one is not a new alarm (the earlier one was).
        rows.append((rng.choice(harmless), rng.choice(alarming), "safe", True))
    for _ in range(CONTEXT_PAIRS if crisis_alone and harmless_context else 0):
        # An alarming message stays alarming after small talk.
        text = rng.choice(crisis_alone)
        kind = next(e.kind for e in examples if e.text == text)
        rows.append((text, rng.choice(harmless_context), kind, False))
    unique = sorted({t for text, context, _, _ in rows for t in (text, *context)})
    index = {t: i for i, t in enumerate(unique)}
    vectors = embed(unique, threads=threads)
    new = np.stack([vectors[index[text]] for text, _, _, _ in rows])
    context = np.stack(
        [
            _unit(vectors[[index[t] for t in ctx]].mean(axis=0)) if ctx else np.zeros(DIMENSIONS)
            for _, ctx, _, _ in rows
        ]
    ).astype(np.float32)
    return TrainingSet(
        new=new,
        context=context,
        texts=[text for text, _, _, _ in rows],
        kinds=np.array([corpus.KINDS.index(kind) for _, _, kind, _ in rows]),
        hard_negative=np.array([hard for _, _, _, hard in rows]),
    )


def fit(data: TrainingSet, variant: str, rows: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Train one variant on the given rows (all by default); thresholds are set later."""
    rows = np.arange(len(data.kinds)) if rows is None else rows
    arrays: dict[str, np.ndarray] = {"variant": np.array(variant)}
    if variant == "nearest":
        has_context = np.linalg.norm(data.context[rows], axis=1) > 0
        exemplars = np.where(
            has_context[:, None], _unit(data.new[rows] + data.context[rows]), data.new[rows]
        )
        arrays["exemplars"] = exemplars.astype(np.float16)
        arrays["exemplar_kinds"] = data.kinds[rows]
        return arrays
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    dense = np.hstack([data.new[rows], data.context[rows]])
    features = dense
    if variant == "embeddings+chars":
        chars = _char_matrix([data.texts[i] for i in rows])
        features = sparse.hstack([sparse.csr_matrix(dense), chars]).tocsr()
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=SEED).fit(
        features, data.kinds[rows]
    )
    weights = np.zeros((features.shape[1], len(corpus.KINDS)), dtype=np.float32)
    bias = np.zeros(len(corpus.KINDS), dtype=np.float32)
    weights[:, model.classes_] = model.coef_.T
    bias[model.classes_] = model.intercept_
    arrays["weights"], arrays["bias"] = weights, bias
    return arrays


def _char_matrix(texts: list[str]):
    """char_grams of many messages as one sparse matrix (training only: scipy)."""
    from scipy import sparse

    grams = [char_grams(text) for text in texts]
    pointers = np.cumsum([0] + [len(columns) for columns, _ in grams])
    columns = np.concatenate([columns for columns, _ in grams])
    values = np.concatenate([values for _, values in grams])
    return sparse.csr_matrix((values, columns, pointers), shape=(len(texts), HASH_FEATURES))


def out_of_fold(data: TrainingSet, variant: str, folds: int = 5) -> np.ndarray:
    """P(danger) for every row from a model that did not see it (stratified, fixed seed)."""
    from sklearn.model_selection import StratifiedKFold

    danger = np.zeros(len(data.kinds))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(data.new, data.kinds):
        model = Model(
            {**fit(data, variant, train), "ask_at": np.array(0.5), "full_at": np.array(0.5)}
        )
        probabilities = model.probabilities(
            data.new[test], data.context[test], [data.texts[i] for i in test]
        )
        danger[test] = 1.0 - probabilities[:, 0]
    return danger


def thresholds(data: TrainingSet, danger: np.ndarray) -> dict[str, np.ndarray]:
    """The question and full-path thresholds, from out-of-fold scores of hard negatives."""
    negatives = danger[data.hard_negative]
    ask_at = float(np.quantile(negatives, 1.0 - ASK_FALSE_ALARMS))
    full_at = max(float(np.quantile(negatives, 1.0 - FULL_FALSE_ALARMS)), ask_at)
    return {"ask_at": np.array(ask_at), "full_at": np.array(full_at)}


def train(variant: str = VARIANT, *, report: bool = False) -> dict[str, np.ndarray]:
    """Train a variant on the whole corpus, with thresholds from its out-of-fold scores."""
    data = training_set(corpus.training_examples())
    danger = out_of_fold(data, variant)
    limits = thresholds(data, danger)
    if report:
        crisis = data.kinds != 0
        ask_at, full_at = float(limits["ask_at"]), float(limits["full_at"])
        print(
            f"{variant}: {len(data.kinds)} rows; thresholds ask {ask_at:.3f} full {full_at:.3f};"
            f" out-of-fold recall ask-or-full {np.mean(danger[crisis] >= ask_at):.1%},"
            f" full {np.mean(danger[crisis] >= full_at):.1%}"
        )
    return {**fit(data, variant), **limits}
