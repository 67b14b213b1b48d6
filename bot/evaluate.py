"""`make eval`: how well the crisis layer does on the labelled set.

Recall on crisis messages must be 100% (tests enforce it); false alarms on the other messages
should stay at or below 5%. Misses and false alarms are printed so they can be looked at.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.crisis.rules import detect_crisis
from bot.settings import ROOT

DATA = ROOT / "tests" / "data"
CRISIS_SET = DATA / "crisis_messages.csv"
# Sets written blind by people who had not seen the detector, to measure how it generalises.
# Each was measured once blind, then tuned against by class of phrasing (never by copying a
# sentence), so today's figures on them are optimistic; the blind figures are the honest ones.
HELD_OUT = {
    "held-out set 1 (blind: recall 44%, false alarms 5.7%; since tuned)": DATA
    / "crisis_holdout.csv",
    "held-out set 2 (blind: recall 52.9%, false alarms 3.3%; since tuned)": DATA
    / "crisis_final.csv",
}
TARGET_FALSE_ALARMS = 0.05


@dataclass
class CrisisReport:
    """Counts and the messages that went wrong."""

    crisis: int = 0
    safe: int = 0
    caught: int = 0
    false_alarms: int = 0
    missed: list[str] = field(default_factory=list)
    alarmed: list[str] = field(default_factory=list)
    by_language: Counter[str] = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        """Share of crisis messages the layer caught."""
        return self.caught / self.crisis if self.crisis else 0.0

    @property
    def false_alarm_rate(self) -> float:
        """Share of safe messages the layer fired on."""
        return self.false_alarms / self.safe if self.safe else 0.0


def evaluate_crisis(path: Path = CRISIS_SET) -> CrisisReport:
    """Run the detector over every labelled message."""
    report = CrisisReport()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            fired = detect_crisis(row["text"]) is not None
            report.by_language[row["language"]] += 1
            if row["label"] == "crisis":
                report.crisis += 1
                report.caught += fired
                if not fired:
                    report.missed.append(row["text"])
            else:
                report.safe += 1
                report.false_alarms += fired
                if fired:
                    report.alarmed.append(row["text"])
    return report


def _print(title: str, report: CrisisReport) -> None:
    languages = ", ".join(f"{lang} {n}" for lang, n in sorted(report.by_language.items()))
    print(f"{title}: {report.crisis + report.safe} messages ({languages})")
    print(f"  recall on crisis messages: {report.caught}/{report.crisis} = {report.recall:.1%}")
    print(
        f"  false alarms on other messages: {report.false_alarms}/{report.safe}"
        f" = {report.false_alarm_rate:.1%} (target at most {TARGET_FALSE_ALARMS:.0%})"
    )
    for text in report.missed:
        print(f"    MISSED: {text}")
    for text in report.alarmed:
        print(f"    FALSE ALARM: {text}")


# --- NLU cross-validation -------------------------------------------------------------
# `python -m bot eval --nlu`: k-fold cross-validated intent classification with the project's own
# config.yml (each fold trains DIET, so it takes minutes; kept out of `make test`). Per-intent
# precision/recall/F1, the confusion pairs that remain, and the report in results/nlu_cv/.
NLU_RESULTS = ROOT / "results" / "nlu_cv"
TARGET_F1 = 0.90


@dataclass
class NluReport:
    """Cross-validated intent scores and the examples that were confused."""

    folds: int
    seconds: float
    per_intent: dict[str, dict[str, float]]
    accuracy: float
    errors: list[dict] = field(default_factory=list)

    @property
    def confusions(self) -> Counter[tuple[str, str]]:
        """(true intent, predicted intent) -> count, over all folds."""
        return Counter((e["intent"], e["intent_prediction"]["name"]) for e in self.errors)

    @property
    def below_target(self) -> list[str]:
        """Intents whose F1 is under TARGET_F1."""
        return [name for name, row in self.per_intent.items() if row["f1-score"] < TARGET_F1]


def _nlu_config(epochs: int | None, directory: Path) -> Path:
    """config.yml itself, or a copy with DIET's epochs changed for a quicker exploratory run."""
    if epochs is None:
        return ROOT / "config.yml"
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"] == "DIETClassifier":
            component["epochs"] = epochs
    path = directory / "config.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def cross_validate_nlu(
    folds: int = 5, epochs: int | None = None, out: Path = NLU_RESULTS, seed: int = 0
) -> NluReport:
    """Train and test `folds` times on stratified splits of data/nlu (fixed seed: same folds)."""
    import asyncio
    import json
    import os
    import random
    import tempfile
    import time

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    import logging

    import numpy as np
    from rasa.nlu.test import cross_validate
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # else every parsed test message is logged
    logging.getLogger("rasa").setLevel(logging.WARNING)

    out.mkdir(parents=True, exist_ok=True)
    random.seed(seed)
    np.random.seed(seed)  # rasa's StratifiedKFold shuffles with numpy's global generator
    data = load_data(str(ROOT / "data" / "nlu"))
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        results, _, _ = asyncio.run(
            cross_validate(
                data,
                folds,
                str(_nlu_config(epochs, Path(scratch))),
                str(out),
                errors=True,
                disable_plotting=True,
                report_as_dict=True,
            )
        )
    evaluation = results.evaluation
    report = evaluation["report"]
    per_intent = {
        name: row
        for name, row in report.items()
        if isinstance(row, dict)
        and "f1-score" in row
        and name not in {"macro avg", "weighted avg", "micro avg"}
    }
    result = NluReport(
        folds=folds,
        seconds=time.monotonic() - started,
        per_intent=per_intent,
        accuracy=float(evaluation["accuracy"]),
        errors=list(evaluation["errors"]),
    )
    (out / "summary.txt").write_text(format_nlu_report(result, epochs), encoding="utf-8")
    (out / "summary.json").write_text(
        json.dumps(
            {
                "folds": folds,
                "epochs": epochs,
                "seconds": result.seconds,
                "accuracy": result.accuracy,
                "per_intent": per_intent,
                "confusions": [[a, b, n] for (a, b), n in result.confusions.most_common()],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return result


def format_nlu_report(report: NluReport, epochs: int | None = None, top: int = 15) -> str:
    """The per-intent table, the worst confusion pairs, and what missed the target."""
    setting = f"DIET epochs {epochs} (exploratory)" if epochs else "config.yml as is"
    lines = [
        f"NLU {report.folds}-fold cross-validation, {setting}: accuracy {report.accuracy:.3f}, "
        f"{report.seconds / 60:.1f} min ({report.seconds / report.folds:.0f} s per fold)",
        f"  {'intent':<18} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}",
    ]
    for name, row in sorted(report.per_intent.items(), key=lambda item: item[1]["f1-score"]):
        mark = "  < target" if row["f1-score"] < TARGET_F1 else ""
        lines.append(
            f"  {name:<18} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1-score']:6.3f}"
            f" {int(row['support']):4d}{mark}"
        )
    lines.append(f"  top confusion pairs (true -> predicted), of {len(report.errors)} errors:")
    for (true, predicted), count in report.confusions.most_common(top):
        lines.append(f"    {count:3d}  {true} -> {predicted}")
    below = report.below_target
    lines.append(
        f"  intents below F1 {TARGET_F1:.2f}: {', '.join(below)}"
        if below
        else f"  every intent reaches F1 {TARGET_F1:.2f}"
    )
    return "\n".join(lines) + "\n"


def main_nlu(folds: int = 5, epochs: int | None = None) -> int:
    """Run the cross-validation, print the report; exit 1 when an intent misses the target."""
    blind_ok = main_blind_intents()  # quick, one trained model
    report = cross_validate_nlu(folds=folds, epochs=epochs)
    print(format_nlu_report(report, epochs), end="")
    print(f"  report written to {NLU_RESULTS.relative_to(ROOT)}/ (summary.txt, intent_errors.json)")
    return 1 if report.below_target or not blind_ok else 0


# --- Blind intent set ---------------------------------------------------------------
# tests/data/intents_blind.csv: 372 messages (31 intents x 12, half Dutch, half English) written
# by someone who had not seen data/, from the intent list alone. The trained model parses each one
# in-process. Headline: what the bot does, so a message the FallbackClassifier turns into
# nlu_fallback counts as wrong; beside it the classifier's own top intent. tests/test_nlu_data.py
# checks that no training example equals one of these messages.
INTENTS_BLIND = DATA / "intents_blind.csv"
# A second set, written the same way by another helper after the model was tuned on the first one's
# errors: the honest figure for the model as it is now (README, Intents).
INTENTS_BLIND_SETS = (INTENTS_BLIND, DATA / "intents_blind_2.csv", DATA / "intents_blind_3.csv")
TARGET_BLIND_ACCURACY = 0.90


@dataclass
class BlindIntentReport:
    """Each blind message with its label, what the bot did, and the classifier's top intent."""

    rows: list[tuple[str, str, str, str, str]]  # text, language, intent, predicted, top intent
    crisis_rules: int = 0  # messages the gateway's crisis rules would answer before Rasa

    def accuracy(self, language: str | None = None, *, top: bool = False) -> float:
        """Share predicted right (in one language); `top` ignores the fallback threshold."""
        rows = [r for r in self.rows if language in (None, r[1])]
        right = sum(r[2] == (r[4] if top else r[3]) for r in rows)
        return right / len(rows) if rows else 0.0

    def recall(self) -> dict[str, float]:
        """Per intent, the share of its messages predicted right."""
        counts: Counter[str] = Counter(r[2] for r in self.rows)
        right: Counter[str] = Counter(r[2] for r in self.rows if r[2] == r[3])
        return {intent: right[intent] / n for intent, n in counts.items()}

    @property
    def errors(self) -> list[tuple[str, str, str, str, str]]:
        """The messages predicted wrong."""
        return [r for r in self.rows if r[2] != r[3]]


def evaluate_blind_intents(
    path: Path = INTENTS_BLIND, model: Path | None = None
) -> BlindIntentReport:
    """Parse every blind message with the trained model (trained first if the data changed)."""
    import asyncio
    import logging
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from rasa.core.agent import Agent

    from bot.model import ensure_model

    logging.getLogger("rasa").setLevel(logging.WARNING)
    with path.open(encoding="utf-8", newline="") as handle:
        labelled = [(r["text"], r["language"], r["intent"]) for r in csv.DictReader(handle)]
    agent = Agent.load(str(model or ensure_model(ROOT / "models")))

    async def parse_all() -> list[dict]:
        return [await agent.parse_message(text) for text, _, _ in labelled]

    rows = []
    for (text, language, intent), parsed in zip(labelled, asyncio.run(parse_all()), strict=True):
        predicted = (parsed.get("intent") or {}).get("name") or ""
        ranking = [
            i["name"] for i in parsed.get("intent_ranking") or [] if i["name"] != "nlu_fallback"
        ]
        rows.append((text, language, intent, predicted, ranking[0] if ranking else predicted))
    crisis_rules = sum(detect_crisis(text) is not None for text, _, _ in labelled)
    return BlindIntentReport(rows=rows, crisis_rules=crisis_rules)


def format_blind_report(report: BlindIntentReport, path: Path = INTENTS_BLIND) -> str:
    """Accuracy overall and per language, the weakest intents and every miss."""
    languages = sorted({r[1] for r in report.rows})
    per_language = ", ".join(
        f"{lang} {report.accuracy(lang):.3f} (n={sum(r[1] == lang for r in report.rows)})"
        for lang in languages
    )
    lines = [
        f"blind intent set ({path.relative_to(ROOT)}): {len(report.rows)} messages",
        f"  accuracy as the bot answers (fallback counts as wrong): {report.accuracy():.3f};"
        f" {per_language} (target {TARGET_BLIND_ACCURACY:.2f} in each language)",
        "  the classifier's top intent, ignoring the fallback threshold: "
        + ", ".join(
            [f"all {report.accuracy(top=True):.3f}"]
            + [f"{lang} {report.accuracy(lang, top=True):.3f}" for lang in languages]
        ),
        f"  answered first by the gateway's crisis rules (none are crisis messages):"
        f" {report.crisis_rules}",
        "  intents below 0.75 recall: "
        + (
            ", ".join(
                f"{i} {v:.2f}"
                for i, v in sorted(report.recall().items(), key=lambda x: x[1])
                if v < 0.75
            )
            or "none"
        ),
    ]
    for text, language, intent, predicted, _ in report.errors:
        lines.append(f"    MISS [{language}] {intent} -> {predicted}: {text}")
    return "\n".join(lines) + "\n"


def main_blind_intents() -> bool:
    """Print each blind set's report; True when each language reaches the target on the newest.

    The first set was tuned against, so only the last one counts towards the target.
    """
    reports = {path: evaluate_blind_intents(path) for path in INTENTS_BLIND_SETS}
    for path, report in reports.items():
        print(format_blind_report(report, path), end="")
    newest = reports[INTENTS_BLIND_SETS[-1]]
    languages = {r[1] for r in newest.rows}
    return all(newest.accuracy(lang) >= TARGET_BLIND_ACCURACY for lang in languages)


# --- end NLU cross-validation ------------------------------------------------------------------


def main_crisis(*, variants: bool = False, with_rasa: bool = True) -> bool:
    """Every crisis set, layer by layer; True when the development set meets its targets.

    With `variants`, every semantic variant is measured (how VARIANT was chosen); with
    `with_rasa` and a trained Rasa model present, its `crisis` intent is measured as a layer.
    """
    from bot.crisis import semantic
    from bot.crisis.corpus import EVAL_SETS
    from bot.crisis.evaluation import evaluate, print_reports, rasa_intent_judge
    from bot.model import model_path

    model_dir = ROOT / "models"
    names = semantic.VARIANTS if variants else (semantic.VARIANT,)
    models = {name: semantic.load(model_dir, name) for name in names}
    rasa_model = model_path(model_dir)
    judge = rasa_intent_judge(rasa_model) if with_rasa and rasa_model.exists() else None
    for name, model in models.items():
        print(
            f"semantic variant {name}: question from P(danger) {model.ask_at:.3f},"
            f" full path from {model.full_at:.3f}"
        )
    for title, path in EVAL_SETS.items():
        for name, model in models.items():
            label = f"{title} [{name}]" if variants else title
            reports = evaluate(path, model, judge if name == semantic.VARIANT else None)
            print_reports(label, reports, details=title.startswith("blind"))
    report = evaluate_crisis()
    return report.recall == 1.0 and report.false_alarm_rate <= TARGET_FALSE_ALARMS


def main(*, variants: bool = False) -> int:
    """Print every set's report; exit 1 when the development set misses its targets."""
    ok = main_crisis(variants=variants)
    # --- Referral directory: search top-3 hit rate ---------------------------------
    from bot.directory.evaluation import (
        BLIND_QUERIES,
        TARGET_HIT_RATE,
        evaluate_search,
        print_report,
    )

    search = evaluate_search()
    print_report(search)
    ok = ok and search.hit_rate >= TARGET_HIT_RATE
    # Written blind to the search code by someone who saw only the listings: 86% at first,
    # then tuned by class (listening lines need no place), so today's figure is optimistic.
    print("held-out directory set (blind: 43/50 = 86%; since tuned):", end=" ")
    print_report(evaluate_search(BLIND_QUERIES))
    # --- end of referral directory ------------------------------------------------------------
    return 0 if ok else 1
