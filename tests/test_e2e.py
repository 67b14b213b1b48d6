"""End to end: a Telegram user talks to the real gateway, Rasa and action server.

Telegram is a local fake Bot API server; everything else is the product as `make run` starts
it. One stack serves the whole module (Rasa takes ~30 s to load); each test uses its own users.
"""

from __future__ import annotations

import asyncio
import io
import json
import time

import pypdf
import pytest

from bench import replicas
from bot.plan import STEPS
from bot.services import wait_ready
from bot.tracker_check import PROBE_SENDER
from tests.stack import PEER_GROUP, Stack, ThreadedBotApi, free_port, wait_for_port
from tests.test_directory import HEADER

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory):
    bot_api = ThreadedBotApi()
    stack = Stack(tmp_path_factory.mktemp("e2e"), bot_api)
    try:
        stack.start_all()
        yield stack
    finally:
        stack.stop_all()
        bot_api.close()


@pytest.fixture
def tg(stack) -> ThreadedBotApi:
    return stack.bot_api


def buttons(message: dict) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [row[0]["callback_data"] for row in markup.get("inline_keyboard", [])]


def consent(tg: ThreadedBotApi, user: int, first: str = "hallo") -> list[dict]:
    """First contact and a yes to consent; returns what came after the yes."""
    tg.send_text(user, first)
    _intro, ask = tg.wait(user, 2)
    tg.press(user, ask, "b:consent_yes")
    return tg.wait(user, 2)


def tracker_rows(stack: Stack) -> dict[str, int]:
    """Events per person in Rasa's SQL tracker store, as stored (not the probe's)."""
    rows = stack.sql("tracker", "SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id")
    return {sender: count for sender, count in rows if not sender.startswith(PROBE_SENDER)}


def test_hallo_gets_a_dutch_reply_that_says_it_is_a_bot(tg, texts):
    tg.send_text(1001, "hallo")
    reply, ask = tg.wait(1001, 2)
    assert reply["text"] == texts.say("intro", "nl")
    assert "bot" in reply["text"].lower()
    assert ask["text"] == texts.say("consent_ask", "nl")
    assert buttons(ask) == ["b:consent_yes", "b:consent_no", "b:privacy"]


def test_english_question_is_answered_in_english_through_rasa(tg, texts):
    tg.send_text(1002, "hello, how does this work?")
    intro, ask = tg.wait(1002, 2)
    assert intro["text"] == texts.say("intro", "en")
    tg.press(1002, ask, "b:consent_yes")
    thanks, answer = tg.wait(1002, 2)
    assert thanks["text"] == texts.say("consent_yes", "en")
    assert answer["text"] == texts.say("how_it_works", "en")  # Rasa understood the kept question


def test_button_press_round_trips_through_rasa(tg, texts):
    _, menu = consent(tg, 1003)
    assert menu["text"] == texts.say("menu", "nl")
    assert "b:recovery_info" in buttons(menu)
    tg.press(1003, menu, "b:recovery_info")  # through Rasa and the action server
    [answer] = tg.wait(1003)
    assert answer["text"] == texts.say("recovery_intro", "nl")
    tg.press(1003, answer, "b:topic_wrap")
    [explained] = tg.wait(1003)
    assert explained["text"] == texts.say("explain_wrap", "nl")
    assert {"b:peer_now", "b:find_group"} <= set(buttons(explained))


def test_photo_gets_the_text_only_reply(tg, texts):
    tg.send_photo(1004)
    [reply] = tg.wait(1004)
    assert reply["text"] == texts.say("media_text_only", "nl")


def test_typed_greeting_and_bot_question_are_understood(tg, texts):
    consent(tg, 1005)
    tg.send_text(1005, "ben jij eigenlijk een robot of een echt mens?")
    [reply] = tg.wait(1005)
    assert reply["text"] == texts.say("bot_challenge", "nl")


def test_rasa_only_ever_sees_pseudonyms(stack, tg):
    consent(tg, 1006)
    senders = tracker_rows(stack)
    assert senders and all(len(s) == 32 and "1006" not in s for s in senders)


def test_crisis_message_gets_crisis_lines_and_an_urgent_alert(tg, texts):
    tg.send_text(1007, "ik zie het echt niet meer zitten, wil er niet meer zijn")
    lines, offer = tg.wait(1007, 2)
    assert "113" in lines["text"] and "0800-0113" in lines["text"] and "112" in lines["text"]
    # nobody of the team is on duty: no button for a person, and who answers right now
    assert buttons(offer) == ["b:crisis_continue"]
    assert "113" in offer["text"] and "1813" in offer["text"]
    [alert] = tg.wait(PEER_GROUP)
    assert texts.say("urgency_urgent", "nl") in alert["text"]
    assert buttons(alert)[0].startswith("claim:")


def test_handoff_race_relay_restart_and_return(stack, tg, texts):
    person, anna, bram, stranger = 1010, 7001, 7002, 7999
    stack.run_cli("peers", "add", str(anna), "--name", "Anna")
    stack.run_cli("peers", "add", str(bram), "--name", "Bram")
    for user in (anna, bram):
        tg.call(tg.fake.add_chat, user)
    consent(tg, person)

    tg.send_text(person, "ik wil graag met een ervaringsdeskundige praten")
    [waiting] = tg.wait(person)
    assert waiting["text"] == texts.say(
        "handoff_waiting_offline", "nl", next_shift=texts.say("peer_hours", "nl")
    )
    [alert] = tg.wait(PEER_GROUP)
    claim = buttons(alert)[0]

    tg.press(stranger, alert, claim)  # not registered
    [refusal] = tg.wait(PEER_GROUP)
    assert refusal["text"] == texts.say("peer_not_registered", "nl")

    tg.press(anna, alert, claim)  # both press; both updates are queued together
    tg.press(bram, alert, claim)
    group = [m["text"] for m in tg.wait(PEER_GROUP, 2)]
    ticket = claim.removeprefix("claim:")
    notices = {
        n: texts.say("peer_claimed_by", "nl", ticket=ticket, peer_name=n) for n in ("Anna", "Bram")
    }
    [winner] = [name for name, notice in notices.items() if notice in group]
    assert texts.say("peer_claim_lost", "nl", ticket=ticket, peer_name=winner) in group
    [claimed] = tg.wait(person)
    assert claimed["text"] == texts.say("handoff_claimed", "nl", peer_name=winner)
    peer = anna if winner == "Anna" else bram
    tg.wait(peer, 2)  # claim confirmation and transcript

    events_before = tracker_rows(stack)

    tg.send_text(person, "fijn, ik voel me vandaag erg alleen")
    [relayed] = tg.wait(peer)
    assert "ik voel me vandaag erg alleen" in relayed["text"]
    tg.send_text(peer, "Hoi, wat fijn dat je schrijft. Wat speelt er?")
    [from_peer] = tg.wait(person)
    assert from_peer["text"] == texts.say(
        "relay_from_peer",
        "nl",
        peer_name=winner,
        text="Hoi, wat fijn dat je schrijft. Wat speelt er?",
    )
    assert tracker_rows(stack) == events_before  # Rasa heard nothing while a person owned the chat

    stack.restart_gateway()
    tg.send_text(person, "ben je er nog?")
    [relayed] = tg.wait(peer)
    assert "ben je er nog?" in relayed["text"]

    tg.send_text(peer, "/terug")
    [back_to_bot] = tg.wait(peer)
    assert back_to_bot["text"] == texts.say("peer_returned", "nl", ticket=ticket)
    returned, menu = tg.wait(person, 2)
    assert returned["text"] == texts.say("handoff_returned", "nl", peer_name=winner)
    assert menu["text"] == texts.say("menu", "nl")  # the bot resumes through Rasa


def test_export_and_erase_reach_rasas_tracker_store(stack, tg, texts):
    person = 1030
    before = tracker_rows(stack)
    consent(tg, person)
    tg.send_text(person, "ben jij een robot?")
    tg.wait(person)
    [sender] = set(tracker_rows(stack)) - set(before)

    tg.send_text(person, "/mijngegevens")
    [caption] = tg.wait(person)
    assert caption["caption"] == texts.say("export_caption", "nl")
    [upload] = tg.call(tg.fake.calls, "sendDocument")
    export = json.loads(upload["document"].content)
    assert export["herstelgids"]["consent"]["given"] is True
    assert any(e.get("text") == "ben jij een robot?" for e in export["conversation_events"])

    tg.send_text(person, "/vergeetmij")
    [confirm] = tg.wait(person)
    tg.press(person, confirm, "b:erase_yes")
    [done] = tg.wait(person)
    assert done["text"] == texts.say("erase_done", "nl")
    assert sender not in tracker_rows(stack)  # gone from Rasa's SQL tracker store


def test_rasa_stopped_mid_conversation_then_back(stack, tg, texts):
    """Crisis still answered while Rasa is down; a kept message answered once it is back."""
    person = 1040
    consent(tg, person)
    stack.stop("rasa")
    tg.send_text(person, "ben jij een robot of een mens?")
    [down] = tg.wait(person)
    assert down["text"] == texts.say("engine_down_kept", "nl")
    tg.send_text(person, "ik wil er niet meer zijn")
    lines, _offer = tg.wait(person, 2)
    assert "113" in lines["text"] and "112" in lines["text"]
    rasa = stack.start("rasa")
    wait_ready(f"{stack.rasa_url}/", rasa, timeout=300)
    lead, answer = tg.wait(person, 2, timeout=90)  # the gateway retries every 30 s
    assert lead["text"] == texts.say("kept_answer", "nl")
    assert answer["text"] == texts.say("bot_challenge", "nl")


def test_action_server_down_is_never_silence(stack, tg, texts):
    person = 1050
    consent(tg, person)
    stack.stop("actions")
    tg.send_text(person, "kan ik met een echt mens praten?")  # needs a custom action
    [reply] = tg.wait(person)
    assert reply["text"] == texts.say("engine_down_kept", "nl")
    actions = stack.start("actions")
    wait_ready(stack.action_health, actions, timeout=120)
    lead, waiting = tg.wait(person, 2, timeout=90)
    assert lead["text"] == texts.say("kept_answer", "nl")
    assert waiting["text"].startswith(texts.say("handoff_waiting_offline", "nl")[:40])


def test_tracker_store_failure_is_noticed_and_nothing_is_lost(stack, tg, texts):
    """Rasa would carry on in memory; the health check and the gateway notice instead."""
    if stack.on_postgres:
        pytest.skip("breaks the SQLite file under Rasa; PostgreSQL is shared by the run")
    person = 1060
    consent(tg, person)
    assert stack.cli_status("health", "rasa") == 0
    tracker = stack.workdir / "tracker.db"
    parked = [
        (path, path.with_name(path.name + ".parked")) for path in stack.workdir.glob("tracker.db*")
    ]
    for path, away in parked:
        path.rename(away)
    tracker.mkdir()  # a directory where the database was: every connection to it fails
    try:
        deadline = time.monotonic() + 30
        while stack.cli_status("health", "rasa") == 0:
            assert time.monotonic() < deadline, "health check did not notice"
            time.sleep(1)
        time.sleep(3 * 2)  # two gateway check cycles
        tg.send_text(person, "ben jij een robot of een mens?")
        [reply] = tg.wait(person)
        assert reply["text"] == texts.say("engine_down_kept", "nl")
    finally:
        tracker.rmdir()
        for path, away in parked:
            away.rename(path)
    lead, answer = tg.wait(person, 2, timeout=60)
    assert lead["text"] == texts.say("kept_answer", "nl")
    assert answer["text"] == texts.say("bot_challenge", "nl")
    assert stack.cli_status("health", "rasa") == 0
    assert "not keeping conversations" in stack.logs("gateway")


def test_retention_purge_empties_rasas_tracker_store(stack):
    assert tracker_rows(stack)  # earlier tests left conversations behind
    output = stack.run_cli("purge", RETENTION_DAYS="0")  # everything is older than 0 days
    assert "events: 0" not in output
    assert tracker_rows(stack) == {}


ANSWERS = {
    "well": "Elke ochtend wandelen met Zoë",
    "signs": "slecht slapen\nprikkelbaar",
    "actions": "Ik bel Anouk en ga fietsen",
    "others": "Kom langs zonder veel te vragen",
    "people": "Anouk 06-11112222",
}


def table_text(stack: Stack, which: str, query: str) -> str:
    return " ".join(str(value) for row in stack.sql(which, query) for value in row)


def test_plan_over_telegram_edit_pdf_crisis_and_erase(stack, tg, texts):
    person = 1080
    consent(tg, person)
    tg.send_text(person, "/mijnplan")
    [intro] = tg.wait(person)
    assert intro["text"] == texts.say("plan_intro", "nl")
    tg.press(person, intro, "b:plan_consent_yes")
    [question] = tg.wait(person)
    for step in STEPS:
        assert (
            texts.say(f"plan_step_{step}", "nl", number=STEPS.index(step) + 1, total=8)
            in (question["text"])
        )
        if step in ANSWERS:
            tg.send_text(person, ANSWERS[step])
        else:
            tg.press(person, question, "b:plan_skip")
        [question] = tg.wait(person)
    assert question["text"] == texts.say("plan_done", "nl")
    tg.press(person, question, "b:plan_share_no")
    tg.wait(person)

    # Edit one step from /mijnplan
    tg.send_text(person, "/mijnplan")
    [overview] = tg.wait(person)
    assert ANSWERS["actions"] in overview["text"]
    tg.press(person, overview, "b:plan_edit_actions")
    [edit] = tg.wait(person)
    tg.send_text(person, "Muziek op en mijn zus appen")
    [saved] = tg.wait(person)
    assert "Muziek op en mijn zus appen" in saved["text"]

    # The PDF, opened and read
    tg.press(person, saved, "b:plan_pdf")
    [caption] = tg.wait(person)
    assert caption["caption"] == texts.say("plan_pdf_caption", "nl")
    upload = tg.call(tg.fake.calls, "sendDocument")[-1]
    reader = pypdf.PdfReader(io.BytesIO(upload["document"].content))
    body = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1
    assert texts.say("plan_heading_actions", "nl") in body
    assert "Muziek op en mijn zus appen" in body and "Elke ochtend wandelen met Zoë" in body

    # Stored encrypted, never in Rasa's tracker store
    plans = table_text(stack, "app", "SELECT * FROM plans")
    tracker = table_text(stack, "tracker", "SELECT data FROM events")
    for store_text in (plans, tracker):
        assert "Anouk" not in store_text and "Muziek op" not in store_text

    # A crisis: the crisis lines first, then their own steps
    tg.send_text(person, "ik wil niet meer leven")
    lines, offer, own = tg.wait(person, 3)
    assert "113" in lines["text"]
    assert buttons(offer) == ["b:crisis_continue"]  # nobody on duty: no person offered
    assert "Muziek op en mijn zus appen" in own["text"] and "Anouk 06-11112222" in own["text"]

    # Erased from every store
    tg.send_text(person, "/vergeetmij")
    [confirm] = tg.wait(person)
    tg.press(person, confirm, "b:erase_yes")
    [done] = tg.wait(person)
    assert done["text"] == texts.say("erase_done", "nl")
    assert table_text(stack, "app", "SELECT COUNT(*) FROM plans") == "0"


DIRECTORY_COORDINATOR = 3001
DIRECTORY_OTHER = 3002
DIRECTORY_PERSON = 3003
DIRECTORY_ROW = (
    "e2e-zutphen,Herstelgroep De Brug,Stichting Brug,herstelgroep,Zutphen,Gelderland,,,nee,nl,"
    "algemeen,donderdag 19:30,,,https://example.org/brug,,,2026-11-01,ja"
)


def test_coordinator_file_then_a_person_finds_the_new_listing(stack, texts):
    tg: ThreadedBotApi = stack.bot_api
    stack.run_cli(
        "peers", "add", str(DIRECTORY_COORDINATOR), "--name", "Sam", "--role", "coordinator"
    )
    excel = f"{HEADER.replace(',', ';')}\r\n{DIRECTORY_ROW.replace(',', ';')}\r\n"
    content = b"\xef\xbb\xbf" + excel.encode()
    tg.call(tg.fake.send_document, DIRECTORY_COORDINATOR, "aanbod.csv", content)
    [report] = tg.wait(DIRECTORY_COORDINATOR)
    assert report["text"].startswith("Bestand verwerkt: 1 nieuw")

    tg.call(tg.fake.send_document, DIRECTORY_OTHER, "aanbod.csv", content)
    [refused] = tg.wait(DIRECTORY_OTHER)
    assert refused["text"] == texts.say("dir_file_refused", "nl")

    consent(tg, DIRECTORY_PERSON)
    tg.send_text(DIRECTORY_PERSON, "is er een herstelgroep in de buurt van Zutphen?")
    [found] = tg.wait(DIRECTORY_PERSON)
    assert found["text"].startswith(texts.say("dir_found_place", "nl", place="Zutphen"))
    assert "Herstelgroep De Brug" in found["text"] and "01-11-2026" in found["text"]
    assert buttons(found)[0] == "dir:d:e2e-zutphen"
    tg.press(DIRECTORY_PERSON, found, "dir:d:e2e-zutphen")
    [detail] = tg.wait(DIRECTORY_PERSON)
    assert "Stichting Brug" in detail["text"]


def test_two_rasa_replicas_keep_each_persons_burst_in_order_and_lose_nothing(stack):
    """Issue 7: a second Rasa on the same PostgreSQL tracker store; the gateway routes each
    person to one replica by a hash of the pseudonym, so a burst of messages sent at once is
    recorded in order, each answered, nothing lost or doubled (see bench/replicas.py)."""
    if not stack.on_postgres:
        pytest.skip("replicas share a PostgreSQL tracker store (the PostgreSQL pass runs this)")
    stack.start_rasa_replica()
    stack.restart_gateway()
    try:
        audit = replicas.through_gateway(stack, people=12, first=820_000)
        assert audit.clean, audit
        assert len(audit.per_replica) == 2, audit  # both replicas carried conversations
        token = stack.env["RASA_AUTH_TOKEN"]
        direct = asyncio.run(replicas.direct(stack.rasa_urls, token, "hash", 12, 0))
        assert (direct.lost, direct.doubled, direct.unanswered, direct.errors) == (0, 0, 0, 0)
    finally:
        stack.stop_rasa_replicas()
        stack.restart_gateway()


def test_two_gateway_replicas_behind_a_balancer_keep_each_persons_burst_in_order(stack):
    """Issue 7: two gateways in webhook mode share the inbox on PostgreSQL. A person's
    updates reach both replicas at once; the one holding the chat's claim handles them, in
    order, each once (bot/claims.py), and both replicas carry conversations."""
    if not stack.on_postgres:
        pytest.skip("replicas share the PostgreSQL database (the PostgreSQL pass runs this)")
    stack.start_gateway_replicas(2)
    try:
        audit = replicas.through_gateway(stack, people=12, first=860_000)
    except AssertionError as error:  # a reply did not come: say what the replicas logged
        raise AssertionError(f"{error}\n{stack.problems('gateway-1', 'gateway-2')}") from None
    finally:
        handled = stack.stop_gateway_replicas()
    assert audit.clean, audit
    assert len(handled) == 2 and min(handled.values()) > 0, handled


def test_webhook_mode_accepts_only_telegrams_secret(stack, tg, texts):
    """Runs last in this module: it replaces the polling gateway with a webhook one."""
    port = free_port()
    stack.stop("gateway")
    stack.env.update(
        TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
        TELEGRAM_WEBHOOK_PORT=str(port),
        TELEGRAM_WEBHOOK_SECRET="right-secret",
    )
    stack.start("gateway")
    tg.run(tg.fake.wait_for_calls("setWebhook", 1, 60), 70)
    wait_for_port(port)  # setWebhook may come before the server listens
    url = stack.env["TELEGRAM_WEBHOOK_URL"]

    forged = tg.send_text(1020, "hallo")
    assert tg.run(tg.fake.deliver_to_webhook(url, forged, "wrong-secret")) == 403
    assert tg.run(tg.fake.deliver_to_webhook(url, forged, None)) == 403
    assert tg.run(tg.fake.deliver_to_webhook(url, forged, "right-secret")) == 200
    reply, _ask = tg.wait(1020, 2)
    assert reply["text"] == texts.say("intro", "nl")  # processed once, after the real secret
