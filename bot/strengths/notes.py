"""Strengths notes as data: the four answers kept on the person's yes, read back, exported, erased.

The chat around them (the command, the save signal, how they are shown) is `feature.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from bot.models import StrengthsNote

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.models import Person
    from bot.settings import Settings

# Slot of the four questions → column, in the order they are asked.
FIELDS = {
    "sq_happened": "happened",
    "sq_strengths": "strengths",
    "sq_goal": "goal",
    "sq_needs": "needs",
}


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


def export(
    session: Session, person: Person, _settings: Settings | None = None
) -> list[dict[str, Any]]:
    """The notes as plain data for `/mijngegevens`, oldest first (PersonData's export hook)."""
    return [
        {
            "at": note.created_at.isoformat() + "Z",
            **{column: getattr(note, column) for column in FIELDS.values()},
        }
        for note in reversed(notes(session, person=person))
    ]


def erase(session: Session, person: Person) -> int:
    """Delete the person's notes (`/vergeetmij`, PersonData's erase hook); returns how many."""
    result = session.execute(delete(StrengthsNote).where(StrengthsNote.person_id == person.id))
    return result.rowcount
