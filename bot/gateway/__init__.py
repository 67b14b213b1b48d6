"""The gateway: every message from a person or a peer passes through here, whatever the transport.

One object, `Gateway` (`router`), put together from parts with one module each: `base` (shared
state, the database, sending a text), `router` (a person's message, commands and buttons),
`rasa_turn`, `crisis_reply`, `handoff` (tickets, claims, relay) and `rights` (export, erasure,
retention). Features never import it (import-linter, pyproject.toml); they are handed it.
"""

from bot.gateway.router import CONSENT_VERSION, Gateway

__all__ = ["CONSENT_VERSION", "Gateway"]
