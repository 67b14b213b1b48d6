"""Logging that says which process speaks and never prints message text at INFO."""

from __future__ import annotations

import logging
from pathlib import Path


def setup_logging(process: str, level: str = "INFO", file: Path | None = None) -> None:
    """Prefix every line with the process name; quiet chatty HTTP libraries.

    With a file (the terminal chat) log lines go there, so they do not run through the chat.
    """
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=level,
        format=f"%(asctime)s [{process}] %(levelname)s %(name)s: %(message)s",
        filename=file,
        force=True,
    )
    # httpx logs every request URL at INFO, and Bot API URLs carry the bot token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
