"""The directory in the chat: what a person and a coordinator see (Rasa scripted, DB real)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from bot import store
from bot.directory import chat, coordinators, importer
from bot.directory.first_day import starter_csv
from bot.directory.search import Query
from bot.models import Listing, ListingChange
from bot.port import Incoming, IncomingFile
from tests.test_directory import GOOD, HEADER, csv_file
from tests.test_gateway import consented, press, text

PERSON = 4242
COORDINATOR = 7001
PEER = 7002


@pytest.fixture
def starter(db):
    with db() as session:
        assert importer.import_listings(session, starter_csv(), by="test").ok
    return db


async def search(gateway, rasa, message: str) -> None:
    """The person asks; Rasa understands it as find_group and the action sends the signal."""
    rasa.replies[message] = [{"custom": {"signal": "directory_search", "text": message}}]
    await gateway.handle(text(PERSON, message))


def document(user: int, name: str, content: bytes) -> Incoming:
    async def fetch() -> bytes:
        return content

    return Incoming(
        user_id=user,
        chat_id=user,
        media="document",
        document=IncomingFile(name=name, size=len(content), fetch=fetch),
    )


def register(db, user: int, role: str) -> None:
    with db() as session:
        store.add_peer(session, telegram_user_id=user, display_name="Anna", role=role)


async def test_results_show_name_kind_place_when_contact_and_last_checked(
    gateway, transport, rasa, starter, texts
):
    await consented(gateway)
    transport.clear()
    await search(gateway, rasa, "is er een herstelgroep in de buurt van Zwole?")
    [reply] = transport.to(PERSON)
    assert reply.text.startswith(texts.say("dir_found_place", "nl", place="Zwolle"))
    assert "Voorbeeld: Herstelgroep Zwolle" in reply.text and "Herstelgroep · Zwolle" in reply.text
    assert "dinsdag 19:30-21:00" in reply.text and "https://example.org/" in reply.text
    assert "Laatst gecontroleerd: nog niet" in reply.text
    assert reply.buttons[0].data == "dir:d:vb-zwolle-herstelgroep"
    assert reply.buttons[-1].data == "b:menu"
    assert all(len(b.data.encode()) <= 64 for b in reply.buttons)


async def test_province_fallback_is_said_honestly_in_english(
    gateway, transport, rasa, starter, texts
):
    await consented(gateway, first="hello, is there a recovery group?")
    transport.clear()
    await search(gateway, rasa, "a recovery group in Kampen please")
    [reply] = transport.to(PERSON)
    expected = texts.say("dir_found_province", "en", place="Kampen", province="Overijssel")
    assert reply.text.startswith(expected) and "Herstelgroep Zwolle" in reply.text


async def test_online_fallback_is_said_honestly(gateway, transport, rasa, starter, texts):
    await consented(gateway)
    transport.clear()
    await search(gateway, rasa, "wrap in Apeldoorn")
    [reply] = transport.to(PERSON)
    assert reply.text.startswith(
        texts.say("dir_found_online_fallback", "nl", place="Apeldoorn", province="Gelderland")
    )
    assert "Online WRAP-groep" in reply.text


async def test_missing_place_is_asked_and_the_answer_completes_the_search(
    gateway, transport, rasa, starter, texts
):
    await consented(gateway)
    transport.clear()
    await search(gateway, rasa, "ik zoek een WRAP-groep")
    [ask] = transport.to(PERSON)
    assert ask.text == texts.say("dir_ask_place", "nl")
    assert ask.buttons[0].data == chat.more_data(Query(kind="wrap", online=True), 0)
    turns = len(rasa.turns)
    await gateway.handle(text(PERSON, "Gendt"))
    assert len(rasa.turns) == turns  # the place answered the question; Rasa was not asked
    assert "WRAP Gent" in transport.texts_to(PERSON)[-1]


async def test_online_button_answers_the_place_question(gateway, transport, rasa, starter):
    await consented(gateway)
    await search(gateway, rasa, "ik zoek een WRAP-groep")
    online = transport.to(PERSON)[-1].buttons[0]
    await gateway.handle(press(PERSON, online.data))
    assert "Online WRAP-groep" in transport.texts_to(PERSON)[-1]


async def test_something_else_after_the_place_question_goes_to_rasa(
    gateway, transport, rasa, starter
):
    await consented(gateway)
    await search(gateway, rasa, "ik zoek een groep")
    await gateway.handle(text(PERSON, "laat maar, hoe werkt dit eigenlijk"))
    assert rasa.turns[-1][1] == "laat maar, hoe werkt dit eigenlijk"


async def test_more_button_pages_and_detail_view(gateway, transport, rasa, starter, texts):
    await consented(gateway)
    await search(gateway, rasa, "iets online")
    first = transport.to(PERSON)[-1]
    more = next(b for b in first.buttons if b.data.startswith("dir:m:"))
    assert more.label == texts.button("dir_more", "nl").label
    await gateway.handle(press(PERSON, more.data))
    second = transport.to(PERSON)[-1]
    assert second.text.startswith(texts.say("dir_more_heading", "nl")) and "4. " in second.text
    detail = second.buttons[0]
    await gateway.handle(press(PERSON, detail.data))
    shown = transport.to(PERSON)[-1].text
    listing_id = detail.data.removeprefix("dir:d:")
    with starter() as session:
        listing = session.get(Listing, listing_id)
        assert listing.name in shown and listing.description_nl in shown


async def test_made_up_callback_data_is_refused_quietly(gateway, transport, starter):
    await consented(gateway)
    transport.clear()
    for data in [
        "dir:d:../../etc",
        "dir:m:99:-:-:0:0",
        "dir:m:-:-:atlantis:0:0",
        "dir:d:" + "a" * 80,
        "dir:x",
        "dir:m:1:2:zwolle:0:1;DROP",
    ]:
        await gateway.handle(press(PERSON, data))
    assert transport.to(PERSON) == []
    await gateway.handle(press(PERSON, "dir:d:does-not-exist"))
    assert "niet meer in de lijst" in transport.texts_to(PERSON)[-1]


def test_callback_data_round_trips_and_fits():
    from bot.directory.places import gazetteer

    longest = max(gazetteer().places, key=lambda p: len(p.key))
    query = Query(kind="zelfregiecentrum", topic="persoonlijkheid", place=longest, online=True)
    data = chat.more_data(query, 999)
    assert len(data.encode()) <= 64 and chat.parse_more(data) == (query, 999)


async def test_coordinator_imports_a_csv_file_with_a_report(gateway, transport, db, texts):
    register(db, COORDINATOR, "coordinator")
    await gateway.handle(document(COORDINATOR, "lijst.csv", csv_file(*GOOD)))
    [reply] = transport.texts_to(COORDINATOR)
    assert reply.startswith(
        texts.say("dir_import_done", "nl", created=3, updated=0, unchanged=0, notes="").strip()
    )
    with db() as session:
        assert session.query(Listing).count() == 3
        assert session.query(ListingChange).first().changed_by == "telegram:Anna"


async def test_coordinator_bad_file_changes_nothing_and_names_the_lines(gateway, transport, db):
    register(db, COORDINATOR, "coordinator")
    content = csv_file(GOOD[0], "x-bad,,Org,wrapp")
    await gateway.handle(document(COORDINATOR, "lijst.csv", content))
    [reply] = transport.texts_to(COORDINATOR)
    assert "niets veranderd" in reply and "line 3: name is missing" in reply
    with db() as session:
        assert session.query(Listing).count() == 0
    await gateway.handle(document(COORDINATOR, "foto.jpg", b"\xff\xd8"))
    assert "CSV" in transport.texts_to(COORDINATOR)[-1]


async def test_non_coordinator_file_is_refused_kindly_and_logged(
    gateway, transport, db, texts, caplog
):
    register(db, PEER, "peer")
    await consented(gateway)
    transport.clear()
    with caplog.at_level(logging.INFO, logger="bot.directory.coordinators"):
        await gateway.handle(document(PERSON, "lijst.csv", csv_file(*GOOD)))
        await gateway.handle(document(PEER, "lijst.csv", csv_file(*GOOD)))
    assert transport.texts_to(PERSON) == [texts.say("dir_file_refused", "nl")]
    assert transport.texts_to(PEER) == [texts.say("dir_file_refused", "nl")]
    with db() as session:
        assert session.query(Listing).count() == 0
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 2 and all(str(PERSON) not in r.getMessage() for r in refusals)


async def test_aanbod_commands_for_coordinators_only(gateway, transport, db, starter, texts):
    register(db, COORDINATOR, "coordinator")
    await gateway.handle(text(COORDINATOR, "/aanbod zoek wrap gent"))
    assert "vb-gent-wrap" in transport.texts_to(COORDINATOR)[-1]
    await gateway.handle(text(COORDINATOR, "/aanbod archiveer vb-gent-wrap"))
    assert "gearchiveerd" in transport.texts_to(COORDINATOR)[-1]
    with db() as session:
        assert session.get(Listing, "vb-gent-wrap").active is False
    await gateway.handle(text(COORDINATOR, "/aanbod archiveer bestaat-niet"))
    assert "bestaat-niet" in transport.texts_to(COORDINATOR)[-1]
    await gateway.handle(text(COORDINATOR, "/aanbod"))  # first day: how to start, and a template
    assert transport.texts_to(COORDINATOR)[-2] == texts.say("dir_coord_first_day", "nl")
    assert transport.texts_to(COORDINATOR)[-1] == texts.say("dir_coord_template_caption", "nl")
    _, name, template = transport.files[-1]
    assert name.endswith(".csv") and template.decode().splitlines()[0] == HEADER
    await gateway.handle(document(COORDINATOR, "lijst.csv", csv_file(*GOOD)))
    await gateway.handle(text(COORDINATOR, "/aanbod"))  # real listings now: the usage
    assert transport.texts_to(COORDINATOR)[-1] == texts.say("dir_coord_usage", "nl")
    await consented(gateway)
    await gateway.handle(text(PERSON, "/aanbod archiveer vb-gent-wrap"))
    assert transport.texts_to(PERSON)[-1] == texts.say("dir_coordinators_only", "nl")
    await gateway.handle(press(PERSON, "dir:d:vb-gent-wrap"))  # archived while on screen
    assert transport.texts_to(PERSON)[-1] == texts.say("dir_gone", "nl")


async def test_stale_report_goes_to_coordinators(gateway, transport, db, starter):
    register(db, COORDINATOR, "coordinator")
    register(db, PEER, "peer")
    count = await coordinators.send_stale(gateway)
    assert count >= 30
    [report] = transport.texts_to(COORDINATOR)
    assert f"{count} vermelding" in report and "en nog" in report
    assert transport.texts_to(PEER) == []


async def test_the_weekly_report_goes_out_once_across_replicas_and_restarts(
    gateway, transport, db, starter, monkeypatch
):
    register(db, COORDINATOR, "coordinator")
    monday = dt.datetime(2026, 11, 30, 9, 5, tzinfo=ZoneInfo("Europe/Amsterdam"))
    hour = dt.timedelta(hours=1)

    async def unreachable(gateway):
        raise RuntimeError("the database went away mid-report")

    with monkeypatch.context() as patch:
        patch.setattr(coordinators, "send_stale", unreachable)
        with pytest.raises(RuntimeError):
            await coordinators.send_weekly_report(gateway, "gateway-1", monday)
    assert await coordinators.send_weekly_report(gateway, "gateway-1", monday + hour)  # tried again
    assert not await coordinators.send_weekly_report(
        gateway, "gateway-1", monday + 2 * hour
    )  # restarted
    assert not await coordinators.send_weekly_report(
        gateway, "gateway-2", monday + 3 * hour
    )  # jobs moved
    assert len(transport.texts_to(COORDINATOR)) == 1
    assert await coordinators.send_weekly_report(
        gateway, "gateway-2", monday + dt.timedelta(days=7)
    )
    assert len(transport.texts_to(COORDINATOR)) == 2


def test_seed_starter_only_into_an_untouched_directory(settings, db):
    assert coordinators.seed_starter(settings.database_url, examples=True) >= 30
    with db() as session:
        importer.archive(session, "vb-gent-wrap", by="test")
    assert coordinators.seed_starter(settings.database_url, examples=True) == 0


def test_production_starts_with_the_national_options_only(settings, db):
    """Issue 16: no example listing in production, ever; numbers from helplines.yml."""
    from bot.services import prepare_database
    from bot.texts import catalogue

    prepare_database(replace(settings, mode="production"))
    with db() as session:
        listings = {item.id: item for item in session.query(Listing)}
    assert listings and not [i for i in listings if i.startswith("vb-")]
    assert all(item.last_verified is None for item in listings.values())
    helplines = catalogue().helplines
    assert listings["nl-de-luisterlijn"].phone == helplines["listening_lines"]["phone_luisterlijn"]
    assert listings["be-tele-onthaal"].phone == helplines["placeholders"]["phone_106"]


async def test_no_example_listing_in_any_answer_once_a_real_listing_is_imported(
    gateway, transport, rasa, db, texts, settings
):
    """Issue 16, end to end through the gateway: a local install with examples, then an import."""
    coordinators.seed_starter(settings.database_url, examples=True)
    await consented(gateway)
    await search(gateway, rasa, "online lotgenotengroep psychose")
    before = transport.texts_to(PERSON)[-1]
    assert "Voorbeeld:" in before and texts.say("dir_example_mark", "nl") in before
    register(db, COORDINATOR, "coordinator")
    real = (
        "nl-online-psychose,Online groep psychose,Stichting X,lotgenotengroep,,,,,ja,nl,"
        "psychose,donderdag 20:00,,groep@example.net,,Een echte groep.,A real group.,,ja"
    )
    await gateway.handle(document(COORDINATOR, "lijst.csv", csv_file(real)))
    assert "1 nieuw" in transport.texts_to(COORDINATOR)[-1]
    for question in (
        "online lotgenotengroep psychose",
        "online peer support group for psychosis",
        "weet je een herstelgroep in de buurt van Deventer?",
        "wrap in gent",
    ):
        await search(gateway, rasa, question)
        answer = transport.texts_to(PERSON)[-1]
        assert "Voorbeeld" not in answer and "Example" not in answer, (question, answer)
        for button in transport.to(PERSON)[-1].buttons:
            assert not button.data.startswith("dir:d:vb-"), question
        if "psycho" in question:
            assert "Online groep psychose" in answer
    await press_detail_of_an_archived_example(gateway, transport, texts)


async def press_detail_of_an_archived_example(gateway, transport, texts) -> None:
    """An old button to an example, pressed after the import, says it is gone."""
    await gateway.handle(press(PERSON, "dir:d:vb-online-psychose"))
    assert transport.texts_to(PERSON)[-1] == texts.say("dir_gone", "nl")


def test_header_constant_matches_the_issue():
    assert HEADER == (
        "id,name,organisation,kind,municipality,province,address,postcode,online,"
        "languages,topics,schedule,phone,email,website,description_nl,"
        "description_en,last_verified,active"
    )


async def test_find_group_action_sends_the_latest_text_as_a_signal():
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.directory import ActionFindGroup

    latest = {"text": "WRAP in Gent?", "intent": {"name": "find_group"}}
    tracker = Tracker("p1", {}, latest, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    assert await ActionFindGroup().run(dispatcher, tracker, {}) == []
    [message] = dispatcher.messages
    assert message["custom"] == {"signal": "directory_search", "text": "WRAP in Gent?"}
