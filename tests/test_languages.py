"""One list of languages: a third language is texts (and NLU and crisis data), nothing in code."""

from __future__ import annotations

import shutil

import yaml

from bot.models import Person
from bot.texts import HERE, Catalogue
from tests.test_gateway import PERSON, consented, press, text


def _made_up_language(folder) -> Catalogue:
    """The real texts, plus "xx" (Xish): the English folder with two sentences changed."""
    shutil.copytree(HERE, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"))
    shutil.copytree(folder / "en", folder / "xx")
    core = folder / "xx" / "core.yml"
    table = yaml.safe_load(core.read_text(encoding="utf-8"))
    table["language_set"] = "Xish it is, from now on."
    table["erase_confirm"] = "Xish: erase everything?"
    core.write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    commands = {"command": {"language": "sprak", "forgetme": "vergetxx"}}
    (folder / "xx" / "commands.yml").write_text(yaml.safe_dump(commands), encoding="utf-8")
    with (folder / "languages.yml").open("a", encoding="utf-8") as languages:
        languages.write("xx: Xish\n")
    return Catalogue(folder)


async def test_a_made_up_language_added_as_a_folder_is_offered_chosen_and_spoken(
    gateway, transport, db, tmp_path
):
    gateway.texts = _made_up_language(tmp_path / "texts")
    await consented(gateway)
    await gateway.handle(text(PERSON, "/taal"))
    offered = transport.to(PERSON)[-1].buttons
    assert [b.label for b in offered] == ["Nederlands", "English", "Xish"]
    await gateway.handle(press(PERSON, offered[-1].data))
    assert transport.texts_to(PERSON)[-1] == "Xish it is, from now on."
    with db() as session:
        assert session.query(Person).one().language == "xx"
    await gateway.handle(text(PERSON, "/vergeetmij"))  # a command in the new language's texts
    assert transport.texts_to(PERSON)[-1] == "Xish: erase everything?"
    await gateway.handle(text(PERSON, "/vergetxx"))  # and the new language's own command names
    assert transport.texts_to(PERSON)[-1] == "Xish: erase everything?"
    await gateway.handle(text(PERSON, "/sprak"))
    assert [b.label for b in transport.to(PERSON)[-1].buttons] == ["Nederlands", "English", "Xish"]
