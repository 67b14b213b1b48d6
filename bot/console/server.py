"""`python -m bot serve console`: the console under uvicorn, with its claimer and duty samples."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from bot.console import auth, overview
from bot.console.app import build_app
from bot.console.claims import telegram_claimer
from bot.db import session_scope

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from bot.settings import Settings

log = logging.getLogger(__name__)
DUTY_SAMPLE_SECONDS = 300.0


async def _sample_duty(settings: Settings) -> None:
    """Every 5 minutes: how many peers are on duty (the heat map); old sessions are forgotten."""
    while True:
        try:

            def sample() -> None:
                with session_scope(settings.database_url) as session:
                    overview.sample_duty(session)
                    auth.purge(session)

            await asyncio.to_thread(sample)
        except Exception:
            log.exception("duty sample failed")
        await asyncio.sleep(DUTY_SAMPLE_SECONDS)


def make_app(settings: Settings) -> Starlette:
    """The console with a claimer that reaches Telegram and Rasa, opened and closed with it."""
    app: Starlette

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        claimer, close = await telegram_claimer(settings)
        app.state.console.claimer = claimer
        sampler = asyncio.create_task(_sample_duty(settings))
        try:
            yield
        finally:
            sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampler
            await close()

    app = build_app(settings, None, lifespan=lifespan)
    return app


def serve_console(settings: Settings) -> None:
    """Run the console until interrupted, on CONSOLE_LISTEN:CONSOLE_PORT (127.0.0.1:8090)."""
    import uvicorn

    log.info(
        "team console on http://%s:%s (links point to %s)",
        settings.console_listen,
        settings.console_port,
        settings.console_public_url,
    )
    # No websockets (rasa pins an old `websockets` uvicorn cannot use), plain asyncio loop.
    uvicorn.run(
        make_app(settings),
        host=settings.console_listen,
        port=settings.console_port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        ws="none",
        loop="asyncio",
    )
