"""`python -m bench --replicas 2`: two Rasa servers on one PostgreSQL, each person kept in order.

Every simulated person sends a burst of messages at once (a quick typist, a double tap)
without waiting for answers. Afterwards each conversation is read back from the shared tracker
store: were the messages recorded in the order sent, each followed by the bot's answer, none
lost or doubled?

- `hash`: messages go where the gateway sends them (`bot.rasa_client.replica_for`), so one
  person's burst reaches one replica, whose own lock keeps it in order.
- `round-robin`: what a plain load balancer does; one person's burst is spread over both
  replicas, which race on the shared tracker (the lock store does not span replicas).
- `gateway`: the whole stack, the bursts sent through Telegram (the fake Bot API) to a gateway
  whose RASA_URL lists both replicas.

PostgreSQL: TEST_DATABASE_URL or DATABASE_URL when they point at one, else the throwaway
cluster of scripts/test-postgres.sh (started here, and stopped again afterwards).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot.pseudonym import pseudonymise
from bot.rasa_client import replica_for
from bot.settings import ROOT
from tests.stack import Stack, ThreadedBotApi, port_open

# Each gets one bubble back and none starts a form, so a burst is a sequence of plain turns.
BURST = (
    "hoi, goedemiddag",
    "hoe werkt dit eigenlijk?",
    "ben jij een robot?",
    "dankjewel, dat helpt",
)
GAP_SECONDS = 0.01  # between the messages of one burst
PG_SCRIPT = ROOT / "scripts" / "test-postgres.sh"


@dataclass
class Audit:
    """What the tracker store holds for a set of bursts, against what was sent."""

    routing: str
    people: int = 0
    messages: int = 0
    people_out_of_order: int = 0
    lost: int = 0
    doubled: int = 0
    unanswered: int = 0
    errors: int = 0
    seconds: float = 0.0
    per_replica: dict[str, int] = field(default_factory=dict)
    per_gateway: dict[str, int] = field(default_factory=dict)  # updates each gateway handled

    @property
    def clean(self) -> bool:
        """Every message recorded once, in order, and answered."""
        return not (
            self.people_out_of_order or self.lost or self.doubled or self.unanswered or self.errors
        )

    def add(self, events: list[dict[str, Any]], sent: list[str]) -> None:
        """Compare one conversation's events with the messages sent in it."""
        said = [e.get("text") for e in events if e.get("event") == "user"]
        ours = [text for text in said if text in sent]
        counts = Counter(ours)
        self.people += 1
        self.messages += len(sent)
        self.lost += sum(1 for text in sent if counts[text] == 0)
        self.doubled += sum(n - 1 for n in counts.values() if n > 1)
        if list(dict.fromkeys(ours)) != [text for text in sent if counts[text]]:
            self.people_out_of_order += 1
        answered = False
        for event in reversed(events):  # each user event needs a bot event before the next one
            if event.get("event") == "bot":
                answered = True
            elif event.get("event") == "user" and event.get("text") in sent:
                self.unanswered += not answered
                answered = False


def postgres_server() -> tuple[str, bool]:
    """A PostgreSQL server URL, and whether this run started it (and must stop it)."""
    for name in ("TEST_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith("postgresql"):
            return url, False
    was_running = port_open(int(os.environ.get("TEST_PG_PORT", "54329")))
    url = subprocess.run(
        [str(PG_SCRIPT), "start"], check=True, capture_output=True, text=True
    ).stdout.strip()
    return url, not was_running


async def _tracker(http: httpx.AsyncClient, url: str, token: str, sender: str) -> list[dict]:
    response = await http.get(
        f"{url}/conversations/{sender}/tracker", params={"token": token, "include_events": "ALL"}
    )
    response.raise_for_status()
    return response.json().get("events", [])


async def direct(urls: list[str], token: str, routing: str, people: int, first: int) -> Audit:
    """Bursts straight to the replicas' REST channels, routed by hash or round-robin."""
    audit = Audit(routing)
    senders = [f"{routing}-{first + n}" for n in range(people)]
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=512)) as http:

        async def post(url: str, sender: str, text: str) -> None:
            try:
                response = await http.post(
                    f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
                )
                response.raise_for_status()
                audit.errors += not response.json()
            except (httpx.HTTPError, ValueError):
                audit.errors += 1

        async def burst(sender: str) -> None:
            posts = []
            for index, text in enumerate(BURST):
                url = replica_for(sender, urls) if routing == "hash" else urls[index % len(urls)]
                audit.per_replica[url] = audit.per_replica.get(url, 0) + 1
                posts.append(asyncio.create_task(post(url, sender, text)))
                await asyncio.sleep(GAP_SECONDS)
            await asyncio.gather(*posts)

        began = time.monotonic()
        await asyncio.gather(*(burst(sender) for sender in senders))
        audit.seconds = round(time.monotonic() - began, 2)
        for sender in senders:
            audit.add(await _tracker(http, urls[0], token, sender), list(BURST))
    return audit


def through_gateway(stack: Stack, people: int, first: int) -> Audit:
    """Bursts sent through the fake Telegram to the gateway in front of the replicas."""
    api, audit = stack.bot_api, Audit("gateway")
    users = range(first, first + people)
    for user in users:  # first contact: the intro and the consent question, then thanks + menu
        api.send_text(user, "hallo")
    for user in users:
        _intro, ask = api.wait(user, 2, timeout=60)
        api.press(user, ask, "b:consent_yes")
        api.wait(user, 2, timeout=60)
    began = time.monotonic()

    async def bursts() -> None:
        for text in BURST:
            for user in users:
                api.fake.send_text(user, text)
            await asyncio.sleep(GAP_SECONDS)

    api.run(bursts())
    for user in users:
        try:
            api.wait(user, len(BURST), timeout=60)
        except AssertionError:
            audit.errors += 1
    audit.seconds = round(time.monotonic() - began, 2)
    secret, token = stack.env["PSEUDONYM_SECRET"], stack.env["RASA_AUTH_TOKEN"]

    async def read_back() -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            for user in users:
                sender = pseudonymise(user, secret)
                url = replica_for(sender, stack.rasa_urls)
                audit.per_replica[url] = audit.per_replica.get(url, 0) + len(BURST)
                audit.add(await _tracker(http, stack.rasa_urls[0], token, sender), list(BURST))

    asyncio.run(read_back())
    return audit


def run(replicas: int = 2, people: int = 40) -> dict[str, Any]:
    """Start the stack with `replicas` Rasa servers on PostgreSQL and audit three kinds of burst."""
    server, started_here = postgres_server()
    os.environ["TEST_DATABASE_URL"] = server  # the stack makes a fresh database on it
    workdir = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    bot_api = ThreadedBotApi()
    stack = Stack(workdir, bot_api)
    stack.env["LOG_LEVEL"] = "WARNING"
    try:
        stack.start_all(rasa_replicas=replicas)
        token = stack.env["RASA_AUTH_TOKEN"]
        audits = [
            asyncio.run(direct(stack.rasa_urls, token, "hash", people, 0)),
            asyncio.run(direct(stack.rasa_urls, token, "round-robin", people, 0)),
            through_gateway(stack, people, 700_000),
        ]
        stack.start_gateway_replicas(replicas)
        try:
            audit = through_gateway(stack, people, 900_000)
        finally:
            handled = stack.stop_gateway_replicas()
        audit.routing = f"{replicas} gateways (webhooks, round-robin), hash to Rasa"
        audit.per_gateway = handled
        audits.append(audit)
    finally:
        stack.stop_all()
        bot_api.close()
        if started_here:
            subprocess.run([str(PG_SCRIPT), "stop"], check=False)
    return {
        "replicas": replicas,
        "database": "postgresql",
        "burst": list(BURST),
        "audits": [{**asdict(a), "clean": a.clean} for a in audits],
    }


def markdown(result: dict[str, Any]) -> str:
    """A table: one row per routing, what the tracker store holds."""
    lines = [
        f"{result['replicas']} Rasa replicas on one PostgreSQL tracker store (and in the last row "
        f"{result['replicas']} gateways on one PostgreSQL inbox); each person sends "
        f"{len(result['burst'])} messages {GAP_SECONDS * 1000:.0f} ms apart without waiting.",
        "",
        "| routing | people | messages | out of order (people) | lost | doubled | unanswered | "
        "errors | messages per Rasa replica | updates per gateway |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for a in result["audits"]:
        spread = " / ".join(str(n) for n in a["per_replica"].values())
        gateways = " / ".join(str(n) for n in a.get("per_gateway", {}).values()) or "–"
        lines.append(
            f"| {a['routing']} | {a['people']} | {a['messages']} | {a['people_out_of_order']} | "
            f"{a['lost']} | {a['doubled']} | {a['unanswered']} | {a['errors']} | {spread} | "
            f"{gateways} |"
        )
    return "\n".join(lines) + "\n"
