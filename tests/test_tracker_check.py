"""The tracker probe: kept, not kept, and no answer (which says nothing about the store)."""

from __future__ import annotations

import http.server
import json
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.gateway.rasa_turn
from bot.tracker_check import probe_sender, tracker_store_persists
from tests.stack import free_port


class FakeRasa(http.server.BaseHTTPRequestHandler):
    """Rasa's `POST /conversations/<id>/tracker/events`: keeps the event, drops it, or fails."""

    mode = "keep"
    database: Path

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        sender = self.path.split("/")[2]
        if self.mode == "keep":
            with sqlite3.connect(self.database) as connection:
                connection.execute(
                    "INSERT INTO events VALUES (?, ?)", (sender, body[0]["timestamp"])
                )
        self.send_response(500 if self.mode == "error" else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def rasa_http(tmp_path) -> Iterator[tuple[str, str]]:
    database = tmp_path / "tracker.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE events (sender_id TEXT, timestamp REAL)")
    FakeRasa.database, FakeRasa.mode = database, "keep"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", f"sqlite:///{database}"
    server.shutdown()
    server.server_close()


def test_kept_not_kept_and_an_error_answer(rasa_http):
    url, tracker = rasa_http
    assert tracker_store_persists(url, "t", tracker, probe_sender("gw", url)) is True
    FakeRasa.mode = "drop"  # Rasa answered, but fell back to memory
    assert tracker_store_persists(url, "t", tracker, probe_sender("gw", url)) is False
    FakeRasa.mode = "error"
    assert tracker_store_persists(url, "t", tracker, probe_sender("gw", url)) is False


def test_no_answer_in_time_or_nobody_listening_is_no_news():
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        assert tracker_store_persists(url, "t", "sqlite://", probe_sender(url), 0.3) is None
    nobody = f"http://127.0.0.1:{free_port()}"
    assert tracker_store_persists(nobody, "t", "sqlite://", probe_sender(nobody)) is None


def test_each_prober_writes_its_own_conversation():
    senders = {probe_sender(g, r) for g in ("gateway-1", "gateway-2") for r in ("ra", "rb")}
    assert len(senders) == 4 and probe_sender("health", "ra") not in senders


async def test_the_gateway_keeps_its_verdict_while_a_replica_gives_no_answer(
    gateway, rasa, monkeypatch
):
    """A busy replica (no answer within the probe's timeout) is not a failing store; one
    that answered without keeping the event stays failing until a probe finds it kept."""
    rasa.replicas = ("a", "b")
    answers = {"a": [True, False, None, True, None], "b": [None, None, True, True, True]}
    senders: set[str] = set()

    def probe(url, token, tracker_url, sender):
        senders.add(sender)
        return answers[url].pop(0)

    monkeypatch.setattr(bot.gateway.rasa_turn, "tracker_store_persists", probe)
    verdicts = []
    for _ in range(5):
        await gateway.check_tracker_store()
        verdicts.append(sorted(gateway.tracker_failing))
    assert verdicts == [[], ["a"], ["a"], [], []]
    assert len(senders) == 2  # one conversation per replica probed
