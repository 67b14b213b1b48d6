"""Strengths notes in the chat: kept on the person's yes, shown back to them.

The action server never touches the database: after the person says yes, the action sends a
`strengths_save` signal with the answers and the gateway calls `on_save`. `/mystrengths`
(`/mijnkrachten`) shows the notes back (`show`); `/mijngegevens` exports them and `/vergeetmij`
erases them (the `FEATURE` below declares them; bot/privacy.py walks every feature's).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot import store
from bot.db import session_scope
from bot.port import Feature, PersonData
from bot.strengths.notes import FIELDS, erase, export, notes, save

if TYPE_CHECKING:
    from bot.models import StrengthsNote
    from bot.port import Host, PersonView

COMMANDS = {"/mystrengths"}  # and each language's name for it (bot/texts/*/commands.yml)
SHOWN_NOTES = 3  # newest first; Telegram allows 4096 characters per message
ANSWER_CHARS = 600
AFTER_BUTTONS = ("hope", "menu")


def render(gateway: Host, shown: list[StrengthsNote], language: str) -> str:
    """The notes as text: a date, then each answered question's label and the answer."""
    blocks = []
    for note in shown[:SHOWN_NOTES]:
        lines = [note.created_at.strftime("%d-%m-%Y")]
        for column in FIELDS.values():
            answer = getattr(note, column)
            if answer:
                label = gateway.texts.say(f"strengths_label_{column}", language)
                clipped = answer if len(answer) <= ANSWER_CHARS else answer[:ANSWER_CHARS] + "…"
                lines.append(f"{label}: {clipped}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


async def on_save(gateway: Host, person: PersonView, custom: Mapping[str, Any]) -> None:
    """The person said yes to keeping their answers: store them, unless they declined consent."""
    answers = custom.get("answers") if isinstance(custom.get("answers"), dict) else {}
    if person.consent is not True:
        await gateway.say(person.chat_id, "strengths_no_consent", person.language, *AFTER_BUTTONS)
        return
    with session_scope(gateway.settings.database_url) as session:
        stored = store.get_person(session, pseudonym=person.pseudonym)
        note = save(session, person=stored, answers=answers) if stored is not None else None
    key = "strengths_kept" if note is not None else "strengths_not_kept"
    await gateway.say(person.chat_id, key, person.language, *AFTER_BUTTONS)


async def show(gateway: Host, person: PersonView) -> None:
    """`/mijnkrachten`: the kept notes, or that there are none yet."""
    with session_scope(gateway.settings.database_url) as session:
        stored = store.get_person(session, pseudonym=person.pseudonym)
        kept = notes(session, person=stored) if stored is not None else []
        text = render(gateway, kept, person.language) if kept else ""
    if not kept:
        await gateway.say(person.chat_id, "strengths_none", person.language, "strengths", "menu")
        return
    await gateway.say(person.chat_id, "strengths_show", person.language, "menu", notes=text)


FEATURE = Feature(
    name="strengths",
    commands=dict.fromkeys(COMMANDS, show),
    signals={"strengths_save": on_save},
    data=PersonData("strengths_notes", ("strengths_notes",), export, erase),
)
