"""Strengths notes: the four answers, kept on the person's yes, shown back to them.

The action server never touches the database: after the person says yes, the action sends a
`strengths_save` signal with the answers and the gateway calls `on_save`. `/mijnkrachten`
shows the notes back (`show`); `/mijngegevens` exports them and `/vergeetmij` erases them
(its `FEATURE` declares them; bot/privacy.py walks every feature's).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from bot import store
from bot.db import session_scope
from bot.models import StrengthsNote
from bot.port import Feature, PersonData

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.models import Person
    from bot.port import Host, PersonView
    from bot.settings import Settings

COMMANDS = {"/mystrengths"}  # and each language's name for it (bot/texts/*/commands.yml)
# Slot of the four questions → column, in the order they are asked.
FIELDS = {
    "sq_happened": "happened",
    "sq_strengths": "strengths",
    "sq_goal": "goal",
    "sq_needs": "needs",
}
SHOWN_NOTES = 3  # newest first; Telegram allows 4096 characters per message
ANSWER_CHARS = 600
AFTER_BUTTONS = ("hope", "menu")


def save(session: Session, *, person: Person, answers: dict[str, Any]) -> StrengthsNote | None:
    """Store one set of answers (unknown keys and empty answers ignored); None if nothing."""
    values = {
        column: str(answers[slot]).strip()
        for slot, column in FIELDS.items()
        if isinstance(answers.get(slot), str) and answers[slot].strip()
    }
    if not values:
        return None
    note = StrengthsNote(person_id=person.id, **values)
    session.add(note)
    session.flush()
    return note


def notes(session: Session, *, person: Person) -> list[StrengthsNote]:
    """The person's notes, newest first."""
    return list(
        session.scalars(
            select(StrengthsNote)
            .where(StrengthsNote.person_id == person.id)
            .order_by(StrengthsNote.created_at.desc(), StrengthsNote.id.desc())
        )
    )


def export(session: Session, *, person: Person) -> list[dict[str, Any]]:
    """The notes as plain data for `/mijngegevens`, oldest first."""
    return [
        {
            "at": note.created_at.isoformat() + "Z",
            **{column: getattr(note, column) for column in FIELDS.values()},
        }
        for note in reversed(notes(session, person=person))
    ]


def erase(session: Session, *, person: Person) -> int:
    """Delete the person's notes (`/vergeetmij`); returns how many."""
    result = session.execute(delete(StrengthsNote).where(StrengthsNote.person_id == person.id))
    return result.rowcount


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


def _export(session: Session, person: Person, _settings: Settings) -> list[dict[str, Any]]:
    return export(session, person=person)


def _erase(session: Session, person: Person) -> None:
    erase(session, person=person)


FEATURE = Feature(
    name="strengths",
    commands=dict.fromkeys(COMMANDS, show),
    signals={"strengths_save": on_save},
    data=PersonData("strengths_notes", ("strengths_notes",), _export, _erase),
)
