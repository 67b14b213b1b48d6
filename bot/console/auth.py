"""Login without passwords: one-time links, browser sessions, CSRF tokens and the audit log.

A registered peer or coordinator sends `/console` to the bot in their private chat and gets a
link with a random token. Only the token's SHA-256 is stored; the link is valid for
LINK_MINUTES, usable once (a conditional UPDATE, so two tabs racing get one session), and bound
to the peer and the role they had when it was made. Using it opens a session of at most
SESSION_HOURS; every request loads the session and the peer again, so a removed peer, a changed
role or a `/vergeetmij` ends it at once. Every change and every refusal is written to
`console_audit` with who and when (never message text, never a pseudonym).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.models import ConsoleAudit, ConsoleLink, ConsoleSession, Peer, utcnow

LINK_MINUTES = 10
SESSION_HOURS = 8
LINKS_PER_WINDOW = 3  # at most this many links per peer per LINK_MINUTES


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, so a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(
    session: Session, *, peer: Peer, pseudonym: str, now: dt.datetime | None = None
) -> str | None:
    """A new one-time token for this peer, or None when they asked for too many just now."""
    now = now or utcnow()
    window = now - dt.timedelta(minutes=LINK_MINUTES)
    recent = session.scalar(
        select(func.count())
        .select_from(ConsoleLink)
        .where(ConsoleLink.peer_id == peer.id, ConsoleLink.created_at > window)
    )
    if recent >= LINKS_PER_WINDOW:
        return None
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleLink(
            token_hash=token_hash(token),
            peer_id=peer.id,
            pseudonym=pseudonym,
            role=peer.role,
            created_at=now,
            expires_at=now + dt.timedelta(minutes=LINK_MINUTES),
        )
    )
    # Used and expired links have no use left: keep the table small.
    session.execute(delete(ConsoleLink).where(ConsoleLink.expires_at < now - dt.timedelta(days=1)))
    session.flush()
    return token


@dataclass(frozen=True)
class Login:
    """A session just opened: the cookie's token and who it belongs to."""

    token: str
    peer_id: int
    display_name: str
    role: str


def use_link(session: Session, *, token: str, now: dt.datetime | None = None) -> Login | str:
    """Open a session with a link's token, or return why not (unknown, used, expired, ...)."""
    now = now or utcnow()
    link = session.scalars(select(ConsoleLink).where(ConsoleLink.token_hash == token_hash(token)))
    link = link.first()
    if link is None:
        return "link_unknown"
    if link.used_at is not None:
        return "link_used"
    if link.expires_at <= now:
        return "link_expired"
    peer = session.get(Peer, link.peer_id)
    if peer is None:
        return "peer_removed"
    if peer.role != link.role:
        return "role_changed"
    taken = session.execute(
        update(ConsoleLink)
        .where(ConsoleLink.id == link.id, ConsoleLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return "link_used"
    cookie = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            token_hash=token_hash(cookie),
            csrf=secrets.token_urlsafe(32),
            peer_id=peer.id,
            pseudonym=link.pseudonym,
            role=peer.role,
            created_at=now,
            expires_at=now + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    session.flush()
    return Login(cookie, peer.id, peer.display_name, peer.role)


@dataclass(frozen=True)
class Who:
    """The person behind a request, checked against the database on this request."""

    session_id: int
    peer_id: int
    display_name: str
    role: str
    csrf: str
    telegram_user_id: int

    @property
    def coordinator(self) -> bool:
        """Coordinators see everything; peers the queue and their own tickets."""
        return self.role == "coordinator"


def load_session(session: Session, *, token: str, now: dt.datetime | None = None) -> Who | str:
    """The session for a cookie's token, or why it no longer counts."""
    now = now or utcnow()
    stored = session.scalars(
        select(ConsoleSession).where(ConsoleSession.token_hash == token_hash(token))
    ).first()
    if stored is None:
        return "session_unknown"
    if stored.ended_at is not None:
        return "session_ended"
    if stored.expires_at <= now:
        return "session_expired"
    peer = session.get(Peer, stored.peer_id)
    reason = "peer_removed" if peer is None else "role_changed" if peer.role != stored.role else ""
    if reason:
        stored.ended_at = now
        return reason
    return Who(stored.id, peer.id, peer.display_name, peer.role, stored.csrf, peer.telegram_user_id)


def end_session(session: Session, *, session_id: int) -> None:
    """Log out: the session's cookie no longer opens anything."""
    session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.id == session_id, ConsoleSession.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def csrf_ok(who: Who, sent: str | None) -> bool:
    """Whether a form carried this session's CSRF token (compared in constant time)."""
    return bool(sent) and secrets.compare_digest(who.csrf, sent or "")


def record(
    session: Session,
    *,
    action: str,
    who: Who | None = None,
    target: str = "",
    outcome: str = "ok",
    detail: str = "",
    peer: Peer | None = None,
) -> None:
    """Write one line of the audit log: who (if known), what, on what, and how it ended."""
    actor_id = who.peer_id if who else peer.id if peer else None
    actor = who.display_name if who else peer.display_name if peer else ""
    role = who.role if who else peer.role if peer else ""
    session.add(
        ConsoleAudit(
            peer_id=actor_id,
            actor=actor[:64],
            role=role,
            action=action[:48],
            target=target[:100],
            outcome=outcome,
            detail=detail[:300],
        )
    )


def export(session: Session, *, pseudonym: str) -> list[dict[str, str | None]]:
    """`/mijngegevens`: a peer's own console sessions (when opened, until, ended); no tokens."""
    rows = session.scalars(
        select(ConsoleSession)
        .where(ConsoleSession.pseudonym == pseudonym)
        .order_by(ConsoleSession.id)
    )

    def iso(value: dt.datetime | None) -> str | None:
        return value.isoformat() + "Z" if value else None

    return [
        {
            "role": row.role,
            "opened": iso(row.created_at),
            "until": iso(row.expires_at),
            "ended": iso(row.ended_at),
        }
        for row in rows
    ]


def purge(session: Session, *, now: dt.datetime | None = None) -> None:
    """Forget sessions and links that ended or expired more than a day ago."""
    cutoff = (now or utcnow()) - dt.timedelta(days=1)
    session.execute(delete(ConsoleLink).where(ConsoleLink.expires_at < cutoff))
    session.execute(
        delete(ConsoleSession).where(
            (ConsoleSession.expires_at < cutoff) | (ConsoleSession.ended_at < cutoff)
        )
    )


def erase(session: Session, *, pseudonym: str) -> None:
    """`/vergeetmij`: the person's links and sessions go, so an open browser session ends."""
    session.execute(delete(ConsoleLink).where(ConsoleLink.pseudonym == pseudonym))
    session.execute(delete(ConsoleSession).where(ConsoleSession.pseudonym == pseudonym))
