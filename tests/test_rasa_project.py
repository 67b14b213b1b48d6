"""The Rasa project is valid, its stories pass, and every text it names exists in both languages."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys

import pytest
import yaml

from bot.settings import ROOT
from bot.texts import LANGUAGES

RASA_ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def rasa(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rasa", *args],
        cwd=ROOT,
        env=RASA_ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_training_data_validates_without_warnings():
    result = rasa(
        "data",
        "validate",
        "--fail-on-warning",
        "--domain",
        "domain.yml",
        "--data",
        "data",
        "--config",
        "config.yml",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_test_stories_pass(trained_model, tmp_path):
    # --e2e: the model must predict each story's intent from its text, not be told it.
    result = rasa(
        "test",
        "core",
        "--e2e",
        "--model",
        str(trained_model),
        "--stories",
        "tests/stories",
        "--out",
        str(tmp_path),
        "--fail-on-prediction-errors",
    )
    failed = (
        (tmp_path / "failed_test_stories.yml").read_text()
        if (tmp_path / "failed_test_stories.yml").exists()
        else ""
    )
    assert result.returncode == 0, failed[:4000] or result.stderr[-3000:]


def test_every_response_names_an_existing_text_and_buttons(texts):
    for name, variants in domain()["responses"].items():
        for variant in variants:
            custom = variant["custom"]
            assert texts.has(custom["say"]), f"{name} names missing text {custom['say']}"
            for button in custom.get("buttons", []):
                assert texts.payload(button), f"{name} names unknown button {button}"


def test_dutch_and_english_have_the_same_texts_and_placeholders(texts):
    nl, en = texts.texts["nl"], texts.texts["en"]
    assert set(nl) == set(en)
    assert set(nl["button"]) == set(en["button"])
    for key, value in nl.items():
        if isinstance(value, str):
            assert placeholders(value) == placeholders(en[key]), key
        elif isinstance(value, list):
            assert len(value) == len(en[key]), f"{key}: nl and en differ in variants"
            for dutch, english in zip(value, en[key], strict=True):
                assert placeholders(dutch) == placeholders(english), key


def test_every_button_has_a_label_in_every_language(texts):
    for key in texts.payloads:
        for language in LANGUAGES:
            assert texts.button(key, language).label


@pytest.mark.parametrize("language", LANGUAGES)
def test_texts_never_write_a_phone_number_literally(texts, language):
    """Numbers live in helplines.yml so a coordinator can correct them in one place."""
    for key, value in texts.texts[language].items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                assert not re.search(r"\b(113|112|1813|106|0800)\b", text), key


MAX_TEXT_CHARACTERS = 500  # issue 16: one short Telegram message, read at a glance


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_under_500_characters(texts, language):
    """Rendered with the helpline numbers; what the code fills in ({notes}, {text}) left out."""
    helplines = texts.helplines.get("placeholders", {})
    too_long = []
    for key, value in texts.texts[language].items():
        if key == "button":
            continue
        for variant, template in enumerate(value if isinstance(value, list) else [value]):
            if not isinstance(template, str):
                continue
            dynamic = {name: "" for name in placeholders(template) if name not in helplines}
            rendered = texts.say(key, language, variant=variant, **dynamic)
            if len(rendered) >= MAX_TEXT_CHARACTERS:
                too_long.append(f"{key}[{variant}]: {len(rendered)}")
    assert not too_long, too_long
