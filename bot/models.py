"""Database models: the gateway's own state (people, peers, tickets, relay, consent).

Rasa's tracker store keeps the conversation events in its own tables; these tables keep what
the gateway needs around it. The Telegram chat id lives only here (the gateway's mapping);
everything that leaves the gateway uses `Person.pseudonym`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> dt.datetime:
    """Naive UTC timestamp (SQLite keeps no zone; we always store UTC)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Person(Base):
    """Someone who chats with the bot, known by a keyed-hash pseudonym."""

    __tablename__ = "people"

    id = Column(Integer, primary_key=True)
    pseudonym = Column(String(64), unique=True, nullable=False, index=True)
    chat_id = Column(BigInteger, nullable=False)
    language = Column(String(2), nullable=False, default="nl")
    country = Column(String(2))
    consent = Column(Boolean)
    consent_at = Column(DateTime)
    consent_version = Column(String(16))
    pending_text = Column(Text)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen_at = Column(DateTime, nullable=False, default=utcnow)


class Peer(Base):
    """A registered ervaringsdeskundige (peer worker) or coordinator."""

    __tablename__ = "peers"

    id = Column(Integer, primary_key=True)
    telegram_user_id = Column(BigInteger, unique=True, nullable=False)
    role = Column(String(16), nullable=False, default="peer")
    display_name = Column(String(64), nullable=False)
    on_duty = Column(Boolean, nullable=False, default=False)
    private_chat_id = Column(BigInteger)
    added_at = Column(DateTime, nullable=False, default=utcnow)


class Ticket(Base):
    """A request for a human: open → claimed → returned to bot / closed."""

    __tablename__ = "tickets"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("people.id", ondelete="SET NULL"))
    reason = Column(String(24), nullable=False)
    urgency = Column(String(8), nullable=False)
    language = Column(String(2), nullable=False)
    state = Column(String(12), nullable=False, default="open", index=True)
    peer_id = Column(Integer, ForeignKey("peers.id"))
    transcript = Column(Text, nullable=False, default="")
    note = Column(Text)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    announced_at = Column(DateTime, nullable=False, default=utcnow)
    claimed_at = Column(DateTime)
    ended_at = Column(DateTime)

    person = relationship("Person")
    peer = relationship("Peer")


class RelayMessage(Base):
    """A message passed between a person and a peer, kept until delivered."""

    __tablename__ = "relay_messages"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False)
    direction = Column(String(10), nullable=False)  # "to_peer" | "to_person"
    text = Column(Text, nullable=False)
    delivered = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class ProcessedUpdate(Base):
    """Telegram update ids already handled, so a redelivered update is processed once."""

    __tablename__ = "processed_updates"

    update_id = Column(BigInteger, primary_key=True)
    processed_at = Column(DateTime, nullable=False, default=utcnow, index=True)


class InboxUpdate(Base):
    """An update stored before Telegram was told it arrived; deleted once handled."""

    __tablename__ = "inbox"

    update_id = Column(BigInteger, primary_key=True)
    chat_id = Column(BigInteger, nullable=False, index=True)
    payload = Column(Text, nullable=False)
    received_at = Column(DateTime, nullable=False, default=utcnow)


class Claim(Base):
    """Which gateway replica handles something, until when ("chat:<id>", "jobs"); bot/claims.py."""

    __tablename__ = "claims"

    name = Column(String(64), primary_key=True)
    owner = Column(String(64), nullable=False)
    until = Column(DateTime, nullable=False)


# --- plan: the person's own signaleringsplan --------------------------------------


class Plan(Base):
    """A person's signaleringsplan: their answers, encrypted (Fernet) as one blob.

    Only what the gateway needs to route messages is in plain columns: which step is open,
    and whether the person lets a peer know that a plan exists. Never the answers.
    """

    __tablename__ = "plans"

    id = Column(Integer, primary_key=True)
    person_id = Column(
        Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    blob = Column(Text, nullable=False)  # Fernet token of {"answers": {step: text}}
    language = Column(String(2), nullable=False, default="nl")
    open_step = Column(String(24))  # "build:signs" / "edit:signs" while a step waits
    share_with_peer = Column(Boolean)  # None: not asked yet
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow)


# --- end plan --------------------------------------------------------------------------------


# --- Recovery conversations ---------------------------------------------------------


class StrengthsNote(Base):
    """The person's answers to the four questions, kept only because they said yes to it."""

    __tablename__ = "strengths_notes"

    id = Column(Integer, primary_key=True)
    person_id = Column(
        Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    )
    happened = Column(Text)  # what happened to you
    strengths = Column(Text)  # your strengths and vulnerabilities
    goal = Column(Text)  # your goal
    needs = Column(Text)  # what you need
    created_at = Column(DateTime, nullable=False, default=utcnow)


# --- Referral directory ------------------------------------------------------------


class Listing(Base):
    """A place or group people can go to: a herstelgroep, WRAP, herstelacademie, or online."""

    __tablename__ = "listings"

    id = Column(String(64), primary_key=True)  # stable, chosen by coordinators
    name = Column(String(200), nullable=False)
    organisation = Column(String(200), nullable=False, default="")
    kind = Column(String(24), nullable=False, index=True)
    municipality = Column(String(100), nullable=False, default="")
    province = Column(String(40), nullable=False, default="")
    address = Column(String(200), nullable=False, default="")
    postcode = Column(String(12), nullable=False, default="")
    online = Column(Boolean, nullable=False, default=False)
    languages = Column(String(40), nullable=False, default="nl")  # "nl" or "nl|en"
    topics = Column(String(200), nullable=False, default="algemeen")  # "psychose|depressie"
    schedule = Column(String(300), nullable=False, default="")
    phone = Column(String(40), nullable=False, default="")
    email = Column(String(200), nullable=False, default="")
    website = Column(String(300), nullable=False, default="")
    description_nl = Column(Text, nullable=False, default="")
    description_en = Column(Text, nullable=False, default="")
    last_verified = Column(Date)
    active = Column(Boolean, nullable=False, default=True, index=True)
    updated_at = Column(DateTime, nullable=False, default=utcnow)


class ListingChange(Base):
    """Who changed a listing, when, and what (the fields before and after, as JSON)."""

    __tablename__ = "listing_changes"

    id = Column(Integer, primary_key=True)
    listing_id = Column(String(64), nullable=False, index=True)
    action = Column(String(16), nullable=False)  # created | updated | archived
    changed_by = Column(String(100), nullable=False)
    changed_at = Column(DateTime, nullable=False, default=utcnow)
    details = Column(Text, nullable=False, default="{}")


# --- end of referral directory ---------------------------------------------------------------


# --- Team console -----------------------------------------------------------------


class ConsoleLink(Base):
    """A one-time login link sent by `/console`: only its hash is kept, valid 10 minutes."""

    __tablename__ = "console_links"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), unique=True, nullable=False)
    peer_id = Column(Integer, nullable=False, index=True)  # no FK: a removed peer's link fails
    pseudonym = Column(String(64), nullable=False, index=True)  # erased on /vergeetmij
    role = Column(String(16), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)
    used_at = Column(DateTime)


class ConsoleSession(Base):
    """A browser session opened by a link: 8 hours at most, ended on logout."""

    __tablename__ = "console_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), unique=True, nullable=False)
    csrf = Column(String(64), nullable=False)
    peer_id = Column(Integer, nullable=False, index=True)
    pseudonym = Column(String(64), nullable=False, index=True)  # erased on /vergeetmij
    role = Column(String(16), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)
    ended_at = Column(DateTime)


class ConsoleAudit(Base):
    """Who did what in the console, and what was refused; never message text or pseudonyms."""

    __tablename__ = "console_audit"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    peer_id = Column(Integer)
    actor = Column(String(64), nullable=False, default="")  # display name, or "" when unknown
    role = Column(String(16), nullable=False, default="")
    action = Column(String(48), nullable=False)
    target = Column(String(100), nullable=False, default="")
    outcome = Column(String(16), nullable=False, default="ok")  # ok | refused
    detail = Column(String(300), nullable=False, default="")


class DutySample(Base):
    """How many peers were on duty at a moment (the console samples every 5 minutes)."""

    __tablename__ = "duty_samples"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    on_duty = Column(Integer, nullable=False)


class DirectoryMiss(Base):
    """A directory search that found nothing in the place asked (no person, only the day)."""

    __tablename__ = "directory_misses"

    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)
    place = Column(String(100), nullable=False)
    province = Column(String(40), nullable=False, default="")
    kind = Column(String(24), nullable=False, default="")
    topic = Column(String(24), nullable=False, default="")


# --- end of team console ---------------------------------------------------------------------
