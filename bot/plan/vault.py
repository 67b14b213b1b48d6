"""The plan at rest: one Fernet token per person, and the data functions around it.

Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`. PLAN_ENCRYPTION_KEY may hold several
keys separated by commas, newest first: every save re-encrypts with the newest, so rotating is
adding a key in front and dropping the old one once the plans have been saved again.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import delete, select

from bot.models import Plan, utcnow
from bot.plan import MAX_ANSWER_CHARS, STEPS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class PlanLocked(RuntimeError):
    """No key, or the key does not open this plan (wrong or rotated away)."""


class Cipher:
    """Encrypts and decrypts a plan's answers."""

    def __init__(self, keys: str) -> None:
        parts = [k.strip() for k in keys.split(",") if k.strip()]
        self._fernet = MultiFernet([Fernet(k) for k in parts]) if parts else None

    @property
    def ready(self) -> bool:
        """Whether a key was configured."""
        return self._fernet is not None

    def seal(self, answers: dict[str, str]) -> str:
        """The answers as a Fernet token (ASCII)."""
        if self._fernet is None:
            raise PlanLocked("no PLAN_ENCRYPTION_KEY")
        clean = {step: answers[step] for step in STEPS if answers.get(step)}
        document = json.dumps({"v": 1, "answers": clean}, ensure_ascii=False)
        return self._fernet.encrypt(document.encode("utf-8")).decode("ascii")

    def open(self, blob: str) -> dict[str, str]:
        """The answers from a token."""
        if self._fernet is None:
            raise PlanLocked("no PLAN_ENCRYPTION_KEY")
        try:
            document = json.loads(self._fernet.decrypt(blob.encode("ascii")))
        except InvalidToken as error:
            raise PlanLocked("the key does not open this plan") from error
        answers = document.get("answers") or {}
        return {step: str(answers[step]) for step in STEPS if answers.get(step)}


def get_plan(session: Session, *, person_id: int) -> Plan | None:
    """The person's plan row, or None."""
    return session.scalar(select(Plan).where(Plan.person_id == person_id))


def create_plan(session: Session, *, person_id: int, language: str, cipher: Cipher) -> Plan:
    """An empty plan, made when the person agrees to have it stored."""
    plan = get_plan(session, person_id=person_id)
    if plan is None:
        plan = Plan(person_id=person_id, blob=cipher.seal({}), language=language)
        session.add(plan)
        session.flush()
    return plan


def save_answer(
    session: Session, *, plan: Plan, step: str, text: str | None, language: str, cipher: Cipher
) -> dict[str, str]:
    """Store (or with None, clear) one step's answer; returns all answers."""
    answers = cipher.open(plan.blob)
    if text:
        answers[step] = text[:MAX_ANSWER_CHARS]
    else:
        answers.pop(step, None)
    plan.blob = cipher.seal(answers)
    plan.language = language
    plan.updated_at = utcnow()
    return answers


def delete_plan(session: Session, *, person_id: int) -> int:
    """Remove the person's plan; returns rows deleted."""
    return session.execute(delete(Plan).where(Plan.person_id == person_id)).rowcount


def export_plan(session: Session, *, person_id: int, cipher: Cipher) -> dict[str, Any] | None:
    """The plan decrypted for the person's own data export (/mijngegevens)."""
    plan = get_plan(session, person_id=person_id)
    if plan is None:
        return None
    try:
        answers: dict[str, str] | str = cipher.open(plan.blob)
    except PlanLocked:
        answers = "encrypted; the key to open it is not available right now"
    return {
        "answers": answers,
        "language": plan.language,
        "peer_may_know_it_exists": plan.share_with_peer,
        "created": plan.created_at.isoformat() + "Z",
        "updated": plan.updated_at.isoformat() + "Z",
    }
