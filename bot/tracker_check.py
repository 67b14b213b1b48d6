"""Is Rasa really keeping conversations in its SQL tracker store?

When its database fails, Rasa 3.6 quietly carries on with an in-memory tracker store (at start,
and per call through its FailSafeTrackerStore), so history would be lost without a sound. The
probe writes one harmless event through Rasa's HTTP API and looks for it in the tracker
database itself. The health check and the gateway use it; while it fails, the gateway keeps
people's messages and answers them once the tracker store works again.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
import urllib.request

from sqlalchemy import text

from bot.db import get_engine

log = logging.getLogger(__name__)

PROBE_SENDER = "herstelgids-probe"  # not a pseudonym (those are 32 hex digits)


def tracker_store_persists(rasa_url: str, token: str, tracker_url: str) -> bool:
    """True when an event sent to Rasa now is found in the tracker database."""
    stamp = time.time()
    event = [{"event": "slot", "name": "handoff", "value": None, "timestamp": stamp}]
    query = urllib.parse.urlencode({"token": token, "include_events": "NONE"})
    request = urllib.request.Request(
        f"{rasa_url.rstrip('/')}/conversations/{PROBE_SENDER}/tracker/events?{query}",
        data=json.dumps(event).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=3) as response:
            if response.status != 200:
                return False
        with get_engine(tracker_url).begin() as connection:
            found = connection.execute(
                text("SELECT COUNT(*) FROM events WHERE sender_id = :s AND timestamp >= :t"),
                {"s": PROBE_SENDER, "t": stamp - 0.001},
            ).scalar()
            connection.execute(
                text("DELETE FROM events WHERE sender_id = :s AND timestamp < :t"),
                {"s": PROBE_SENDER, "t": stamp - 0.001},
            )
    except Exception as error:  # any failure means: not known to be kept
        log.debug("tracker probe failed: %s", type(error).__name__)
        return False
    return bool(found)
