"""The gateway's routing, as a person and a peer would notice it (Rasa scripted, DB real)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re

import pytest

from bot import store
from bot.crisis.assess import Assessment
from bot.gateway import CONSENT_VERSION, Gateway
from bot.models import Person, RelayMessage, Ticket
from bot.port import Incoming
from bot.pseudonym import pseudonymise

PERSON = 4242
PEER_A, PEER_B = 9001, 9002
GROUP = -100


def text(user: int, message: str) -> Incoming:
    return Incoming(user_id=user, chat_id=user, text=message)


def press(user: int, data: str, chat: int | None = None) -> Incoming:
    chat = user if chat is None else chat
    return Incoming(user_id=user, chat_id=chat, callback=data, private=chat > 0)


async def consented(gateway: Gateway, user: int = PERSON, first: str = "hallo") -> None:
    await gateway.handle(text(user, first))
    await gateway.handle(press(user, "b:consent_yes"))


def register(db, user: int, name: str, on_duty: bool = False) -> None:
    with db() as session:
        peer = store.add_peer(session, telegram_user_id=user, display_name=name)
        peer.on_duty = on_duty


# First contact, consent, language ------------------------------------------------------------


async def test_first_hallo_gets_the_dutch_intro_then_the_consent_question(
    gateway, transport, rasa, texts
):
    await gateway.handle(text(PERSON, "hallo"))
    [intro, ask] = transport.to(PERSON)
    assert intro.text == texts.say("intro", "nl")
    assert "113" in intro.text and "1813" in intro.text and "112" in intro.text
    assert ask.text == texts.say("consent_ask", "nl")
    assert [b.data for b in ask.buttons] == ["b:consent_yes", "b:consent_no", "b:privacy"]
    assert rasa.turns == []  # nothing reaches Rasa before the person has chosen


async def test_english_question_first_gets_english_and_is_answered_after_consent(
    gateway, transport, rasa, texts, db
):
    await gateway.handle(text(PERSON, "hello, how does this work?"))
    assert transport.texts_to(PERSON) == [texts.say("intro", "en"), texts.say("consent_ask", "en")]
    await gateway.handle(press(PERSON, "b:consent_yes"))
    assert texts.say("consent_yes", "en") in transport.texts_to(PERSON)
    assert [m for _, m in rasa.turns] == ["hello, how does this work?"]  # kept, not lost
    with db() as session:
        person = session.query(Person).one()
        assert person.consent is True and person.consent_version == CONSENT_VERSION
        assert person.consent_at is not None and person.pending_text is None


async def test_declining_consent_is_recorded_and_the_chat_goes_on(
    gateway, transport, rasa, db, texts
):
    await gateway.handle(text(PERSON, "hoi"))
    await gateway.handle(press(PERSON, "b:consent_no"))
    assert texts.say("consent_no", "nl") in transport.texts_to(PERSON)
    assert [m for _, m in rasa.turns] == ["/menu"]
    with db() as session:
        assert session.query(Person).one().consent is False


async def test_language_is_sticky_for_short_messages(gateway, transport, rasa, texts):
    await consented(gateway, first="hello there, what is this?")
    await gateway.handle(text(PERSON, "ok"))
    transport.clear()
    await gateway.handle(press(PERSON, "b:peer_now"))
    assert transport.texts_to(PERSON)[-1] == texts.say(
        "handoff_waiting_offline", "en", next_shift=texts.say("peer_hours", "en")
    )


async def test_taal_switches_language_by_button(gateway, transport, texts):
    await consented(gateway)
    await gateway.handle(text(PERSON, "/taal"))
    assert [b.data for b in transport.to(PERSON)[-1].buttons] == ["b:lang_nl", "b:lang_en"]
    await gateway.handle(press(PERSON, "b:lang_en"))
    assert transport.to(PERSON)[-1].text == texts.say("language_set", "en")


async def test_media_gets_a_kind_text_only_reply(gateway, transport, texts):
    await gateway.handle(Incoming(PERSON, PERSON, media="sticker"))
    assert transport.texts_to(PERSON) == [texts.say("media_text_only", "nl")]


async def test_unknown_command_is_explained(gateway, transport, texts):
    await consented(gateway)
    await gateway.handle(text(PERSON, "/doeiets"))
    assert transport.texts_to(PERSON)[-1] == texts.say("unknown_command", "nl")


async def test_forged_callback_data_does_nothing_but_a_kind_way_back(
    gateway, transport, rasa, texts
):
    await consented(gateway)
    turns = len(rasa.turns)
    transport.clear()
    await gateway.handle(press(PERSON, "/restart"))
    await gateway.handle(press(PERSON, "b:not_a_button"))
    assert len(rasa.turns) == turns  # nothing reached Rasa
    assert transport.texts_to(PERSON) == [texts.say("button_unknown", "nl")] * 2
    assert transport.to(PERSON)[0].buttons[0].data == "b:menu"


async def test_rasa_never_sees_the_telegram_id(gateway, rasa):
    await consented(gateway)
    await gateway.handle(text(PERSON, "wat kan ik hier allemaal doen?"))
    senders = {sender for sender, _ in rasa.turns}
    assert len(senders) == 1
    [sender] = senders
    assert str(PERSON) not in sender and len(sender) == 32


async def test_another_language_gets_a_polite_note_in_both_languages(gateway, transport, rasa):
    await consented(gateway)
    transport.clear()
    turns = len(rasa.turns)
    await gateway.handle(text(PERSON, "Bonjour, je cherche un groupe de soutien près de Liège"))
    [note] = transport.texts_to(PERSON)
    assert "Nederlands" in note and "English" in note and "112" in note
    assert len(rasa.turns) == turns  # not sent to Rasa, which would misunderstand it
    transport.clear()
    await gateway.handle(text(PERSON, "ik voel me vandaag eigenlijk best wel rustig"))
    assert transport.texts_to(PERSON) and "English" not in transport.texts_to(PERSON)[0]


async def test_a_crisis_in_another_language_still_gets_the_crisis_lines(gateway, transport, texts):
    await consented(gateway)
    transport.clear()
    await gateway.handle(text(PERSON, "I want to kill myself, je ne veux plus vivre du tout"))
    first = transport.texts_to(PERSON)[0]
    assert any(texts.say("crisis_ack", lang) in first for lang in ("nl", "en"))


async def test_rasa_down_gets_a_calm_reply_with_a_way_to_a_person(gateway, transport, rasa, texts):
    await consented(gateway)
    rasa.down = True
    await gateway.handle(text(PERSON, "ik wil iets vragen over groepen"))
    last = transport.to(PERSON)[-1]
    assert last.text == texts.say("engine_down_kept", "nl")
    assert [b.data for b in last.buttons] == ["b:peer_now"]
    await gateway.handle(press(PERSON, "b:how_it_works"))  # a button press is not kept
    assert transport.texts_to(PERSON)[-1] == texts.say("engine_down", "nl")


async def test_message_kept_while_rasa_was_down_is_answered_when_it_is_back(
    gateway, transport, rasa, texts, db
):
    await consented(gateway)
    rasa.down = True
    await gateway.handle(text(PERSON, "ik wil iets vragen over groepen"))
    await gateway.handle(text(PERSON, "in de buurt van Zwolle"))
    assert await gateway.answer_kept() == 0  # still down: nothing lost, nothing sent
    rasa.down = False
    assert await gateway.answer_kept() == 1
    assert rasa.turns[-1][1] == "ik wil iets vragen over groepen\nin de buurt van Zwolle"
    assert transport.texts_to(PERSON)[-2:] == [
        texts.say("kept_answer", "nl"),
        texts.say("menu", "nl"),
    ]
    assert await gateway.answer_kept() == 0  # answered once
    with db() as session:
        assert session.query(Person).one().pending_text is None


async def test_a_replica_whose_tracker_fails_holds_back_only_its_own_conversations(
    gateway, transport, rasa, texts
):
    """Two Rasa replicas: the tracker probe failed through one; the other's people go on."""
    other = PERSON + 1
    on_a = pseudonymise(PERSON, gateway.settings.pseudonym_secret)
    rasa.replicas = ("a", "b")
    rasa.url_for = lambda sender: "a" if sender == on_a else "b"
    gateway.tracker_failing = frozenset({"a"})
    for user in (PERSON, other):
        await consented(gateway, user)
        await gateway.handle(text(user, "ik wil iets vragen over groepen"))
    assert transport.texts_to(PERSON)[-1] == texts.say("engine_down_kept", "nl")
    assert transport.texts_to(other)[-1] == texts.say("menu", "nl")  # Rasa answered
    assert await gateway.answer_kept() == 0  # its replica still fails
    gateway.tracker_failing = frozenset()
    assert await gateway.answer_kept() == 1


# Crisis ---------------------------------------------------------------------------------------


async def test_crisis_reply_in_the_same_turn_even_when_rasa_is_down(gateway, transport, rasa):
    rasa.down = True
    await gateway.handle(text(PERSON, "ik wil niet meer leven"))  # first message ever
    bubbles = transport.texts_to(PERSON)
    assert "113" in bubbles[0] and "0800-0113" in bubbles[0] and "112" in bubbles[0]
    assert "1813" in bubbles[0]  # country unknown: Flanders' line too
    # nobody on duty: no button for a person, and who can be reached now (test_crisis_tiers)
    assert [b.data for b in transport.to(PERSON)[1].buttons] == ["b:crisis_continue"]
    [alert] = transport.to(GROUP)
    assert alert.buttons[0].data.startswith("claim:")
    assert "ik wil niet meer leven" in alert.text


async def test_crisis_lines_ahead_use_the_persons_country_and_skip_peers(
    gateway, transport, db, texts
):
    await gateway.handle(text(PERSON, "hallo, ik woon in Gent"))  # known: Flanders, Dutch
    transport.clear()
    await gateway.crisis_first(text(PERSON, "I really want to end my life"), 41)
    [lines] = transport.texts_to(PERSON)
    assert "1813" in lines and "0800-0113" not in lines  # their country, the message's language
    assert lines.startswith(texts.say("crisis_ack", "en"))
    assert gateway.announced(41) is not None
    register(db, PEER_A, "Anna")
    await gateway.crisis_first(text(PEER_A, "cliënt schreef: ik wil niet meer leven"), 42)
    assert transport.texts_to(PEER_A) == [] and gateway.announced(42) is None


async def test_crisis_ticket_is_urgent(gateway, db):
    await gateway.handle(text(PERSON, "I took all my pills an hour ago"))
    with db() as session:
        ticket = session.query(Ticket).one()
        assert (ticket.urgency, ticket.reason, ticket.state) == ("urgent", "crisis", "open")


async def test_idiom_is_not_a_crisis(gateway, transport, db):
    await consented(gateway)
    await gateway.handle(text(PERSON, "ik ben echt doodmoe vandaag"))
    assert transport.to(GROUP) == []
    with db() as session:
        assert session.query(Ticket).count() == 0


def test_1813_chat_is_said_to_be_closed_in_the_morning(gateway, texts):
    morning = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)  # 10:00 in Brussels
    evening = dt.datetime(2026, 11, 23, 19, 0, tzinfo=dt.timezone.utc)
    closed = texts.say("chat_1813_closed", "nl", opens="17:00")
    assert closed in gateway.crisis_lines("nl", "BE", morning)
    assert texts.say("chat_1813_open", "nl") in gateway.crisis_lines("nl", "BE", evening)
    assert "1813" not in gateway.crisis_lines("nl", "NL", morning)


# Handoff --------------------------------------------------------------------------------------


async def test_signal_from_rasa_opens_a_ticket_and_alerts_peers(
    gateway, transport, rasa, db, texts
):
    register(db, PEER_A, "Anna", on_duty=True)
    await consented(gateway)
    rasa.replies["ik wil met iemand praten"] = [
        {"custom": {"signal": "handoff", "reason": "request"}}
    ]
    await gateway.handle(text(PERSON, "ik wil met iemand praten"))
    assert transport.texts_to(PERSON)[-1] == texts.say("handoff_waiting_available", "nl")
    [alert] = transport.to(GROUP)
    assert "ik wil met iemand praten" in alert.text


async def test_two_peers_race_and_exactly_one_wins(gateway, transport, db, texts):
    register(db, PEER_A, "Anna")
    register(db, PEER_B, "Bram")
    await gateway.handle(text(PERSON, "ik heb een afscheidsbrief geschreven"))
    with db() as session:
        ticket_id = session.query(Ticket).one().id
    await asyncio.gather(
        gateway.handle(press(PEER_A, f"claim:{ticket_id}", chat=GROUP)),
        gateway.handle(press(PEER_B, f"claim:{ticket_id}", chat=GROUP)),
    )
    won = [p for p in (PEER_A, PEER_B) if any("#" in t for t in transport.texts_to(p))]
    assert len(won) == 1
    winner = "Anna" if won == [PEER_A] else "Bram"
    lost_text = texts.say("peer_claim_lost", "nl", ticket=ticket_id, peer_name=winner)
    assert lost_text in transport.texts_to(GROUP)
    assert texts.say("handoff_claimed", "nl", peer_name=winner) in transport.texts_to(PERSON)


async def test_unregistered_user_cannot_claim_and_the_refusal_is_recorded(
    gateway, transport, db, texts, caplog
):
    await gateway.handle(text(PERSON, "kms"))
    with db() as session:
        ticket_id = session.query(Ticket).one().id
    caplog.set_level("INFO", logger="bot.gateway")
    await gateway.handle(press(5555, f"claim:{ticket_id}", chat=GROUP))
    assert transport.texts_to(GROUP)[-1] == texts.say("peer_not_registered", "nl")
    assert any("refused a claim" in r.getMessage() for r in caplog.records)
    assert not any("5555" in r.getMessage() for r in caplog.records)  # pseudonymised
    with db() as session:
        assert session.query(Ticket).one().state == "open"


async def claimed_conversation(gateway, db, *, said: str = "", while_waiting: str = "") -> int:
    """Anna takes over PERSON's request; what the person said before and while waiting is sent."""
    register(db, PEER_A, "Anna", on_duty=True)
    await consented(gateway)
    if said:
        await gateway.handle(text(PERSON, said))
    await gateway.handle(press(PERSON, "b:peer_now"))
    if while_waiting:
        await gateway.handle(text(PERSON, while_waiting))
    with db() as session:
        ticket_id = session.query(Ticket).one().id
    await gateway.handle(text(PEER_A, f"/overnemen {ticket_id}"))
    return ticket_id


async def test_relay_both_ways_while_rasa_stays_silent(gateway, transport, rasa, db, texts):
    ticket_id = await claimed_conversation(gateway, db)
    turns = len(rasa.turns)
    await gateway.handle(text(PERSON, "fijn dat je er bent"))
    assert transport.texts_to(PEER_A)[-1] == texts.say(
        "peer_from_client", "nl", ticket=ticket_id, text="fijn dat je er bent"
    )
    await gateway.handle(text(PEER_A, "Hoi, ik ben Anna. Hoe gaat het?"))
    assert transport.texts_to(PERSON)[-1] == texts.say(
        "relay_from_peer", "nl", peer_name="Anna", text="Hoi, ik ben Anna. Hoe gaat het?"
    )
    assert len(rasa.turns) == turns


async def test_terug_gives_the_conversation_back_to_the_bot(gateway, transport, rasa, db, texts):
    ticket_id = await claimed_conversation(gateway, db)
    await gateway.handle(text(PEER_A, "/terug"))
    assert texts.say("handoff_returned", "nl", peer_name="Anna") in transport.texts_to(PERSON)
    assert rasa.turns[-1][1] == "/menu"  # the bot resumes with the options
    assert ("handoff", None) in [(e["name"], e.get("value")) for _, ev in rasa.events for e in ev]
    await gateway.handle(text(PERSON, "wat kan ik nu doen?"))
    assert rasa.turns[-1][1] == "wat kan ik nu doen?"
    with db() as session:
        assert session.get(Ticket, ticket_id).state == "returned"


async def test_sluiten_closes_with_a_note(gateway, db):
    ticket_id = await claimed_conversation(gateway, db)
    await gateway.handle(text(PEER_A, "/sluiten rustig gesprek gehad"))
    with db() as session:
        ticket = session.get(Ticket, ticket_id)
        assert (ticket.state, ticket.note) == ("closed", "rustig gesprek gehad")


async def test_restarted_gateway_keeps_relaying(settings, rasa, transport, db, texts):
    first = Gateway(settings, rasa, transport)
    await claimed_conversation(first, db)
    restarted = Gateway(settings, rasa, transport)  # a new process: only the DB is shared
    await restarted.handle(text(PEER_A, "ben je er nog?"))
    assert transport.texts_to(PERSON)[-1] == texts.say(
        "relay_from_peer", "nl", peer_name="Anna", text="ben je er nog?"
    )


async def test_peer_duty_changes_what_the_person_is_told(gateway, transport, db, texts):
    register(db, PEER_A, "Anna")
    await gateway.handle(text(PEER_A, "/dienst aan"))
    assert transport.texts_to(PEER_A)[-1] == texts.say("peer_duty_on", "nl")
    await consented(gateway)
    await gateway.handle(press(PERSON, "b:peer_now"))
    assert transport.texts_to(PERSON)[-1] == texts.say("handoff_waiting_available", "nl")


@pytest.mark.parametrize("minutes_ago, expected", [(10, 1), (1, 0)])
async def test_unclaimed_urgent_ticket_is_announced_again(
    gateway, transport, db, minutes_ago, expected
):
    await gateway.handle(text(PERSON, "ik wil dood"))
    with db() as session:
        ticket = session.query(Ticket).one()
        ticket.announced_at = ticket.announced_at - dt.timedelta(minutes=minutes_ago)
    transport.clear()
    assert await gateway.reannounce_waiting() == expected
    assert len(transport.to(GROUP)) == expected


async def test_country_named_in_passing_routes_crisis_lines_to_flanders(gateway, transport):
    await consented(gateway, first="hallo, ik woon in Gent")
    transport.clear()
    await gateway.handle(text(PERSON, "ik wil er niet meer zijn"))
    lines = transport.texts_to(PERSON)[0]
    assert "1813" in lines and "0800-0113" not in lines


async def test_land_command_sets_the_country(gateway, transport, texts):
    await consented(gateway)
    await gateway.handle(text(PERSON, "/land"))
    assert [b.data for b in transport.to(PERSON)[-1].buttons] == ["b:country_nl", "b:country_be"]
    await gateway.handle(press(PERSON, "b:country_nl"))
    assert transport.texts_to(PERSON)[-1] == texts.say("country_nl_set", "nl")
    transport.clear()
    await gateway.handle(text(PERSON, "I want to kill myself"))
    assert "0800-0113" in transport.texts_to(PERSON)[0]
    assert "1813" not in transport.texts_to(PERSON)[0]


async def test_claim_by_a_peer_the_bot_cannot_reach_is_released(gateway, transport, db, texts):
    register(db, PEER_A, "Anna")
    transport.unreachable.add(PEER_A)  # Anna never opened a private chat with the bot
    await gateway.handle(text(PERSON, "ik heb net al mijn pillen ingenomen"))
    with db() as session:
        ticket_id = session.query(Ticket).one().id
    await gateway.handle(press(PEER_A, f"claim:{ticket_id}", chat=GROUP))
    assert transport.texts_to(GROUP)[-1] == texts.say(
        "peer_start_private_first", "nl", peer_name="Anna"
    )
    with db() as session:
        assert session.query(Ticket).one().state == "open"


async def test_peer_sees_what_the_person_wrote_between_alert_and_claim(gateway, transport, db):
    await claimed_conversation(
        gateway, db, while_waiting="ik wacht wel even, het gaat over mijn werk"
    )
    assert any("het gaat over mijn werk" in t for t in transport.texts_to(PEER_A))


async def test_yes_to_the_safety_question_takes_the_full_crisis_path(gateway, transport, db):
    await consented(gateway)
    await gateway.handle(press(PERSON, "b:safety_yes"))
    assert "0800-0113" in transport.texts_to(PERSON)[-2]
    with db() as session:
        assert session.query(Ticket).one().urgency == "urgent"
    assert transport.to(GROUP)


# Privacy --------------------------------------------------------------------------------------


async def test_mijngegevens_sends_everything_stored(gateway, transport, db, texts):
    await consented(
        gateway, first="hello there, I am living in Gent these days and would love to chat"
    )
    await gateway.handle(press(PERSON, "b:peer_now"))
    await gateway.handle(text(PERSON, "/mijngegevens"))
    [(chat, filename, content)] = transport.files
    data = json.loads(content)["herstelgids"]
    assert chat == PERSON and filename.endswith(".json")
    assert data["consent"]["given"] is True and data["consent"]["notice_version"] == CONSENT_VERSION
    assert data["country"] == "BE" and data["language"] == "en"
    assert [t["reason"] for t in data["tickets"]] == ["request"]
    assert transport.texts_to(PERSON)[-1] == texts.say("export_caption", "en")


async def test_vergeetmij_asks_first_then_erases_everything(
    gateway, transport, db, settings, texts
):
    ticket_id = await claimed_conversation(gateway, db)
    await gateway.handle(text(PERSON, "dit mag straks weg"))
    await gateway.handle(text(PERSON, "/vergeetmij"))
    assert [b.data for b in transport.to(PERSON)[-1].buttons] == ["b:erase_yes", "b:erase_no"]
    with db() as session:
        assert session.query(Person).count() == 1  # nothing happens before the yes
    await gateway.handle(press(PERSON, "b:erase_yes"))
    assert transport.texts_to(PERSON)[-1] == texts.say("erase_done", "nl")
    assert texts.say("peer_closed", "nl", ticket=ticket_id) in transport.texts_to(PEER_A)
    with db() as session:
        assert session.query(Person).count() == 0
        assert session.query(RelayMessage).count() == 0
        ticket = session.query(Ticket).one()  # kept as an anonymous count
        assert (ticket.person_id, ticket.transcript, ticket.state) == (None, "", "closed")
    await gateway.handle(text(PERSON, "hallo"))
    assert transport.texts_to(PERSON)[-2] == texts.say("intro", "nl")  # a fresh start


async def test_retention_purge_removes_old_conversation_data(gateway, db, settings):
    await claimed_conversation(gateway, db, said="ik wil graag even praten over vroeger")
    with db() as session:
        assert "over vroeger" in session.query(Ticket).one().transcript
    await gateway.handle(text(PERSON, "oud bericht"))
    await gateway.handle(text(PEER_A, "/sluiten"))
    old = dt.timedelta(days=settings.retention_days + 1)
    with db() as session:
        for relay in session.query(RelayMessage):
            relay.created_at -= old
        session.query(Ticket).one().ended_at -= old
    counts = gateway.purge_expired()
    assert counts["relay_messages"] == 1 and counts["transcripts"] == 1
    with db() as session:
        assert session.query(RelayMessage).count() == 0
        ticket = session.query(Ticket).one()
        assert ticket.transcript == "" and ticket.state == "closed"
        assert session.query(Person).one().consent is True  # the consent record stays


async def test_declined_consent_conversation_goes_after_the_session(gateway, db, settings):
    from sqlalchemy import text as sql

    from bot.db import get_engine

    await gateway.handle(text(PERSON, "hoi"))
    await gateway.handle(press(PERSON, "b:consent_no"))
    with db() as session:
        pseudonym = session.query(Person).one().pseudonym
    with get_engine(settings.tracker_database_url).begin() as tracker:  # as Rasa stores it
        tracker.execute(
            sql("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL)")
        )
        tracker.execute(
            sql("INSERT INTO events (sender_id, timestamp) VALUES (:s, :t)"),
            {"s": pseudonym, "t": dt.datetime.now().timestamp()},
        )
    assert gateway.purge_expired()["events"] == 0  # still within the session
    with db() as session:
        session.query(Person).one().last_seen_at -= dt.timedelta(minutes=61)
    assert gateway.purge_expired()["events"] == 1


async def test_a_flood_gets_one_calm_reply_and_nothing_is_lost(gateway, transport, rasa, texts):
    await consented(gateway)
    transport.clear()
    # about flooding, not the crisis layers (whose model may read "bericht nummer 2" as leaning)
    gateway.assessor.assess = lambda person, message, now=None, answering=False: Assessment()
    for n in range(9):
        await gateway.handle(text(PERSON, f"bericht nummer {n}"))
    replies = transport.texts_to(PERSON)
    assert replies.count(texts.say("too_fast", "nl")) == 1
    assert len(replies) == 6  # five answered turns and one calm reply for the burst
    assert await gateway.answer_kept() == 1
    assert (
        rasa.turns[-1][1]
        == "bericht nummer 5\nbericht nummer 6\nbericht nummer 7\nbericht nummer 8"
    )


async def test_a_crisis_message_inside_a_flood_still_gets_crisis_lines(gateway, transport):
    await consented(gateway)
    for n in range(8):
        await gateway.handle(text(PERSON, f"bericht {n}"))
    transport.clear()
    await gateway.handle(text(PERSON, "ik wil dood"))
    assert "0800-0113" in transport.texts_to(PERSON)[0]


async def test_typing_is_shown_only_when_rasa_takes_a_while(gateway, transport, rasa):
    await consented(gateway)
    transport.typing_in.clear()
    await gateway.handle(text(PERSON, "wat kan ik hier allemaal doen?"))
    assert transport.typing_in == []  # a quick turn: no extra request to Telegram
    rasa.delay = 0.5
    await gateway.handle(text(PERSON, "en wat nog meer?"))
    assert transport.typing_in == [PERSON]


async def test_english_help_names_the_english_commands_and_they_work(gateway, transport, texts):
    """Issue 16: an English speaker reads /mydata, not /mijngegevens."""
    await consented(gateway, first="hello, how does this work?")
    await gateway.handle(text(PERSON, "/help"))
    help_text = transport.texts_to(PERSON)[-1]
    assert help_text == texts.say("help", "en")
    for english in ("/myplan", "/mystrengths", "/language", "/mydata", "/forgetme", "/country"):
        assert english in help_text
    for dutch in ("/mijnplan", "/mijnkrachten", "/taal", "/mijngegevens", "/vergeetmij", "/land"):
        assert dutch not in help_text
    for key, value in texts.texts["en"].items():  # no English text names a Dutch command
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                assert not re.search(r"/(mijn|vergeetmij|taal\b|land\b)", item), key
    await gateway.handle(text(PERSON, "/language"))
    assert [b.data for b in transport.to(PERSON)[-1].buttons] == ["b:lang_nl", "b:lang_en"]
