"""Data access: keyword-only functions that take a session.

Each caller opens one session per handler call (`bot.db.session_scope`). State changes that
can race (claiming a ticket) are single conditional UPDATEs, so the database decides.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.models import Peer, Person, RelayMessage, Ticket, utcnow

ACTIVE_STATES = ("open", "claimed")
ROLES = ("peer", "coordinator")


# People ---------------------------------------------------------------------------------------

LAST_SEEN_STEP = dt.timedelta(minutes=1)  # privacy.purge counts idle time in hours


def get_person(session: Session, *, pseudonym: str) -> Person | None:
    """The person with this pseudonym, if known."""
    return session.scalars(select(Person).where(Person.pseudonym == pseudonym)).first()


def get_or_create_person(
    session: Session, *, pseudonym: str, chat_id: int, language: str
) -> tuple[Person, bool]:
    """Return the person and whether they were new; refreshes their chat id and last seen.

    Last seen moves in steps of LAST_SEEN_STEP: retention counts idle time in hours and days; a
    write on every message made each turn's transaction a disk sync (make bench).
    """
    person = get_person(session, pseudonym=pseudonym)
    if person is None:
        person = Person(pseudonym=pseudonym, chat_id=chat_id, language=language)
        session.add(person)
        session.flush()
        return person, True
    person.chat_id = chat_id  # written only when it changed
    now = utcnow()
    if now - person.last_seen_at >= LAST_SEEN_STEP:
        person.last_seen_at = now
    return person, False


def people_waiting(session: Session) -> list[Person]:
    """People who chose about consent and have a message waiting for Rasa, oldest first."""
    return list(
        session.scalars(
            select(Person)
            .where(Person.pending_text.is_not(None), Person.consent.is_not(None))
            .order_by(Person.last_seen_at)
        )
    )


def record_consent(session: Session, *, person: Person, given: bool, version: str) -> None:
    """Store the person's choice with its date and the version of the notice they saw."""
    person.consent = given
    person.consent_at = utcnow()
    person.consent_version = version


# Peers ----------------------------------------------------------------------------------------


def add_peer(
    session: Session, *, telegram_user_id: int, display_name: str, role: str = "peer"
) -> Peer:
    """Register (or update) a peer worker or coordinator."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    peer = get_peer(session, telegram_user_id=telegram_user_id)
    if peer is None:
        peer = Peer(telegram_user_id=telegram_user_id, display_name=display_name, role=role)
        session.add(peer)
    else:
        peer.display_name, peer.role = display_name, role
    session.flush()
    return peer


def remove_peer(session: Session, *, telegram_user_id: int) -> bool:
    """Unregister a peer; their claimed tickets go back to the queue. True if one existed."""
    peer = get_peer(session, telegram_user_id=telegram_user_id)
    if peer is None:
        return False
    session.execute(
        update(Ticket)
        .where(Ticket.peer_id == peer.id, Ticket.state == "claimed")
        .values(state="open", peer_id=None, claimed_at=None)
    )
    session.execute(update(Ticket).where(Ticket.peer_id == peer.id).values(peer_id=None))
    session.delete(peer)
    return True


def list_peers(session: Session) -> list[Peer]:
    """All registered peers and coordinators, by name."""
    return list(session.scalars(select(Peer).order_by(Peer.display_name)))


def get_peer(session: Session, *, telegram_user_id: int) -> Peer | None:
    """The registered peer with this Telegram user id, if any."""
    return session.scalars(select(Peer).where(Peer.telegram_user_id == telegram_user_id)).first()


def peers_on_duty(session: Session) -> list[Peer]:
    """Peers who said they are available now."""
    return list(session.scalars(select(Peer).where(Peer.on_duty.is_(True))))


# Tickets --------------------------------------------------------------------------------------


def active_ticket_for_person(session: Session, *, person_id: int) -> Ticket | None:
    """The person's open or claimed ticket, if any (there is at most one)."""
    return session.scalars(
        select(Ticket)
        .where(Ticket.person_id == person_id, Ticket.state.in_(ACTIVE_STATES))
        .order_by(Ticket.id.desc())
    ).first()


def active_ticket_for_peer(session: Session, *, peer_id: int) -> Ticket | None:
    """The ticket this peer is talking in now, if any (the most recently claimed)."""
    return session.scalars(
        select(Ticket)
        .where(Ticket.peer_id == peer_id, Ticket.state == "claimed")
        .order_by(Ticket.claimed_at.desc())
    ).first()


def open_ticket(
    session: Session, *, person: Person, reason: str, urgent: bool, transcript: str
) -> tuple[Ticket, bool]:
    """Open a ticket, or return the person's active one (raised to urgent if needed).

    Returns the ticket and whether the peers need a (new) alert.
    """
    ticket = active_ticket_for_person(session, person_id=person.id)
    if ticket is not None:
        if urgent and ticket.urgency != "urgent":
            ticket.urgency, ticket.reason = "urgent", reason
            ticket.transcript = transcript
            return ticket, ticket.state == "open"
        return ticket, False
    ticket = Ticket(
        person_id=person.id,
        reason=reason,
        urgency="urgent" if urgent else "normal",
        language=person.language,
        transcript=transcript,
    )
    session.add(ticket)
    session.flush()
    return ticket, True


def claim_ticket(session: Session, *, ticket_id: int, peer: Peer) -> bool:
    """Atomically claim an open ticket; False when someone else was first or it has ended."""
    result = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.state == "open")
        .values(state="claimed", peer_id=peer.id, claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_ticket(session: Session, *, ticket_id: int) -> None:
    """Put a claimed ticket back in the queue (its peer could not be reached)."""
    session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.state == "claimed")
        .values(state="open", peer_id=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )


def end_ticket(session: Session, *, ticket: Ticket, state: str, note: str | None = None) -> None:
    """Hand a ticket back to the bot ("returned") or close it ("closed")."""
    ticket.state = state
    ticket.ended_at = utcnow()
    if note:
        ticket.note = note


def tickets_to_reannounce(session: Session, *, older_than_minutes: float) -> list[Ticket]:
    """Urgent open tickets whose last announcement is older than the given age."""
    cutoff = utcnow() - dt.timedelta(minutes=older_than_minutes)
    return list(
        session.scalars(
            select(Ticket).where(
                Ticket.state == "open", Ticket.urgency == "urgent", Ticket.announced_at < cutoff
            )
        )
    )


def get_ticket(session: Session, *, ticket_id: int) -> Ticket | None:
    """A ticket by number."""
    return session.get(Ticket, ticket_id)


# Relay ----------------------------------------------------------------------------------------


def add_relay(session: Session, *, ticket: Ticket, direction: str, text: str) -> RelayMessage:
    """Keep a relayed message until it is delivered."""
    message = RelayMessage(ticket_id=ticket.id, direction=direction, text=text)
    session.add(message)
    session.flush()
    return message


def mark_delivered(session: Session, *, relay_id: int | None) -> None:
    """Note that a relayed message reached its reader."""
    if relay_id is not None:
        session.execute(
            update(RelayMessage).where(RelayMessage.id == relay_id).values(delivered=True)
        )
