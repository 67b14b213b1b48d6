"""A chat in the terminal through the same gateway code as Telegram.

With no bot token, `make run` opens this so a newcomer can talk to Herstelgids at once.
Buttons are numbered; typing the number presses the button.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING

from bot import jobs
from bot.gateway import Gateway
from bot.port import Incoming, Outgoing
from bot.rasa_client import RasaClient
from bot.settings import VAR

if TYPE_CHECKING:
    from bot.settings import Settings

USER_ID = 1  # the terminal user; in a private chat Telegram's chat id equals the user id


class TerminalTransport:
    """Prints bubbles; remembers the last buttons so a number can press one."""

    def __init__(self) -> None:
        self.buttons: list[str] = []

    async def send(self, message: Outgoing) -> bool:
        """Print a bubble; messages meant for peers are marked as such."""
        prefix = "" if message.chat_id == USER_ID else f"[naar chat {message.chat_id}] "
        print(f"\nHerstelgids › {prefix}{message.text}")
        if message.chat_id == USER_ID and message.buttons:
            self.buttons = [b.data for b in message.buttons]
            for number, button in enumerate(message.buttons, start=1):
                print(f"   [{number}] {button.label}")
        sys.stdout.flush()
        return True

    async def notify(self, message: Outgoing) -> None:
        """Peer alerts are printed in turn, like any bubble."""
        await self.send(message)

    async def send_file(self, chat_id: int, filename: str, content: bytes, caption: str) -> bool:
        """Write the file under var/ and say where it is."""
        path = VAR / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        print(f"\nHerstelgids › {caption}\n   [bestand: {path}]")
        return True

    async def typing(self, chat_id: int) -> None:
        """Nothing to show in a terminal."""


async def chat(settings: Settings) -> None:
    """Read lines until end of input or Ctrl-C."""
    transport = TerminalTransport()
    rasa = RasaClient(settings.rasa_urls, settings.rasa_auth_token, settings.rasa_timeout_seconds)
    gateway = Gateway(settings, rasa, transport)
    await asyncio.to_thread(gateway.assessor.warm_up)
    # The same jobs as in Telegram mode: retention, kept messages answered, tracker probe.
    tasks = jobs.start(gateway, settings.replica_name)
    print("Herstelgids in de terminal. Typ je bericht (Ctrl-C of Ctrl-D stopt).")
    loop = asyncio.get_running_loop()
    try:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            line = line.strip()
            if line.isdigit() and 0 < int(line) <= len(transport.buttons):
                incoming = Incoming(USER_ID, USER_ID, callback=transport.buttons[int(line) - 1])
            elif line:
                incoming = Incoming(USER_ID, USER_ID, text=line)
            else:
                continue
            await gateway.handle(incoming)
            print("\nJij › ", end="", flush=True)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await rasa.close()
