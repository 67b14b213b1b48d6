"""Pseudonymous ids: a keyed hash of the Telegram user id.

Without the secret the pseudonym cannot be linked back to a Telegram account, so Rasa, logs
and peer alerts never see a raw Telegram id or name.
"""

from __future__ import annotations

import hashlib
import hmac


def pseudonymise(user_id: int, secret: str) -> str:
    """Stable 32-hex-character pseudonym for a Telegram user id."""
    digest = hmac.new(secret.encode(), f"telegram:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
