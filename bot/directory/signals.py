"""The signal the find_group action sends; free of rasa-sdk and the database so it tests plainly."""

from __future__ import annotations

from typing import Any

MAX_TEXT = 500  # a question about a group is short; the rest is not needed to search


def directory_search_signal(text: str) -> dict[str, Any]:
    """Ask the gateway to search the directory for this message."""
    return {"signal": "directory_search", "text": (text or "")[:MAX_TEXT]}
