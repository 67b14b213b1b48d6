"""`make eval`: how well the crisis layer does on the labelled set.

Recall on crisis messages must be 100% (tests enforce it); false alarms on the other messages
should stay at or below 5%. Misses and false alarms are printed so they can be looked at.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.crisis.corpus import EVAL_DIR
from bot.crisis.rules import detect_crisis
from bot.settings import ROOT

CRISIS_SET = EVAL_DIR / "crisis_messages.csv"
# Sets written blind by people who had not seen the detector, to measure how it generalises.
# Each was measured once blind, then tuned against by class of phrasing (never by copying a
# sentence), so today's figures on them are optimistic; the blind figures are the honest ones.
HELD_OUT = {
    "held-out set 1 (blind: recall 44%, false alarms 5.7%; since tuned)": EVAL_DIR
    / "crisis_holdout.csv",
    "held-out set 2 (blind: recall 52.9%, false alarms 3.3%; since tuned)": EVAL_DIR
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


def main_crisis(*, variants: bool = False, with_rasa: bool = True) -> bool:
    """Every crisis set, layer by layer; True when the development set meets its targets.

    With `variants`, every semantic variant is measured (how VARIANT was chosen); with
    `with_rasa` and a trained Rasa model present, its `crisis` intent is measured as a layer.
    """
    from bot.crisis import semantic
    from bot.crisis.corpus import EVAL_SETS
    from bot.crisis.evaluation import evaluate, print_reports, rasa_intent_judge
    from bot.crisis.model_file import load
    from bot.model import model_path

    model_dir = ROOT / "models"
    names = semantic.VARIANTS if variants else (semantic.VARIANT,)
    models = {name: load(model_dir, name) for name in names}
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
