"""The whole Herstelgids stack for end-to-end tests: real processes, fake Telegram.

Rasa, the action server and the gateway run as the same `python -m bot serve ...` commands as
`make run` and docker-compose, each on a free port, with a throwaway database. Telegram is the
fake Bot API server from `tests.fakes.bot_api`, run on its own event loop in a thread so the
tests can drive it synchronously while the processes talk to it over HTTP.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.db import get_engine
from bot.inbox import chat_of
from bot.services import stop, wait_ready
from bot.settings import ROOT
from tests.fakes.bot_api import FakeBotApi

T = TypeVar("T")
TOKEN = "123456:TEST-TOKEN"
PEER_GROUP = -1001


def fresh_database(server_url: str, name: str) -> str:
    """Create an empty database on the test PostgreSQL server; returns its URL."""
    database = "e2e_" + "".join(ch for ch in name.lower() if ch.isalnum())
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT", future=True)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    engine.dispose()
    return str(make_url(server_url).set(database=database))


def port_open(port: int) -> bool:
    """Whether something listens on this port of 127.0.0.1."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port):
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


async def push_round_robin(fake: FakeBotApi, urls: list[str], secret: str) -> None:
    """Telegram in webhook mode behind a load balancer, until cancelled.

    Each queued update is POSTed to the next URL in turn. Like Telegram, updates of different
    chats go out at once, and a chat's next update only once its webhook answered the one
    before (grammY's deployment guide describes this); a refused update is tried again.
    """
    busy: set[int] = set()  # chats with an update on its way
    turn = 0

    async def deliver(update_id: int, chat: int, url: str) -> None:
        try:
            status = await fake.deliver_to_webhook(url, update_id, secret)
        except Exception:
            status = 0
        if status != 200:
            await asyncio.sleep(0.1)  # still queued: tried again
        busy.discard(chat)

    tasks: set[asyncio.Task[None]] = set()
    try:
        while True:
            for update in fake.pending_updates():
                chat = chat_of(update)
                if chat not in busy:
                    busy.add(chat)
                    url = urls[turn % len(urls)]
                    task = asyncio.create_task(deliver(update["update_id"], chat, url))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                    turn += 1
            await asyncio.sleep(0.002)
    finally:
        for task in tasks:
            task.cancel()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThreadedBotApi:
    """The fake Bot API on a private event loop; every call is made thread-safe."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.fake = FakeBotApi([TOKEN])
        self.run(self.fake.start())
        self.fake.add_chat(PEER_GROUP, chat_type="supergroup", title="Peer team")

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 120) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def call(self, function, *args, **kwargs):
        async def inside():
            return function(*args, **kwargs)

        return self.run(inside())

    def send_text(self, user_id: int, text: str, **kwargs) -> int:
        return self.call(self.fake.send_text, user_id, text, **kwargs)

    def press(self, user_id: int, message: dict, data: str) -> int:
        return self.call(self.fake.press_button, user_id, message, data)

    def send_photo(self, user_id: int) -> int:
        return self.call(self.fake.send_photo, user_id)

    def wait(self, chat_id: int, count: int = 1, timeout: float = 30.0) -> list[dict]:
        return self.run(self.fake.wait_for_messages(chat_id, count, timeout), timeout + 5)

    def chat_actions(self, chat_id: int) -> list[str]:
        return self.call(self.fake.chat_actions, chat_id)

    def close(self) -> None:
        self.run(self.fake.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()  # its self-pipe sockets would otherwise leak a ResourceWarning


class Stack:
    """Rasa + action server + gateway processes around one fake Telegram."""

    def __init__(self, workdir: Path, bot_api: ThreadedBotApi) -> None:
        self.workdir = workdir
        self.bot_api = bot_api
        server = os.environ.get("TEST_DATABASE_URL")
        self.on_postgres = bool(server)
        if server:  # one fresh database for the gateway and Rasa's tracker, as in Compose
            self.database_url = self.tracker_url = fresh_database(server, workdir.name)
        else:
            self.database_url = f"sqlite:///{workdir / 'app.db'}"
            self.tracker_url = f"sqlite:///{workdir / 'tracker.db'}"
        rasa_port, action_port = free_port(), free_port()
        self.env = {
            **os.environ,
            "HERSTELGIDS_MODE": "local",
            "DATABASE_URL": self.database_url,
            "RASA_TRACKER_DATABASE_URL": self.tracker_url,
            "PSEUDONYM_SECRET": "e2e-pseudonym-secret",
            "RASA_AUTH_TOKEN": "e2e-rasa-token",
            "RASA_PORT": str(rasa_port),
            "ACTIONS_PORT": str(action_port),
            "RASA_URL": f"http://127.0.0.1:{rasa_port}",
            "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": bot_api.fake.base_url,
            "PEER_GROUP_CHAT_ID": str(PEER_GROUP),
            "LOG_LEVEL": "INFO",
            "CHECK_EVERY_SECONDS": "3",  # probe and retry often, so fault tests end soon
        }
        self.rasa_url = self.env["RASA_URL"]
        self.rasa_urls = [self.rasa_url]  # start_rasa_replica adds more
        self.action_health = f"http://127.0.0.1:{action_port}/health"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self._pusher: asyncio.Future[None] | None = None  # webhook deliveries to replicas

    def start(self, name: str, label: str = "", **env: str) -> subprocess.Popen[bytes]:
        """`python -m bot serve NAME`, kept (and logged) as `label` (a second Rasa: "rasa-1")."""
        label = label or name
        with (self.workdir / f"{label}.log").open("ab") as log:  # the child keeps its own copy
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", name],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.procs[label] = proc
        return proc

    def start_rasa_replica(self) -> str:
        """One more Rasa server on the same tracker store; the gateway will route to it too.

        Started after the first one is up, so two servers never create the tracker tables at
        once. Returns its URL; RASA_URL then lists every replica.
        """
        port = free_port()
        label = f"rasa-{len(self.rasa_urls)}"
        wait_ready(
            f"http://127.0.0.1:{port}/", self.start("rasa", label, RASA_PORT=str(port)), timeout=300
        )
        self.rasa_urls.append(f"http://127.0.0.1:{port}")
        self.env["RASA_URL"] = ",".join(self.rasa_urls)
        return self.rasa_urls[-1]

    def start_all(self, rasa_replicas: int = 1) -> None:
        self.run_cli("migrate")
        actions = self.start("actions")
        rasa = self.start("rasa")
        wait_ready(self.action_health, actions, timeout=120)
        wait_ready(f"{self.rasa_url}/", rasa, timeout=300)
        for _ in range(rasa_replicas - 1):
            self.start_rasa_replica()
        self.start("gateway")
        self.bot_api.run(self.bot_api.fake.wait_for_calls("getUpdates", 1, 60), 70)

    def stop_rasa_replicas(self) -> None:
        """Back to the first Rasa server alone (restart the gateway to make it forget them)."""
        for label in [f"rasa-{n}" for n in range(1, len(self.rasa_urls))]:
            self.stop(label)
        del self.rasa_urls[1:]
        self.env["RASA_URL"] = self.rasa_url

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is not None:
            stop([proc])

    def start_gateway_replicas(self, count: int) -> None:
        """`count` gateways in webhook mode, in place of the polling one, behind a round-robin
        balancer (push_round_robin): one person's updates reach different replicas."""
        self.stop("gateway")
        secret = "replica-webhook-secret"
        urls = []
        for n in range(1, count + 1):
            port, label = free_port(), f"gateway-{n}"
            url = f"http://127.0.0.1:{port}/telegram"
            webhook = {
                "TELEGRAM_WEBHOOK_URL": url,
                "TELEGRAM_WEBHOOK_PORT": str(port),
                "TELEGRAM_WEBHOOK_SECRET": secret,
            }
            # LOG_LEVEL INFO: the replica logs how many updates it handled when it stops
            self.start("gateway", label, REPLICA_NAME=label, LOG_LEVEL="INFO", **webhook)
            wait_for_port(port, timeout=60)
            urls.append(url)
        pushing = push_round_robin(self.bot_api.fake, urls, secret)
        self._pusher = self.bot_api.call(asyncio.ensure_future, pushing)

    def stop_gateway_replicas(self) -> dict[str, int]:
        """Back to one polling gateway; returns how many updates each replica handled."""
        if self._pusher is not None:
            self.bot_api.call(self._pusher.cancel)
        handled = {}
        for label in [name for name in self.procs if name.startswith("gateway-")]:
            self.stop(label)
            found = re.findall(r"(\d+) updates handled here", self.logs(label))
            handled[label] = int(found[-1]) if found else 0
        self.restart_gateway()
        return handled

    def restart_gateway(self) -> None:
        self.stop("gateway")
        before = len(self.bot_api.call(self.bot_api.fake.calls, "getUpdates"))
        self.start("gateway")
        self.bot_api.run(self.bot_api.fake.wait_for_calls("getUpdates", before + 1, 60), 70)

    def run_cli(self, *args: str, **env: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return result.stdout

    def cli_status(self, *args: str) -> int:
        """Exit status of `python -m bot ARGS` (e.g. the health check)."""
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            timeout=120,
        ).returncode

    def sql(self, which: str, query: str) -> list[tuple]:
        """Rows from the gateway's ("app") or Rasa's ("tracker") database, as stored."""
        url = self.database_url if which == "app" else self.tracker_url
        with get_engine(url).connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]

    def logs(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def problems(self, *names: str, last: int = 20) -> str:
        """The latest warnings and errors these processes logged (for a failing test's message)."""
        lines = []
        for name in names:
            logged = self.logs(name).splitlines()
            found = [ln for ln in logged if " WARNING " in ln or " ERROR " in ln]
            lines += [f"{name}: {ln}" for ln in found[-last:]]
        return "\n".join(lines) or "no warnings or errors logged"

    def stop_all(self) -> None:
        stop(list(self.procs.values()))
        self.procs.clear()
