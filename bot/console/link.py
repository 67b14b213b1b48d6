"""`/console` in a peer's or coordinator's private chat: a one-time login link (bot side)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.console import auth
from bot.db import session_scope
from bot.models import Peer
from bot.port import Feature, PersonData
from bot.pseudonym import pseudonymise
from bot.texts import TEAM_LANGUAGE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.models import Person
    from bot.port import Host, Incoming
    from bot.settings import Settings

log = logging.getLogger(__name__)


async def peer_message(gateway: Host, incoming: Incoming, peer: Peer) -> bool:
    """Answer `/console` from a registered peer with a link; False for anything else."""
    text = (incoming.text or "").strip()
    if not text.startswith("/") or text.split()[0].split("@")[0].lower() != "/console":
        return False
    pseudonym = pseudonymise(incoming.user_id, gateway.settings.pseudonym_secret)
    with session_scope(gateway.settings.database_url) as session:
        stored = session.get(Peer, peer.id)
        token = auth.issue_link(session, peer=stored, pseudonym=pseudonym) if stored else None
        auth.record(
            session,
            action="link_issued" if token else "link_refused",
            peer=stored,
            outcome="ok" if token else "refused",
            detail="" if token else "rate_limited",
        )
    if token is None:
        log.info("console link refused for peer %s: rate limited", peer.id)
        await gateway.say(incoming.chat_id, "console_link_rate_limited", TEAM_LANGUAGE)
        return True
    url = f"{gateway.settings.console_public_url}/login/{token}"
    log.info("console link issued for peer %s", peer.id)
    await gateway.say(incoming.chat_id, "console_link", TEAM_LANGUAGE, url=url)
    return True


# The feature's declaration (bot.port.Feature): a peer's console links and browser sessions.


def _export(session: Session, person: Person, _settings: Settings) -> list[dict[str, str | None]]:
    return auth.export(session, pseudonym=person.pseudonym)


def _erase(session: Session, person: Person) -> None:
    auth.erase(session, pseudonym=person.pseudonym)


FEATURE = Feature(
    name="console",
    data=PersonData("console_sessions", ("console_links", "console_sessions"), _export, _erase),
)
