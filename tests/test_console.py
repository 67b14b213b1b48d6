"""Team console: login by link, sessions, roles, CSRF, audit, queue, claim, tickets,
listings, upload and overview, through Starlette's test client (no browser, no network)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import io
import logging
import re
import statistics

import pytest
from sqlalchemy import func, inspect, select
from starlette.testclient import TestClient

from bot import privacy, store
from bot.console import auth, overview
from bot.console.app import COOKIE, build_app
from bot.console.claims import Claimer
from bot.db import get_engine, session_scope
from bot.directory.search import find, parse
from bot.gateway import Gateway
from bot.models import (
    Base,
    ConsoleAudit,
    ConsoleSession,
    DirectoryMiss,
    DutySample,
    Listing,
    Person,
    RelayMessage,
    Ticket,
    utcnow,
)
from bot.port import Incoming
from tests.console_helpers import (
    add_peer,
    add_person,
    add_ticket,
    link_for,
    sign_in,
    ticket_state,
)

ANNA, BOB, SAM, CLIENT = 111, 222, 333, 900


@pytest.fixture
def team(settings):
    return {
        "anna": add_peer(settings, ANNA, "Anna"),
        "bob": add_peer(settings, BOB, "Bob"),
        "sam": add_peer(settings, SAM, "Sam", role="coordinator"),
    }


@pytest.fixture
def console_gateway(settings, rasa, transport):
    return Gateway(settings, rasa, transport)  # the crisis model loads lazily: not needed here


@pytest.fixture
def app(settings, console_gateway):
    return build_app(settings, Claimer(settings, console_gateway))


@pytest.fixture
def client(app):
    with TestClient(app, base_url="http://127.0.0.1:8090") as client:
        yield client


def refusals(settings, detail: str | None = None) -> list[ConsoleAudit]:
    with session_scope(settings.database_url) as session:
        query = select(ConsoleAudit).where(ConsoleAudit.outcome == "refused")
        if detail:
            query = query.where(ConsoleAudit.detail == detail)
        return list(session.scalars(query))


# Login --------------------------------------------------------------------------------------------


async def test_console_command_sends_a_link_to_peers_only_and_is_rate_limited(
    settings, team, console_gateway, transport, texts
):
    for _ in range(3):
        await console_gateway.handle(Incoming(user_id=ANNA, chat_id=ANNA, text="/console"))
    links = transport.texts_to(ANNA)
    assert len(links) == 3 and all("http://127.0.0.1:8090/login/" in t for t in links)
    await console_gateway.handle(Incoming(user_id=ANNA, chat_id=ANNA, text="/console"))
    assert transport.texts_to(ANNA)[-1] == texts.say("console_link_rate_limited", "nl")
    assert len(refusals(settings, "rate_limited")) == 1
    add_person(settings, CLIENT)
    await console_gateway.handle(Incoming(user_id=CLIENT, chat_id=CLIENT, text="/console"))
    assert not any("/login/" in t for t in transport.texts_to(CLIENT))


def test_a_link_opens_one_session_once_and_the_cookie_is_strict(settings, team, client):
    token = link_for(settings, ANNA)
    assert client.get(f"/login/{token}").status_code == 200  # a preview does not use it up
    first = client.post("/login", data={"token": token}, follow_redirects=False)
    assert first.status_code == 303
    cookie = first.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=28800" in cookie
    assert "secure" not in cookie  # local mode over http; production below
    assert client.get("/queue").status_code == 200
    again = TestClient(client.app).post("/login", data={"token": token})
    assert again.status_code == 403
    assert refusals(settings, "link_used")
    with session_scope(settings.database_url) as session:
        logins = session.scalars(select(ConsoleAudit).where(ConsoleAudit.action == "login"))
        assert [(a.actor, a.role, a.outcome) for a in logins] == [
            ("Anna", "peer", "ok"),
            ("", "", "refused"),
        ]


def test_production_cookie_is_secure(settings, team):
    production = dataclasses.replace(settings, mode="production")
    with TestClient(build_app(production, None)) as client:
        response = client.post(
            "/login", data={"token": link_for(settings, ANNA)}, follow_redirects=False
        )
        assert "secure" in response.headers["set-cookie"].lower()


def test_expired_and_unknown_links_are_refused_and_recorded(settings, team, client):
    token = link_for(settings, ANNA)
    with session_scope(settings.database_url) as session:
        result = auth.use_link(session, token=token, now=utcnow() + dt.timedelta(minutes=11))
    assert result == "link_expired"
    assert client.post("/login", data={"token": "made-up"}).status_code == 403
    assert refusals(settings, "link_unknown")


def test_peer_cannot_open_coordinator_pages(settings, team, client):
    sign_in(client, settings, ANNA)
    for path in ("/listings", "/overview", "/audit", "/listings/upload", "/listings/export"):
        assert client.get(path).status_code == 403, path
    assert len(refusals(settings, "coordinators_only")) == 5


def test_forms_without_the_csrf_token_are_refused(settings, team, client):
    sign_in(client, settings, SAM)
    ticket = add_ticket(settings, add_person(settings, CLIENT))
    assert client.post(f"/tickets/{ticket}/claim", data={}).status_code == 403
    assert client.post(f"/tickets/{ticket}/claim", data={"csrf": "wrong"}).status_code == 403
    assert client.post("/listings/vb-x/archive", data={}).status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    assert ticket_state(settings, ticket) == ("open", None)
    assert len(refusals(settings, "csrf_missing_or_wrong")) == 4


def test_session_ends_after_vergeetmij_peer_removal_expiry_and_logout(settings, team, client):
    sign_in(client, settings, ANNA)
    anna = client.cookies.get(COOKIE)
    pseudonym_anna = add_person(settings, ANNA)
    with session_scope(settings.database_url) as session:
        privacy.erase(session, person=session.get(Person, pseudonym_anna))
    assert client.get("/queue").status_code == 401
    assert refusals(settings, "session_unknown")

    bob = TestClient(client.app)
    sign_in(bob, settings, BOB)
    with session_scope(settings.database_url) as session:
        store.remove_peer(session, telegram_user_id=BOB)
    assert bob.get("/queue").status_code == 401
    assert refusals(settings, "peer_removed")

    sam = TestClient(client.app)
    csrf = sign_in(sam, settings, SAM)
    with session_scope(settings.database_url) as session:
        stored = session.scalars(select(ConsoleSession).where(ConsoleSession.ended_at.is_(None)))
        for row in stored:
            row.expires_at = utcnow() - dt.timedelta(seconds=1)
    assert sam.get("/queue").status_code == 401
    assert refusals(settings, "session_expired")
    csrf = sign_in(sam, settings, SAM)
    assert sam.post("/logout", data={"csrf": csrf}).status_code == 200
    assert sam.get("/queue").status_code == 401
    assert anna  # the cookie existed before the erasure


def test_every_table_with_a_pseudonym_is_erased_by_vergeetmij(settings, team, client):
    """Every column named pseudonym is cleared for the person (console sessions and links too)."""
    sign_in(client, settings, ANNA)
    person = add_person(settings, ANNA)
    with session_scope(settings.database_url) as session:
        stored = session.get(Person, person)
        pseudonym = stored.pseudonym
        privacy.erase(session, person=stored)
    engine = get_engine(settings.database_url)
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if "pseudonym" in {c["name"] for c in inspect(connection).get_columns(table.name)}:
                left = connection.execute(
                    select(func.count()).select_from(table).where(table.c.pseudonym == pseudonym)
                ).scalar()
                assert left == 0, table.name


# Queue, claim, ticket -----------------------------------------------------------------------------


def test_queue_shows_waiting_tickets_urgent_first_without_text(settings, team, client):
    normal = add_ticket(settings, add_person(settings, CLIENT), transcript="Jij: geheim1")
    urgent = add_ticket(
        settings,
        add_person(settings, CLIENT + 1),
        reason="crisis",
        urgent=True,
        transcript="Jij: geheim2",
    )
    sign_in(client, settings, ANNA)
    rows = client.get("/queue/rows").text
    assert rows.index(f'id="ticket-{urgent}"') < rows.index(f'id="ticket-{normal}"')
    assert "DRINGEND" in rows and "mogelijk crisis" in rows
    assert "geheim" not in rows  # the queue shows no conversation text
    assert 'hx-trigger="every 5s"' in client.get("/queue").text


async def test_console_claim_races_a_telegram_claim_and_exactly_one_wins(
    settings, team, console_gateway, transport, texts
):
    person = add_person(settings, CLIENT)
    ticket = add_ticket(settings, person)
    claimer = Claimer(settings, console_gateway)
    console = claimer.claim(
        peer_id=team["anna"], telegram_user_id=ANNA, display_name="Anna", ticket_id=ticket
    )
    button = console_gateway.handle(
        Incoming(user_id=BOB, chat_id=-100, callback=f"claim:{ticket}", private=False)
    )
    outcome, _ = await asyncio.gather(console, button)
    state, holder = ticket_state(settings, ticket)
    assert state == "claimed" and holder in {team["anna"], team["bob"]}
    told = [
        t
        for t in transport.texts_to(CLIENT)
        if t.startswith(texts.say("handoff_claimed", "nl", peer_name="X").split("X")[0])
    ]
    assert len(told) == 1  # the person is told once, as with the button
    assert (outcome == "won") == (holder == team["anna"])
    if outcome == "won":
        assert any("teamconsole" in t for t in transport.texts_to(-100))


def test_claim_in_the_browser_then_only_the_holder_and_coordinators_see_the_ticket(
    settings, team, client, transport, caplog
):
    person = add_person(settings, CLIENT)
    earlier = add_ticket(settings, person, transcript="Jij: vorige keer")
    with session_scope(settings.database_url) as session:
        store.end_ticket(
            session, ticket=session.get(Ticket, earlier), state="closed", note="rustig afgesloten"
        )
    ticket = add_ticket(settings, person, transcript="Jij: ik voel me alleen vandaag")
    csrf = sign_in(client, settings, ANNA)
    caplog.set_level(logging.INFO)
    response = client.post(f"/tickets/{ticket}/claim", data={"csrf": csrf})
    assert response.status_code == 200 and f"Ticket #{ticket}" in response.text
    assert "ik voel me alleen vandaag" in response.text and "rustig afgesloten" in response.text
    assert ticket_state(settings, ticket) == ("claimed", team["anna"])
    assert any(m.chat_id == ANNA for m in transport.sent)  # told in Telegram as with the button
    with session_scope(settings.database_url) as session:
        session.add(RelayMessage(ticket_id=ticket, direction="to_peer", text="dank je"))
    assert "dank je" in client.get(f"/tickets/{ticket}").text

    bob = TestClient(client.app)
    bob_csrf = sign_in(bob, settings, BOB)
    assert bob.get(f"/tickets/{ticket}").status_code == 403
    assert refusals(settings, "ticket_of_another_peer")
    lost = bob.post(f"/tickets/{ticket}/claim", data={"csrf": bob_csrf})
    assert lost.status_code == 409 and "al door iemand anders" in lost.text
    sam = TestClient(client.app)
    sign_in(sam, settings, SAM)
    assert "ik voel me alleen vandaag" in sam.get(f"/tickets/{ticket}").text
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "alleen vandaag" not in logged and "dank je" not in logged


# Listings -----------------------------------------------------------------------------------------

LISTING = {
    "id": "zw-herstel",
    "name": "Herstelgroep Zwolle",
    "organisation": "Test",
    "kind": "herstelgroep",
    "municipality": "Zwolle",
    "province": "Overijssel",
    "online": "nee",
    "languages": "nl",
    "topics": "algemeen",
    "phone": "",
    "email": "",
    "website": "",
    "last_verified": "2026-11-01",
    "active": "ja",
}


def test_edit_a_listing_with_the_imports_validation_then_find_it(settings, team, client):
    csrf = sign_in(client, settings, SAM)
    bad = client.post("/listings/save", data={**LISTING, "new": "1", "csrf": csrf})
    assert bad.status_code == 422
    assert "no way to reach them: give a phone, email or website" in bad.text
    with session_scope(settings.database_url) as session:
        assert session.get(Listing, "zw-herstel") is None
    good = client.post(
        "/listings/save",
        data={**LISTING, "new": "1", "csrf": csrf, "website": "https://herstel.example"},
    )
    assert good.status_code == 200 and "Opgeslagen" in good.text
    with session_scope(settings.database_url) as session:
        results = find(session, parse("herstelgroep in Zwolle"))
        assert "zw-herstel" in [item.id for item in results.listings]
    history = client.get("/listings/zw-herstel/history").text
    assert "Sam (console)" in history and "created" in history
    assert "zw-herstel" in client.get("/listings?q=zwolle").text
    archived = client.post("/listings/zw-herstel/archive", data={"csrf": csrf})
    assert archived.status_code == 200
    assert "zw-herstel" not in client.get("/listings?q=zwolle").text
    assert "zw-herstel" in client.get("/listings/export").text


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(bad_email: str) -> bytes:
    header = list(LISTING)
    good = [*LISTING.values()]
    good[header.index("website")] = "https://herstel.example"
    other = dict(
        LISTING,
        id="gent-wrap",
        name="WRAP Gent",
        kind="wrap",
        municipality="Gent",
        province="Oost-Vlaanderen",
        email=bad_email,
    )
    return _xlsx([header, good, list(other.values())])


def test_xlsx_upload_with_one_bad_row_previews_per_row_and_changes_nothing(settings, team, client):
    csrf = sign_in(client, settings, SAM)
    files = {"file": ("lijst.xlsx", _sheet("niet-een-adres"), "application/octet-stream")}
    preview = client.post("/listings/upload/preview", data={"csrf": csrf}, files=files)
    assert preview.status_code == 200
    assert "1 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 geweigerd" in preview.text
    assert "email &#39;niet-een-adres&#39; is not an e-mail address" in preview.text
    assert 'id="apply"' not in preview.text
    content = re.search(r'name="content" value="([^"]*)"', preview.text)
    assert content is None
    with session_scope(settings.database_url) as session:
        assert session.scalar(select(func.count()).select_from(Listing)) == 0
    fixed = {"file": ("lijst.xlsx", _sheet("wrap@gent.example"), "application/octet-stream")}
    preview = client.post("/listings/upload/preview", data={"csrf": csrf}, files=fixed)
    assert "2 nieuw" in preview.text
    content = re.search(r'name="content" value="([^"]*)"', preview.text).group(1)
    applied = client.post(
        "/listings/upload/apply", data={"csrf": csrf, "content": content, "filename": "upload.csv"}
    )
    assert "2 nieuw" in applied.text
    with session_scope(settings.database_url) as session:
        assert session.scalar(select(func.count()).select_from(Listing)) == 2


# Overview -----------------------------------------------------------------------------------------


MESSAGES = 900


def _seed_month(settings) -> None:
    """November 2026: tickets of every reason, claims at known delays, misses and duty samples."""
    start = dt.datetime(2026, 11, 2, 9, 0)
    people = [add_person(settings, 5000 + n) for n in range(40)]
    reasons = ["request"] * 17 + ["crisis"] * 9 + ["not_understood"] * 3 + ["harm_others"] * 2
    with session_scope(settings.database_url) as session:
        for n, reason in enumerate(reasons):
            created = start + dt.timedelta(days=n % 27, hours=n % 7)
            urgent = reason in {"crisis", "harm_others"}
            claimed = created + dt.timedelta(minutes=3 * n) if n % 4 else None
            session.add(
                Ticket(
                    person_id=people[n],
                    reason=reason,
                    language="nl",
                    urgency="urgent" if urgent else "normal",
                    state="claimed" if claimed else "open",
                    created_at=created,
                    announced_at=created,
                    claimed_at=claimed,
                )
            )
        session.add(
            Ticket(
                person_id=people[0],
                reason="request",
                urgency="normal",
                language="nl",
                created_at=dt.datetime(2026, 10, 30),
                announced_at=utcnow(),
            )
        )
        for n in range(7):
            session.add(
                DirectoryMiss(day=dt.date(2026, 11, 3 + n), place="Emmen", province="Drenthe")
            )
        session.add(
            DirectoryMiss(day=dt.date(2026, 11, 5), place="Hoorn", province="Noord-Holland")
        )
        for hour in range(24 * 28):  # hourly: two peers from 09 to 17 h UTC, else none
            at = dt.datetime(2026, 11, 1) + dt.timedelta(hours=hour)
            session.add(DutySample(at=at, on_duty=2 if 9 <= at.hour < 17 else 0))
    tracker = get_engine(settings.tracker_database_url)
    with tracker.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
            "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
        for n in range(MESSAGES):
            moment = dt.datetime(2026, 11, 1 + n % 30, 7 + (n * 7) % 15, tzinfo=dt.timezone.utc)
            sender = f"{n % 37:032x}"  # 37 and 30 share no factor: many people a day
            connection.exec_driver_sql(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                (sender, "user", moment.timestamp(), '{"text": "geheim"}'),
            )
        connection.exec_driver_sql(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
            ("tracker-probe-abc", "user", dt.datetime(2026, 11, 3).timestamp(), "{}"),
        )


def test_overview_figures_match_direct_database_counts_for_a_seeded_month(settings, team, client):
    _seed_month(settings)
    first, after = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
    with session_scope(settings.database_url) as session:
        data = overview.figures(
            session,
            settings.tracker_database_url,
            first=first,
            after=after,
            now=dt.datetime(2026, 12, 2),
        )
        start, end = overview.utc_naive(first), overview.utc_naive(after)
        in_month = (Ticket.created_at >= start, Ticket.created_at < end)
        by_reason = dict(
            session.execute(
                select(Ticket.reason, func.count()).where(*in_month).group_by(Ticket.reason)
            ).all()
        )
        urgent_late = session.scalar(
            select(func.count()).select_from(Ticket).where(*in_month, Ticket.urgency == "urgent")
        )
        claims = [
            (t.claimed_at - t.created_at).total_seconds() / 60
            for t in session.scalars(
                select(Ticket).where(*in_month, Ticket.claimed_at.is_not(None))
            )
        ]
        misses = dict(
            session.execute(
                select(DirectoryMiss.place, func.count()).group_by(DirectoryMiss.place)
            ).all()
        )
    assert (
        data.handoffs_by_reason
        == by_reason
        == {"request": 17, "crisis": 9, "not_understood": 3, "harm_others": 2}
    )
    assert data.crisis_by_reason == {"crisis": 9, "harm_others": 2, "danger_from_others": 0}
    # urgent tickets: claimed after 3n minutes (n >= 5 for every urgent one: > 15 min) or never
    assert data.urgent_total == urgent_late == 11 and data.urgent_unclaimed_15 == 11
    assert sorted(m for week in data.claim_minutes_by_week.values() for m in week) == sorted(claims)
    assert data.misses_by_place == misses == {"Emmen": 7, "Hoorn": 1}
    with get_engine(settings.tracker_database_url).connect() as connection:
        person_days = connection.exec_driver_sql(
            "SELECT COUNT(DISTINCT sender_id || '|' || date(timestamp, 'unixepoch', '+1 hour')) "
            "FROM events WHERE type_name = 'user' AND sender_id NOT LIKE 'tracker%'"
        ).scalar()  # Amsterdam is UTC+1 all of November
    assert sum(data.conversations_per_day.values()) == person_days
    assert sum(data.messages_by_hour.values()) == MESSAGES
    assert set(data.duty_by_hour.values()) == {0.0, 2.0}
    assert data.duty_by_hour[(0, 10)] == 2.0 and data.duty_by_hour[(0, 20)] == 0.0  # UTC+1
    summary = data.claim_summary()
    for row in summary:
        minutes = data.claim_minutes_by_week[row["week"]]
        if len(minutes) >= 5:
            assert row["median"] == round(statistics.median(minutes), 1)
        else:
            assert row["claims"] == "< 5" and row["median"] is None

    sign_in(client, settings, SAM)
    page = client.get("/overview?month=2026-11").text
    assert "geheim" not in page
    assert '<span class="big" id="fig-handoffs">31</span>' in page
    assert "<td>bot begrijpt de persoon niet</td><td>&lt; 5</td>" in page  # 3 → "< 5"
    assert "<td>Hoorn</td><td>&lt; 5</td>" in page and "<td>Emmen</td><td>7</td>" in page
    for name in overview.CHARTS:
        chart = client.get(f"/overview/chart/{name}.svg?month=2026-11")
        assert chart.status_code == 200 and chart.text.lstrip().startswith("<?xml")


def test_small_counts_are_hidden():
    assert [overview.shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]


def test_holder_closes_with_a_note_and_switches_duty(settings, team, client, transport, texts):
    person = add_person(settings, CLIENT)
    ticket = add_ticket(settings, person)
    csrf = sign_in(client, settings, ANNA)
    client.post(f"/tickets/{ticket}/claim", data={"csrf": csrf})
    bob = TestClient(client.app)
    bob_csrf = sign_in(bob, settings, BOB)
    refused = bob.post(f"/tickets/{ticket}/end", data={"csrf": bob_csrf, "action": "close"})
    assert refused.status_code == 403 and refusals(settings, "ticket_not_held")
    done = client.post(
        f"/tickets/{ticket}/end", data={"csrf": csrf, "action": "close", "note": "goed gesprek"}
    )
    assert done.status_code == 200
    with session_scope(settings.database_url) as session:
        stored = session.get(Ticket, ticket)
        assert (stored.state, stored.note) == ("closed", "goed gesprek")
    assert texts.say("handoff_closed", "nl", peer_name="Anna") in transport.texts_to(CLIENT)
    assert "Je bent niet in dienst." in client.get("/queue").text
    client.post("/duty", data={"csrf": csrf, "on": "1"})
    assert "Je bent in dienst." in client.get("/queue").text
    with session_scope(settings.database_url) as session:
        assert overview.sample_duty(session) == 1


async def test_a_search_that_finds_nothing_in_the_place_is_counted_without_the_person(
    settings, console_gateway
):
    from bot.directory import chat as directory_chat
    from bot.port import PersonView

    person = PersonView(1, "p" * 32, CLIENT, "nl", True, "NL")
    await directory_chat.search(console_gateway, person, "is er een herstelgroep in Emmen?")
    with session_scope(settings.database_url) as session:
        misses = list(session.scalars(select(DirectoryMiss)))
    assert [(m.place, m.province) for m in misses] == [("Emmen", "Drenthe")]
    assert {c.name for c in DirectoryMiss.__table__.columns} == {
        "id",
        "day",
        "place",
        "province",
        "kind",
        "topic",
    }


async def test_console_command_from_a_coordinator_or_a_peer_in_a_conversation_is_not_relayed(
    settings, team, console_gateway, transport
):
    await console_gateway.handle(Incoming(user_id=SAM, chat_id=SAM, text="/console"))
    assert "/login/" in transport.texts_to(SAM)[-1]
    ticket = add_ticket(settings, add_person(settings, CLIENT))
    await console_gateway.handle(
        Incoming(user_id=ANNA, chat_id=-100, callback=f"claim:{ticket}", private=False)
    )
    transport.clear()
    await console_gateway.handle(Incoming(user_id=ANNA, chat_id=ANNA, text="/console"))
    assert transport.texts_to(CLIENT) == []  # not relayed to the person Anna talks with
    assert "/login/" in transport.texts_to(ANNA)[-1]


def test_own_sessions_are_in_mijngegevens_and_old_ones_are_forgotten(settings, team, client):
    sign_in(client, settings, ANNA)
    person = add_person(settings, ANNA)
    with session_scope(settings.database_url) as session:
        data = privacy.collect(session, person=session.get(Person, person), settings=settings)
    [own] = data["console_sessions"]
    assert own["role"] == "peer" and own["ended"] is None and "token" not in str(own)
    with session_scope(settings.database_url) as session:
        auth.purge(session, now=utcnow() + dt.timedelta(days=2))
        assert session.scalar(select(func.count()).select_from(ConsoleSession)) == 0
