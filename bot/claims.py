"""Claims: with several gateway replicas, one of them handles a chat (or the periodic jobs).

In webhook mode behind a load balancer, one person's updates can reach different replicas. Each
replica stores what it receives in the shared inbox; the replica that holds the chat's claim
handles the chat's updates, one after another. A claim is a row with an owner and an expiry:
taken when the chat has work, renewed while it does, given back when the inbox holds nothing
more for the chat, and free for another replica once it expires (its owner crashed).

One statement takes or renews a claim (an upsert that only overwrites an expired claim or one
of our own), so two replicas can never both hold it: PostgreSQL locks the row on conflict and
SQLite writes one transaction at a time. A single replica pays a few short statements per turn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.models import Claim, utcnow

CLAIM_SECONDS = 60.0  # a crashed replica's chats wait at most this long for another replica
JOBS = "jobs"  # the periodic jobs (kept messages, waiting tickets, retention, weekly report)


CHAT = "chat:"  # a chat's claim is named CHAT + its id
ONCE = "once:"  # work done once across replicas and restarts, e.g. "once:report:2026-W49"


def chat_claim(chat_id: int) -> str:
    """The claim name of one chat."""
    return f"{CHAT}{chat_id}"


def once_claim(work: str) -> str:
    """The claim name of work done once (`once`), e.g. one week's report."""
    return f"{ONCE}{work}"


def _upsert(dialect: ModuleType) -> Any:
    """Insert a claim, or overwrite it when it is ours or expired (built once per dialect)."""
    table = Claim.__table__
    statement = dialect.insert(table).values(
        name=bindparam("claim"), owner=bindparam("by"), until=bindparam("till")
    )
    return statement.on_conflict_do_update(
        index_elements=[table.c.name],
        set_={"owner": bindparam("by"), "until": bindparam("till")},
        where=(table.c.owner == bindparam("by")) | (table.c.until < bindparam("now")),
    )


_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}
_TAKE = {name: _upsert(dialect) for name, dialect in _DIALECTS.items()}
_OWNER = select(Claim.owner).where(Claim.name == bindparam("claim"))
_GIVE_BACK = delete(Claim).where(Claim.name == bindparam("claim"), Claim.owner == bindparam("by"))


def take(session: Session, name: str, owner: str, seconds: float = CLAIM_SECONDS) -> bool:
    """Take or renew a claim; False when another owner holds it and it has not expired."""
    now = utcnow()
    until = now + dt.timedelta(seconds=seconds)
    upsert = _TAKE[session.get_bind().dialect.name]
    session.execute(upsert, {"claim": name, "by": owner, "till": until, "now": now})
    return session.execute(_OWNER, {"claim": name}).scalar() == owner


def once(session: Session, name: str, owner: str, seconds: float) -> bool:
    """Take a claim (named by `once_claim`) only if nobody took it before, ourselves included.

    True for the one replica that inserted it (a restart forgets nothing); expired ones of its
    kind are cleared first.
    """
    now = utcnow()
    expired = delete(Claim).where(Claim.name.startswith(ONCE), Claim.until < now)
    session.execute(expired.execution_options(synchronize_session=False))
    dialect = _DIALECTS[session.get_bind().dialect.name]
    statement = dialect.insert(Claim.__table__).values(
        name=name, owner=owner, until=now + dt.timedelta(seconds=seconds)
    )
    return session.execute(statement.on_conflict_do_nothing()).rowcount == 1


def give_back(session: Session, name: str, owner: str) -> None:
    """Give a claim back (only our own)."""
    session.execute(_GIVE_BACK, {"claim": name, "by": owner})


def renew(
    session: Session, names: Iterable[str], owner: str, seconds: float = CLAIM_SECONDS
) -> None:
    """Push back the expiry of claims we hold and are still working on."""
    names = list(names)
    if names:
        session.execute(
            update(Claim)
            .where(Claim.name.in_(names), Claim.owner == owner)
            .values(until=utcnow() + dt.timedelta(seconds=seconds))
        )


def chats_owned_by(session: Session, owner: str) -> list[int]:
    """The chats this owner holds a claim on (after a restart: the ones it was handling)."""
    names = session.scalars(
        select(Claim.name).where(Claim.owner == owner, Claim.name.startswith(CHAT))
    )
    return [int(name.removeprefix(CHAT)) for name in names]
