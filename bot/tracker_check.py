"""Is Rasa really keeping conversations in its SQL tracker store?

When its database fails, Rasa 3.6 quietly carries on with an in-memory tracker store (at start,
and per call through its FailSafeTrackerStore), so history would be lost without a sound. The
probe writes one harmless event through Rasa's HTTP API and looks for it in the tracker
database itself. The health check and the gateway use it; while it fails, the gateway keeps
people's messages and answers them once the tracker store works again.

Each prober writes its own conversation (`probe_sender`): two probes on one conversation through
two Rasa replicas at once can lose an event (RasaHQ/rasa#9213), which read as a failing store.
A probe Rasa does not answer in time says nothing about the store (Rasa is busy, or down, which
the gateway notices on its own turns): it returns None.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import text

from bot.db import get_engine

log = logging.getLogger(__name__)

PROBE_SENDER = "herstelgids-probe"  # not a pseudonym (those are 32 hex digits)
PROBE_TIMEOUT_SECONDS = 3.0


def probe_sender(*who: str) -> str:
    """The probe conversation of one prober (e.g. a gateway replica and a Rasa replica)."""
    return f"{PROBE_SENDER}-{hashlib.sha256('|'.join(who).encode()).hexdigest()[:12]}"


def tracker_store_persists(
    rasa_url: str,
    token: str,
    tracker_url: str,
    sender: str,
    timeout: float = PROBE_TIMEOUT_SECONDS,
) -> bool | None:
    """Whether an event sent to Rasa now, in `sender`'s conversation, is found in the database.

    `sender` comes from `probe_sender`: one conversation per prober. None when Rasa did not
    answer in time or at all: that says nothing about the store.
    """
    stamp = time.time()
    event = [{"event": "slot", "name": "handoff", "value": None, "timestamp": stamp}]
    query = urllib.parse.urlencode({"token": token, "include_events": "NONE"})
    request = urllib.request.Request(
        f"{rasa_url.rstrip('/')}/conversations/{sender}/tracker/events?{query}",
        data=json.dumps(event).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.status != 200:
                return False
    except urllib.error.HTTPError:  # Rasa answered, with an error
        return False
    except OSError as error:  # no answer in time, or nothing listening
        log.debug("tracker probe got no answer: %s", type(error).__name__)
        return None
    try:
        with get_engine(tracker_url).begin() as connection:
            found = connection.execute(
                text("SELECT COUNT(*) FROM events WHERE sender_id = :s AND timestamp >= :t"),
                {"s": sender, "t": stamp - 0.001},
            ).scalar()
            connection.execute(
                text("DELETE FROM events WHERE sender_id = :s AND timestamp < :t"),
                {"s": sender, "t": stamp - 0.001},
            )
    except Exception as error:  # any failure means: not known to be kept
        log.debug("tracker probe failed: %s", type(error).__name__)
        return False
    return bool(found)
