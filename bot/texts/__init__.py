"""The text catalogue: every sentence the product says, one YAML file per language.

Rasa responses and the gateway name texts by key (`say: greet`); the gateway renders them in
the conversation's language. Peer workers can review and edit `nl.yml` and `en.yml` without
touching code. Numbers and opening hours live in `helplines.yml`, button payloads in
`buttons.yml`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def _load(name: str) -> dict[str, Any]:
    with (HERE / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class Button:
    """An inline button: a label for the person, opaque callback data for the gateway."""

    label: str
    data: str


class _Blank(dict):
    """Leaves unknown placeholders visible rather than failing a reply."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalogue:
    """Texts, button labels and helpline facts, loaded once."""

    def __init__(self) -> None:
        self.texts = {lang: _load(f"{lang}.yml") for lang in LANGUAGES}
        self.helplines: dict[str, Any] = _load("helplines.yml")
        self.payloads: dict[str, str] = _load("buttons.yml")

    def has(self, key: str) -> bool:
        """Whether a text key exists (in the default language)."""
        return key in self.texts[DEFAULT_LANGUAGE]

    def say(self, key: str, language: str, /, **args: Any) -> str:
        """Render a text in a language, falling back to Dutch; placeholders from args+helplines."""
        table = self.texts.get(language) or self.texts[DEFAULT_LANGUAGE]
        template = table.get(key, self.texts[DEFAULT_LANGUAGE].get(key))
        if template is None:
            raise KeyError(f"no text for {key!r}")
        values = _Blank({**self.helplines.get("placeholders", {}), **args})
        return string.Formatter().vformat(template, (), values)

    def button(self, key: str, language: str, data: str | None = None) -> Button:
        """A button by key; its callback data is the key unless given (e.g. claim:12)."""
        labels = self.texts.get(language, {}).get("button", {})
        label = labels.get(key) or self.texts[DEFAULT_LANGUAGE]["button"][key]
        return Button(label=label, data=data or f"b:{key}")

    def payload(self, key: str) -> str | None:
        """The action behind a button key, or None for data a client made up."""
        return self.payloads.get(key)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The process-wide catalogue (read-only after loading)."""
    return Catalogue()
