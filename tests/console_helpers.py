"""Shared pieces of the console tests: people, peers, tickets and a signed-in browser client."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from bot import store
from bot.console import auth
from bot.db import session_scope
from bot.models import Peer, Person, Ticket
from bot.pseudonym import pseudonymise

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def add_peer(settings, user_id: int, name: str, role: str = "peer") -> int:
    with session_scope(settings.database_url) as session:
        peer = store.add_peer(session, telegram_user_id=user_id, display_name=name, role=role)
        return peer.id


def add_person(settings, user_id: int, language: str = "nl") -> int:
    pseudonym = pseudonymise(user_id, settings.pseudonym_secret)
    with session_scope(settings.database_url) as session:
        person, _ = store.get_or_create_person(
            session, pseudonym=pseudonym, chat_id=user_id, language=language
        )
        person.consent = True
        return person.id


def add_ticket(
    settings,
    person_id: int,
    *,
    reason="request",
    urgent=False,
    transcript="Jij: ik wil graag met iemand praten",
) -> int:
    with session_scope(settings.database_url) as session:
        person = session.get(Person, person_id)
        ticket, _ = store.open_ticket(
            session, person=person, reason=reason, urgent=urgent, transcript=transcript
        )
        return ticket.id


def link_for(settings, user_id: int) -> str:
    with session_scope(settings.database_url) as session:
        peer = session.query(Peer).filter_by(telegram_user_id=user_id).one()
        token = auth.issue_link(
            session, peer=peer, pseudonym=pseudonymise(user_id, settings.pseudonym_secret)
        )
        assert token
        return token


def sign_in(client: TestClient, settings, user_id: int) -> str:
    """Log the client in by a fresh link; returns the session's CSRF token."""
    token = link_for(settings, user_id)
    response = client.post("/login", data={"token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get("/queue")
    assert page.status_code == 200
    return CSRF_RE.search(page.text).group(1)


def ticket_state(settings, ticket_id: int) -> tuple[str, int | None]:
    with session_scope(settings.database_url) as session:
        ticket = session.get(Ticket, ticket_id)
        return ticket.state, ticket.peer_id
