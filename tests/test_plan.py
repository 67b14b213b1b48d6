"""The signaleringsplan as a person (and a peer) would notice it: Rasa scripted, database real."""

from __future__ import annotations

import io
import json
import time

import pypdf
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text as sql

from bot import store
from bot.gateway import Gateway
from bot.models import Plan
from bot.plan import STEPS, pdf, signs, vault
from bot.port import Incoming
from bot.settings import SettingsError, _plan_key
from tests.conftest import with_settings

PERSON = 4242
PEER = 9001
# The crisis reply's offer when no peer is on duty starts like this (bot/texts/nl/crisis.yml).
NOBODY_ON_DUTY = "Eerlijk is eerlijk: van ons team is nu niemand online."

ANSWERS = {
    "well": "Wandelen met Zoë en op tijd naar bed",
    "triggers": "Drukte op het werk",
    "signs": "slecht slapen\nprikkelbaar\nniet meer koken",
    "actions": "Ik bel Anouk en ga een eind fietsen",
    "serious": "Ik kom mijn bed niet meer uit",
    "others": "Kom langs, zonder veel te vragen",
    "people": "Anouk 06-11112222\nHuisarts 030-1234567",
    "never": "Geen discussie over mijn medicijnen",
}


@pytest.fixture
def key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def gateway(settings, rasa, transport, key) -> Gateway:
    gateway = Gateway(with_settings(settings, plan_encryption_key=key), rasa, transport)
    # A plan's answers describe warning signs in the person's own words, and the semantic layer
    # may ask about them (then "nee" keeps the answer: tests/test_crisis_tiers.py). Here the
    # rules alone judge, so what is under test is the plan.
    gateway.assessor.model = lambda: None
    return gateway


def say(user: int, message: str) -> Incoming:
    return Incoming(user_id=user, chat_id=user, text=message)


def press(user: int, key: str) -> Incoming:
    return Incoming(user_id=user, chat_id=user, callback=f"b:{key}")


async def consented(gateway: Gateway) -> None:
    await gateway.handle(say(PERSON, "hallo"))
    await gateway.handle(press(PERSON, "consent_yes"))


async def build(gateway: Gateway, answers: dict[str, str], start: str = "/mijnplan") -> None:
    """Answer every step in order; a missing answer is skipped with the button."""
    await gateway.handle(say(PERSON, start))
    await gateway.handle(press(PERSON, "plan_consent_yes"))
    for step in STEPS:
        if step in answers:
            await gateway.handle(say(PERSON, answers[step]))
        else:
            await gateway.handle(press(PERSON, "plan_skip"))


def stored_answers(db, key: str) -> dict[str, str]:
    with db() as session:
        plan = session.query(Plan).one()
        return vault.Cipher(key).open(plan.blob)


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


# Building, skipping, editing -----------------------------------------------------------------


async def test_plan_is_built_one_step_at_a_time_and_answers_never_reach_rasa(
    gateway, transport, rasa, texts, db, key
):
    await consented(gateway)
    transport.clear()
    await gateway.handle(say(PERSON, "/mijnplan"))
    [intro] = transport.to(PERSON)
    assert intro.text == texts.say("plan_intro", "nl")
    assert [b.data for b in intro.buttons] == ["b:plan_consent_yes", "b:plan_consent_no"]
    await gateway.handle(press(PERSON, "plan_consent_yes"))
    first = transport.to(PERSON)[-1]
    assert texts.say("plan_step_well", "nl", number=1, total=8) in first.text
    assert [b.data for b in first.buttons] == ["b:plan_skip", "b:plan_stop"]
    for step in STEPS:
        await gateway.handle(say(PERSON, ANSWERS[step]))
        if step != STEPS[-1]:
            nxt = STEPS[STEPS.index(step) + 1]
            question = texts.say(f"plan_step_{nxt}", "nl", number=STEPS.index(nxt) + 1, total=8)
            assert transport.to(PERSON)[-1].text == question
    done = transport.to(PERSON)[-1]
    assert done.text == texts.say("plan_done", "nl")
    assert stored_answers(db, key) == ANSWERS
    sent_to_rasa = " ".join(message for _, message in rasa.turns)
    assert all(answer not in sent_to_rasa for answer in ANSWERS.values())
    await gateway.handle(press(PERSON, "plan_share_yes"))
    with db() as session:
        assert session.query(Plan).one().share_with_peer is True


async def test_a_skipped_step_stays_empty_and_the_next_one_is_asked(gateway, transport, db, key):
    answers = {k: v for k, v in ANSWERS.items() if k != "triggers"}
    await build(gateway, answers)
    assert "triggers" not in stored_answers(db, key)
    assert stored_answers(db, key)["signs"] == ANSWERS["signs"]


async def test_one_step_is_edited_later_from_mijnplan(gateway, transport, texts, db, key):
    await build(gateway, ANSWERS)
    transport.clear()
    await gateway.handle(say(PERSON, "/myplan"))
    [overview] = transport.to(PERSON)
    assert ANSWERS["actions"] in overview.text
    datas = [b.data for b in overview.buttons]
    assert [f"b:plan_edit_{s}" for s in STEPS] == datas[:8]
    assert {"b:plan_pdf", "b:plan_delete", "b:plan_keep"} <= set(datas)
    await gateway.handle(press(PERSON, "plan_edit_actions"))
    question = transport.to(PERSON)[-1].text
    assert ANSWERS["actions"] in question  # shown what is there now
    await gateway.handle(say(PERSON, "Ik zet muziek op en app mijn zus"))
    answers = stored_answers(db, key)
    assert answers["actions"] == "Ik zet muziek op en app mijn zus"
    assert {k: v for k, v in answers.items() if k != "actions"} == {
        k: v for k, v in ANSWERS.items() if k != "actions"
    }
    assert texts.say("plan_step_saved", "nl") in transport.to(PERSON)[-1].text
    # After the edit, messages are conversation again, not plan answers
    await gateway.handle(say(PERSON, "dank je wel"))
    assert stored_answers(db, key)["actions"] == "Ik zet muziek op en app mijn zus"


async def test_a_step_can_be_emptied_and_the_plan_deleted(gateway, transport, db, key):
    await build(gateway, ANSWERS)
    await gateway.handle(press(PERSON, "plan_edit_never"))
    await gateway.handle(press(PERSON, "plan_clear_step"))
    assert "never" not in stored_answers(db, key)
    await gateway.handle(press(PERSON, "plan_delete"))
    with db() as session:
        assert session.query(Plan).count() == 1  # asked first
    await gateway.handle(press(PERSON, "plan_delete_yes"))
    with db() as session:
        assert session.query(Plan).count() == 0


async def test_stopping_halfway_keeps_what_was_written(gateway, transport, texts, db, key, rasa):
    await consented(gateway)
    await gateway.handle(say(PERSON, "/mijnplan"))
    await gateway.handle(press(PERSON, "plan_consent_yes"))
    await gateway.handle(say(PERSON, ANSWERS["well"]))
    await gateway.handle(press(PERSON, "plan_stop"))
    assert transport.texts_to(PERSON)[-1] == texts.say("plan_paused", "nl")
    assert stored_answers(db, key) == {"well": ANSWERS["well"]}
    await gateway.handle(say(PERSON, "wat kun je nog meer?"))
    assert "wat kun je nog meer?" in [m for _, m in rasa.turns]


async def test_an_answer_too_long_is_not_cut_silently(gateway, transport, texts, db, key):
    await gateway.handle(say(PERSON, "/mijnplan"))
    await gateway.handle(press(PERSON, "plan_consent_yes"))
    await gateway.handle(say(PERSON, "a" * 2000))
    assert transport.texts_to(PERSON)[-1] == texts.say("plan_answer_too_long", "nl", limit=1500)
    assert stored_answers(db, key) == {}


async def test_the_menu_intent_opens_the_plan_through_a_signal(gateway, transport, texts, rasa):
    await consented(gateway)
    rasa.replies["ik wil een signaleringsplan maken"] = [{"custom": {"signal": "plan_open"}}]
    await gateway.handle(say(PERSON, "ik wil een signaleringsplan maken"))
    assert transport.texts_to(PERSON)[-1] == texts.say("plan_intro", "nl")
    await gateway.handle(press(PERSON, "plan_open"))
    assert transport.texts_to(PERSON)[-1] == texts.say("plan_intro", "nl")


# Consent and encryption ----------------------------------------------------------------------


async def test_declining_stores_nothing_and_offers_an_empty_plan_on_paper(
    gateway, transport, texts, db
):
    await gateway.handle(say(PERSON, "/mijnplan"))
    await gateway.handle(press(PERSON, "plan_consent_no"))
    assert transport.texts_to(PERSON)[-1] == texts.say("plan_consent_no", "nl")
    await gateway.handle(say(PERSON, "slecht slapen"))  # not taken as a plan answer
    with db() as session:
        assert session.query(Plan).count() == 0
    await gateway.handle(press(PERSON, "plan_blank_pdf"))
    [(_, name, content)] = transport.files
    pages, body = pdf_text(content)
    assert name.endswith(".pdf") and pages <= 2  # room to write by hand
    assert texts.say("plan_heading_signs", "nl") in body
    with db() as session:
        assert session.query(Plan).count() == 0


async def test_the_plan_is_encrypted_at_rest(gateway, settings, db, key):
    await build(gateway, ANSWERS)
    with db() as session:
        raw = session.execute(sql("SELECT * FROM plans")).one()
    row = " ".join(str(value) for value in raw)
    for answer in ANSWERS.values():
        for word in answer.split():
            if len(word) > 4:
                assert word not in row
    assert "Anouk" not in row and "06-11112222" not in row
    with pytest.raises(vault.PlanLocked):
        vault.Cipher(Fernet.generate_key().decode()).open(raw.blob)


async def test_a_rotated_key_still_opens_the_plan_and_saves_with_the_new_one(
    settings, rasa, transport, db, key
):
    old = Gateway(with_settings(settings, plan_encryption_key=key), rasa, transport)
    await build(old, {"well": ANSWERS["well"]})
    new_key = Fernet.generate_key().decode()
    rotated = Gateway(
        with_settings(settings, plan_encryption_key=f"{new_key},{key}"), rasa, transport
    )
    await rotated.handle(press(PERSON, "plan_edit_triggers"))
    await rotated.handle(say(PERSON, ANSWERS["triggers"]))
    answers = stored_answers(db, new_key)  # the old key alone no longer needed
    assert answers == {"well": ANSWERS["well"], "triggers": ANSWERS["triggers"]}


def test_a_key_that_is_not_a_fernet_key_is_refused():
    with pytest.raises(SettingsError):
        _plan_key("not-a-fernet-key")
    assert _plan_key(Fernet.generate_key().decode())


async def test_without_a_key_the_plan_says_so_and_nothing_breaks(settings, rasa, transport, texts):
    gateway = Gateway(settings, rasa, transport)  # plan_encryption_key empty
    await gateway.handle(say(PERSON, "/mijnplan"))
    assert transport.texts_to(PERSON)[-1] == texts.say("plan_unavailable", "nl")


# PDF -----------------------------------------------------------------------------------------


async def test_pdf_holds_the_headings_and_the_persons_words(gateway, transport, texts):
    await build(gateway, ANSWERS)
    started = time.perf_counter()
    await gateway.handle(press(PERSON, "plan_pdf"))
    elapsed_ms = (time.perf_counter() - started) * 1000
    [(chat, name, content)] = transport.files
    assert chat == PERSON and name == "mijn-signaleringsplan.pdf"
    assert content.startswith(b"%PDF")
    pages, body = pdf_text(content)
    assert pages == 1
    assert texts.say("plan_pdf_title", "nl") in body
    for step in STEPS:
        assert texts.say(f"plan_heading_{step}", "nl") in body
    for answer in ANSWERS.values():
        for line in answer.splitlines():
            assert line in body
    print(f"plan pdf: {pages} page(s), {len(content)} bytes, {elapsed_ms:.0f} ms")


def test_pdf_renders_dutch_letters_and_english_and_long_plans(texts):
    answers = {"well": "Café, ruïne en één keer per week naar zee. Geen ‘stress’ — rust…"}
    for unicode_font in (True, False):
        _, body = pdf_text(pdf.render(answers, "nl", texts, unicode_font=unicode_font))
        assert "Café, ruïne en één keer" in body
    _, body = pdf_text(pdf.render(answers, "en", texts))
    assert texts.say("plan_heading_well", "en") in body
    long = {step: ("Een lange regel met woorden. " * 50).strip() for step in STEPS}
    pages, body = pdf_text(pdf.render(long, "nl", texts))
    assert 2 <= pages <= 4 and texts.say("plan_heading_never", "nl") in body


# When it matters -----------------------------------------------------------------------------


async def test_crisis_with_a_plan_gives_crisis_info_first_then_their_own_steps(
    gateway, transport, texts
):
    await consented(gateway)
    await build(gateway, ANSWERS)
    transport.clear()
    await gateway.handle(say(PERSON, "ik wil niet meer leven"))
    bubbles = transport.to(PERSON)
    assert len(bubbles) == 3
    assert bubbles[0].text.startswith(texts.say("crisis_ack", "nl"))
    assert "113" in bubbles[0].text
    assert bubbles[1].text.startswith(NOBODY_ON_DUTY)  # the honest offer: nobody online now
    last = bubbles[2].text
    assert last.startswith(texts.say("plan_after_crisis", "nl", steps="").strip())
    for step in ("actions", "others"):
        assert ANSWERS[step] in last
    assert "Anouk 06-11112222" in last
    assert ANSWERS["never"] not in last and ANSWERS["well"] not in last


async def test_crisis_without_a_plan_is_unchanged(gateway, transport):
    await consented(gateway)
    transport.clear()
    await gateway.handle(say(PERSON, "ik wil niet meer leven"))
    assert len(transport.to(PERSON)) == 2


async def test_crisis_message_while_building_gets_crisis_info_and_is_not_stored(
    gateway, transport, texts, db, key, rasa
):
    await consented(gateway)
    await gateway.handle(say(PERSON, "/mijnplan"))
    await gateway.handle(press(PERSON, "plan_consent_yes"))
    for step in STEPS[:4]:
        await gateway.handle(say(PERSON, ANSWERS[step]))
    transport.clear()
    await gateway.handle(say(PERSON, "ik denk aan zelfmoord"))  # step 5 is open
    bubbles = transport.to(PERSON)
    assert bubbles[0].text.startswith(texts.say("crisis_ack", "nl"))
    assert bubbles[1].text.startswith(NOBODY_ON_DUTY)  # the honest offer: nobody online now
    assert texts.say("plan_held_for_plan", "nl") in bubbles[2].text
    assert "serious" not in stored_answers(db, key)
    # The step is closed: the next message is conversation, not a plan answer
    await gateway.handle(say(PERSON, "ik weet het even niet"))
    assert "ik weet het even niet" in [m for _, m in rasa.turns]
    assert "serious" not in stored_answers(db, key)
    # ...unless the person says it was meant for the plan
    await gateway.handle(press(PERSON, "plan_keep_held"))
    assert stored_answers(db, key)["serious"] == "ik denk aan zelfmoord"


async def test_an_early_sign_from_their_plan_is_noticed_once(gateway, transport, texts, rasa):
    await consented(gateway)
    await build(gateway, ANSWERS)
    transport.clear()
    await gateway.handle(say(PERSON, "ik ben de laatste tijd zo prikkelbaar"))
    bubbles = transport.to(PERSON)
    assert rasa.turns[-1][1] == "ik ben de laatste tijd zo prikkelbaar"  # the chat goes on
    notice = bubbles[-1]
    assert notice.text == texts.say("plan_sign_noticed", "nl", sign="prikkelbaar")
    assert [b.data for b in notice.buttons] == ["b:plan_look_yes", "b:plan_look_no"]
    await gateway.handle(press(PERSON, "plan_look_yes"))
    assert ANSWERS["actions"] in transport.texts_to(PERSON)[-1]
    transport.clear()
    await gateway.handle(say(PERSON, "en ik kan zo slecht slapen"))
    assert all("plan_look_yes" not in str(m.buttons) for m in transport.to(PERSON))


async def test_other_messages_are_not_taken_for_a_sign(gateway, transport):
    await consented(gateway)
    await build(gateway, ANSWERS)
    transport.clear()
    await gateway.handle(say(PERSON, "mijn moeder belde vandaag, gezellig"))
    assert all("b:plan_look_yes" not in [b.data for b in m.buttons] for m in transport.sent)


def test_sign_matching_is_normalised_and_tolerates_a_typo():
    found = signs.split_signs("Slecht slapen, PRIKKELBAAR; moe\n- mensen ontwijken")
    assert found == ("slecht slapen", "prikkelbaar", "moe", "mensen ontwijken")
    assert signs.find_sign(found, "Ik kan slecht slapn.") == "slecht slapen"
    assert signs.find_sign(found, "ik ben zo moe!") == "moe"
    assert signs.find_sign(found, "mijn moeder") is None
    assert signs.find_sign(found, "Prikkelbáár vandaag") == "prikkelbaar"


def test_sign_check_is_cheap():
    found = signs.split_signs("\n".join(f"signaal nummer {i} met wat woorden" for i in range(20)))
    message = "Een gewoon bericht over mijn dag, niets bijzonders, " * 10
    started = time.perf_counter()
    for _ in range(200):
        signs.find_sign(found, message)
    per_message_ms = (time.perf_counter() - started) * 1000 / 200
    assert per_message_ms < 20  # generous: a guard against something quadratic, not a benchmark


# Peers ---------------------------------------------------------------------------------------


async def claimed(gateway: Gateway, db) -> int:
    with db() as session:
        store.add_peer(session, telegram_user_id=PEER, display_name="Sam").on_duty = True
    await gateway.handle(press(PERSON, "peer_now"))
    with db() as session:
        ticket_id = store.active_ticket_for_person(
            session, person_id=session.query(Plan).one().person_id
        ).id
    await gateway.handle(
        Incoming(user_id=PEER, chat_id=PEER, text=f"/overnemen {ticket_id}", private=True)
    )
    return ticket_id


async def test_peer_sees_a_plan_exists_only_with_consent_and_reads_it_after_a_yes(
    gateway, transport, texts, db
):
    await consented(gateway)
    await build(gateway, ANSWERS)
    await gateway.handle(press(PERSON, "plan_share_yes"))
    await claimed(gateway, db)
    assert texts.say("plan_peer_exists", "nl") in transport.texts_to(PEER)
    assert all(ANSWERS["actions"] not in t for t in transport.texts_to(PEER))
    await gateway.handle(Incoming(user_id=PEER, chat_id=PEER, text="/plan"))
    asked = transport.to(PERSON)[-1]
    assert asked.text == texts.say("plan_person_asked", "nl", peer_name="Sam")
    assert all(ANSWERS["actions"] not in t for t in transport.texts_to(PEER))
    await gateway.handle(press(PERSON, "plan_show_peer_yes"))
    shown = transport.texts_to(PEER)
    assert any(ANSWERS["actions"] in t and ANSWERS["never"] in t for t in shown)
    assert [name for chat, name, _ in transport.files if chat == PEER]


async def test_peer_sees_nothing_without_consent_and_a_no_is_respected(
    gateway, transport, texts, db
):
    await consented(gateway)
    await build(gateway, ANSWERS)
    await gateway.handle(press(PERSON, "plan_share_no"))
    await claimed(gateway, db)
    assert texts.say("plan_peer_exists", "nl") not in transport.texts_to(PEER)
    await gateway.handle(Incoming(user_id=PEER, chat_id=PEER, text="/plan"))
    assert transport.texts_to(PEER)[-1] == texts.say("plan_peer_none", "nl")
    with db() as session:
        session.query(Plan).one().share_with_peer = True
    await gateway.handle(Incoming(user_id=PEER, chat_id=PEER, text="/plan"))
    await gateway.handle(press(PERSON, "plan_show_peer_no"))
    assert transport.texts_to(PEER)[-1] == texts.say("plan_peer_declined", "nl")
    assert all(ANSWERS["actions"] not in t for t in transport.texts_to(PEER))


async def test_a_forged_show_button_shows_nothing_to_anyone(gateway, transport, db):
    await consented(gateway)
    await build(gateway, ANSWERS)
    await gateway.handle(press(PERSON, "plan_share_yes"))
    await claimed(gateway, db)
    await gateway.handle(press(PERSON, "plan_show_peer_yes"))  # no peer asked
    assert all(ANSWERS["actions"] not in t for t in transport.texts_to(PEER))


# Privacy -------------------------------------------------------------------------------------


async def test_export_contains_the_plan_decrypted(gateway, transport):
    await consented(gateway)
    await build(gateway, ANSWERS)
    await gateway.handle(say(PERSON, "/mijngegevens"))
    [(_, name, content)] = [f for f in transport.files if f[1].endswith(".json")]
    document = json.loads(content)
    assert document["herstelgids"]["signaleringsplan"]["answers"] == ANSWERS


async def test_erase_removes_the_plan_from_every_store(gateway, transport, db, rasa):
    await consented(gateway)
    await build(gateway, ANSWERS)
    await gateway.handle(say(PERSON, "hoe gaat het"))
    assert any(snap.signs for _, snap in gateway.plan._cache.values())  # decrypted, cached
    await gateway.handle(say(PERSON, "/vergeetmij"))
    await gateway.handle(press(PERSON, "erase_yes"))
    with db() as session:
        assert session.query(Plan).count() == 0
    assert gateway.plan._cache == {} and gateway.plan._held == {}
    assert all(answer not in m for _, m in rasa.turns for answer in ANSWERS.values())
    transport.clear()
    await gateway.handle(say(PERSON, "ik ben zo prikkelbaar"))  # no trace left to notice
    assert all("b:plan_look_yes" not in [b.data for b in m.buttons] for m in transport.sent)


async def test_the_my_plan_action_only_signals_the_gateway():
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.plan import ActionOpenPlan

    dispatcher = CollectingDispatcher()
    tracker = Tracker("p1", {}, {"intent": {"name": "my_plan"}}, [], False, None, {}, "")
    events = await ActionOpenPlan().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["custom"] == {"signal": "plan_open"} and events == []
