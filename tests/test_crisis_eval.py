"""The crisis layer on the blind labelled set: every crisis message caught, few false alarms."""

from __future__ import annotations

import pytest

from bot.evaluate import HELD_OUT, TARGET_FALSE_ALARMS, evaluate_crisis


def test_recall_on_the_labelled_set_is_complete():
    report = evaluate_crisis()
    assert report.crisis + report.safe >= 150
    assert report.by_language["nl"] >= 60 and report.by_language["en"] >= 60
    assert report.missed == [], f"missed {len(report.missed)} crisis messages"
    assert report.recall == 1.0


def test_false_alarms_stay_within_target():
    report = evaluate_crisis()
    assert report.false_alarm_rate <= TARGET_FALSE_ALARMS, report.alarmed


@pytest.mark.parametrize("path", HELD_OUT.values(), ids=[p.stem for p in HELD_OUT.values()])
def test_held_out_sets_do_not_regress(path):
    """Floors at the level reached, so a change that loses ground fails here."""
    report = evaluate_crisis(path)
    assert report.recall >= 0.92, report.missed
    assert report.false_alarm_rate <= TARGET_FALSE_ALARMS, report.alarmed
