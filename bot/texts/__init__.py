"""The text catalogue: every sentence the product says, one folder per language.

Rasa responses and the gateway name texts by key (`say: greet`); the gateway renders them in
the conversation's language. Peer workers can review and edit `nl/*.yml` and `en/*.yml` without
touching code; the files in a folder are one table, split by subject. A text is a string, or a
list of interchangeable variants (hope prompts) picked by index. Numbers and opening hours live
in `helplines.yml`, button payloads in `buttons.yml`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
LANGUAGE_BUTTON = "lang_"  # a language's button key: "lang_" and its code (gw:lang_nl)


def _load(name: str, folder: Path = HERE) -> dict[str, Any]:
    with (folder / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


LANGUAGES: tuple[str, ...] = tuple(_load("languages.yml"))
DEFAULT_LANGUAGE = LANGUAGES[0]
# Peer workers and coordinators work in Dutch, whatever language the person writes in.
TEAM_LANGUAGE = "nl"


# Sections of a language's texts that are tables of their own: button labels, and the names
# its speakers type for a command (`command: {language: taal}`: "/taal" is "/language").
_SECTIONS = ("button", "command")


def _load_language(language: str, folder: Path = HERE) -> dict[str, Any]:
    """Merge every file of a language folder; a key written twice is an error, not a surprise."""
    table: dict[str, Any] = {section: {} for section in _SECTIONS}
    for path in sorted((folder / language).glob("*.yml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in part.items():
            section = table[key] if key in _SECTIONS else table
            items = value.items() if key in _SECTIONS else [(key, value)]
            for name, text in items:
                if name in section:
                    raise ValueError(f"{path.name}: text {name!r} is defined twice")
                section[name] = text
    return table


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
    """Texts, button labels and helpline facts, loaded once (from another folder in tests)."""

    def __init__(self, folder: Path = HERE) -> None:
        self.languages: dict[str, str] = _load("languages.yml", folder)  # code → own name
        self.texts = {lang: _load_language(lang, folder) for lang in self.languages}
        self.helplines: dict[str, Any] = _load("helplines.yml", folder)
        self.payloads: dict[str, str] = _load("buttons.yml", folder)
        for code, name in self.languages.items():  # one button per language, named in it
            self.payloads[f"{LANGUAGE_BUTTON}{code}"] = f"gw:{LANGUAGE_BUTTON}{code}"
            for table in self.texts.values():
                table["button"].setdefault(f"{LANGUAGE_BUTTON}{code}", name)
        # Every language's name for a command, to the one name the code knows (the English one).
        self.commands: dict[str, str] = {
            f"/{name}": f"/{command}"
            for table in self.texts.values()
            for command, name in table["command"].items()
        }

    def language_buttons(self) -> tuple[str, ...]:
        """The button keys that switch the conversation's language, one per language."""
        return tuple(f"{LANGUAGE_BUTTON}{code}" for code in self.languages)

    def has(self, key: str) -> bool:
        """Whether a text key exists (in the default language)."""
        return key in self.texts[DEFAULT_LANGUAGE]

    def variants(self, key: str) -> int:
        """How many interchangeable variants a text has (1 for a plain text, 0 if unknown)."""
        value = self.texts[DEFAULT_LANGUAGE].get(key)
        return len(value) if isinstance(value, list) else int(value is not None)

    def say(self, key: str, language: str, /, variant: int = 0, **args: Any) -> str:
        """Render a text in a language, falling back to Dutch; placeholders from args+helplines."""
        table = self.texts.get(language) or self.texts[DEFAULT_LANGUAGE]
        template = table.get(key, self.texts[DEFAULT_LANGUAGE].get(key))
        if template is None:
            raise KeyError(f"no text for {key!r}")
        if isinstance(template, list):
            template = template[variant % len(template)]
        values = _Blank({**self.helplines.get("placeholders", {}), **args})
        return string.Formatter().vformat(template, (), values)

    def button(self, key: str, language: str, data: str | None = None) -> Button:
        """A button by key; its callback data is the key unless given (e.g. claim:12)."""
        labels = self.texts.get(language, {}).get("button", {})
        label = labels.get(key) or self.texts[DEFAULT_LANGUAGE]["button"][key]
        return Button(label=label, data=data or f"b:{key}")

    def command(self, typed: str) -> str:
        """The command the code knows for one typed in any language ("/taal" → "/language")."""
        return self.commands.get(typed, typed)

    def payload(self, key: str) -> str | None:
        """The action behind a button key, or None for data a client made up."""
        return self.payloads.get(key)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The process-wide catalogue (read-only after loading)."""
    return Catalogue()
