"""What we hold about one person, and erasing it: `/mijngegevens` and `/vergeetmij`.

The export holds every row that names the person's pseudonym, plus Rasa's tracker events for
their conversation. Erasing deletes those, including the events in Rasa's SQL tracker store,
and keeps of their tickets only what cannot identify them (reason, urgency, state, times), so
the peer team's counts stay right.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, delete, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot.db import get_engine
from bot.features import FEATURES
from bot.models import Person, RelayMessage, Ticket

if TYPE_CHECKING:
    from bot.settings import Settings

# The tables privacy handles itself (the person, handoff); every other table that holds a
# person belongs to a feature's declaration (bot.features; tests/test_privacy_hooks.py).
OWN_TABLES = ("people", "tickets", "relay_messages")


def unclaimed_tables(metadata: MetaData) -> set[str]:
    """Tables that hold a person (a `person_id` or `pseudonym` column) that nothing erases."""
    claimed = set(OWN_TABLES) | {t for f in FEATURES if f.data is not None for t in f.data.tables}
    holding = {
        table.name
        for table in metadata.tables.values()
        if {"person_id", "pseudonym"} & set(table.columns.keys())
    }
    return holding - claimed


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


def collect(session: Session, *, person: Person, settings: Settings) -> dict[str, Any]:
    """Everything the gateway's tables hold about one person, as plain data."""
    tickets = list(session.scalars(select(Ticket).where(Ticket.person_id == person.id)))
    relays = list(
        session.scalars(
            select(RelayMessage)
            .where(RelayMessage.ticket_id.in_([t.id for t in tickets]))
            .order_by(RelayMessage.id)
        )
    )
    return {
        "pseudonym": person.pseudonym,
        "language": person.language,
        "country": person.country,
        "consent": {
            "given": person.consent,
            "at": _iso(person.consent_at),
            "notice_version": person.consent_version,
        },
        "first_contact": _iso(person.created_at),
        "last_seen": _iso(person.last_seen_at),
        "tickets": [
            {
                "number": t.id,
                "reason": t.reason,
                "urgency": t.urgency,
                "state": t.state,
                "opened": _iso(t.created_at),
                "claimed": _iso(t.claimed_at),
                "ended": _iso(t.ended_at),
                "transcript_for_peer": t.transcript,
                "peer_note": t.note,
            }
            for t in tickets
        ],
        "messages_with_peers": [
            {
                "ticket": m.ticket_id,
                "direction": m.direction,
                "text": m.text,
                "at": _iso(m.created_at),
            }
            for m in relays
        ],
        **{
            feature.data.key: feature.data.export(session, person, settings)
            for feature in FEATURES
            if feature.data is not None
        },
    }


def export_document(
    gateway_data: dict[str, Any], tracker_events: list[dict[str, Any]] | None
) -> bytes:
    """The file the person receives: readable JSON, UTF-8."""
    document = {
        "about": "Alles wat Herstelgids over jou bewaart / everything Herstelgids keeps about you",
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "herstelgids": gateway_data,
        "conversation_events": tracker_events,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def erase(session: Session, *, person: Person) -> None:
    """Delete the person and what names them; tickets keep only anonymous facts."""
    ticket_ids = list(session.scalars(select(Ticket.id).where(Ticket.person_id == person.id)))
    if ticket_ids:
        session.execute(delete(RelayMessage).where(RelayMessage.ticket_id.in_(ticket_ids)))
        session.execute(
            update(Ticket)
            .where(Ticket.id.in_(ticket_ids))
            .values(person_id=None, transcript="", note=None)
            .execution_options(synchronize_session=False)
        )
    for feature in FEATURES:
        if feature.data is not None:
            feature.data.erase(session, person)
    session.delete(person)


def erase_tracker(tracker_url: str, sender_id: str) -> int:
    """Delete a conversation's events from Rasa's SQL tracker store; returns rows deleted."""
    with get_engine(tracker_url).begin() as connection:
        if not connection.dialect.has_table(connection, "events"):
            return 0
        return _delete_conversation(connection, sender_id)


def _delete_conversation(connection: Connection, sender_id: str) -> int:
    """The one statement that erases a conversation from Rasa's `events` table."""
    deleted = text("DELETE FROM events WHERE sender_id = :sender")
    return connection.execute(deleted, {"sender": sender_id}).rowcount


def tracker_events(tracker_url: str, sender_id: str) -> list[dict[str, Any]]:
    """A conversation's events as Rasa's SQL tracker store keeps them."""
    with get_engine(tracker_url).connect() as connection:
        if not connection.dialect.has_table(connection, "events"):
            return []
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"),
            {"sender": sender_id},
        )
        return [json.loads(row[0]) for row in rows]


DECLINED_IDLE = dt.timedelta(minutes=60)  # Rasa's session_expiration_time in domain.yml


def purge(session: Session, tracker_url: str, *, days: int) -> dict[str, int]:
    """Delete conversation data older than the retention period; returns counts per kind.

    Relay messages and Rasa's events go; tickets that ended keep their anonymous facts but lose
    transcript and note. People who declined consent lose their conversation once their session
    is over. Consent records and people's settings stay until `/vergeetmij`.

    A signaleringsplan is not conversation data but a document the person keeps (and needs
    most after a long quiet period): it stays, encrypted, until they delete it or `/vergeetmij`.
    """
    now = dt.datetime.now(dt.timezone.utc)
    cutoff = now - dt.timedelta(days=days)
    idle = (now - DECLINED_IDLE).replace(tzinfo=None)
    declined = list(
        session.scalars(
            select(Person.pseudonym).where(Person.consent.is_(False), Person.last_seen_at < idle)
        )
    )
    naive = cutoff.replace(tzinfo=None)
    relays = session.execute(delete(RelayMessage).where(RelayMessage.created_at < naive))
    tickets = session.execute(
        update(Ticket)
        .where(Ticket.ended_at < naive, Ticket.transcript != "")
        .values(transcript="", note=None)
        .execution_options(synchronize_session=False)
    )
    events = 0
    with get_engine(tracker_url).begin() as connection:
        if connection.dialect.has_table(connection, "events"):
            events = connection.execute(
                text("DELETE FROM events WHERE timestamp < :cutoff"),
                {"cutoff": cutoff.timestamp()},
            ).rowcount
            for pseudonym in declined:
                events += _delete_conversation(connection, pseudonym)
    return {"relay_messages": relays.rowcount, "transcripts": tickets.rowcount, "events": events}
