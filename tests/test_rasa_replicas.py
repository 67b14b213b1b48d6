"""Several Rasa replicas: each conversation always reaches the same one (see bot/rasa_client)."""

from __future__ import annotations

from collections import Counter

import httpx

from bot.rasa_client import RasaClient, replica_for
from bot.settings import load_settings

TWO = ("http://rasa-0:5005", "http://rasa-1:5005")
SENDERS = [f"{n:032x}" for n in range(2000)]  # pseudonyms are 32 hex digits


def test_rasa_url_may_list_replicas(monkeypatch):
    monkeypatch.setenv("RASA_URL", "http://rasa-0:5005/, http://rasa-1:5005")
    assert load_settings().rasa_urls == TWO
    monkeypatch.delenv("RASA_URL")
    assert load_settings().rasa_urls == ("http://127.0.0.1:5005",)


def test_one_person_always_reaches_the_same_replica_and_people_are_spread():
    chosen = {sender: replica_for(sender, TWO) for sender in SENDERS}
    assert all(replica_for(sender, TWO) == chosen[sender] for sender in SENDERS)
    assert all(replica_for(sender, TWO[::-1]) == chosen[sender] for sender in SENDERS)
    share = Counter(chosen.values())[TWO[0]] / len(SENDERS)
    assert 0.45 < share < 0.55


def test_adding_a_replica_moves_only_the_conversations_it_takes_over():
    three = (*TWO, "http://rasa-2:5005")
    moved = [s for s in SENDERS if replica_for(s, three) != replica_for(s, TWO)]
    assert all(replica_for(s, three) == three[2] for s in moved)
    assert 0.28 < len(moved) / len(SENDERS) < 0.39  # about a third, not a reshuffle


async def test_the_client_sends_every_call_of_a_conversation_to_its_replica():
    seen: list[tuple[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.url.path))
        body = [{"text": "hoi"}] if request.url.path.startswith("/webhooks") else {"events": []}
        return httpx.Response(200, json=body)

    client = RasaClient(TWO, "token", 1.0)
    client._client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    for sender in SENDERS[:20]:
        await client.turn(sender, "hallo")
        await client.tracker(sender)
        await client.append_events(sender, [])
        host = httpx.URL(replica_for(sender, TWO)).host
        assert {h for h, _ in seen[-3:]} == {host}
    assert {h for h, _ in seen} == {"rasa-0", "rasa-1"}
    await client.close()
