"""Logging that says which process speaks and never prints message text at INFO."""

from __future__ import annotations

import logging


def setup_logging(process: str, level: str = "INFO") -> None:
    """Prefix every line with the process name; quiet chatty HTTP libraries."""
    logging.basicConfig(
        level=level,
        format=f"%(asctime)s [{process}] %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    # httpx logs every request URL at INFO, and Bot API URLs carry the bot token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
