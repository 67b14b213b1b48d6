"""Team console in a real browser: Debian's headless chromium driven by Playwright.

The console runs under uvicorn on 127.0.0.1 in a thread, on the test's own database; claims go
through a Gateway with a recording transport, as in the unit tests. Screenshots are kept under
var/test-artifacts/console/ (the path is printed) and never committed.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time

import pytest
import uvicorn

from bot.console.app import build_app
from bot.console.claims import Claimer
from bot.db import session_scope
from bot.directory.search import find, parse
from bot.gateway import Gateway
from bot.models import Listing
from bot.port import Incoming
from bot.settings import VAR
from tests.conftest import RecordingTransport, ScriptedRasa
from tests.console_helpers import add_peer, add_person, add_ticket, link_for, ticket_state
from tests.test_console import LISTING, _seed_month, _sheet

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = VAR / "test-artifacts" / "console"
# CI installs chromium (scripts/ensure-chromium.sh), so there a missing browser fails the run.
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true", reason="Debian's chromium is missing"
)
ANNA, BOB, SAM, CLIENT = 111, 222, 333, 900


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()
    print(f"\nconsole screenshots: {SHOTS}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def console(settings):
    """The console on a free port of 127.0.0.1; yields (base URL, the gateway's transport)."""
    transport = RecordingTransport()
    claimer = Claimer(settings, Gateway(settings, ScriptedRasa(), transport))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            build_app(settings, claimer),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            ws="none",
            loop="asyncio",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}", transport
    server.should_exit = True
    thread.join(timeout=10)


def _login(browser, base: str, settings, user_id: int):
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    page.goto(f"{base}/login/{link_for(settings, user_id)}")
    page.click("#login")
    page.wait_for_url(f"{base}/queue")
    return page


def test_log_in_by_link_and_claim_while_a_telegram_peer_races(browser, console, settings):
    base, transport = console
    anna = add_peer(settings, ANNA, "Anna")
    bob_id = add_peer(settings, BOB, "Bob")
    person = add_person(settings, CLIENT)
    ticket = add_ticket(
        settings, person, reason="crisis", urgent=True, transcript="Jij: het gaat niet goed"
    )
    page = _login(browser, base, settings, ANNA)
    assert page.locator(f"#ticket-{ticket}").is_visible()
    page.screenshot(path=str(SHOTS / "queue.png"), full_page=True)
    later = add_ticket(settings, add_person(settings, CLIENT + 1))
    page.wait_for_selector(f"#ticket-{later}", timeout=8000)  # htmx refresh, no reload

    telegram = Gateway(settings, ScriptedRasa(), RecordingTransport())
    press = Incoming(user_id=BOB, chat_id=-100, callback=f"claim:{ticket}", private=False)
    bob = threading.Thread(target=lambda: asyncio.run(telegram.handle(press)))
    bob.start()
    page.locator(f"#ticket-{ticket} button.claim").click()
    bob.join(timeout=10)
    page.wait_for_load_state()
    state, holder = ticket_state(settings, ticket)
    assert state == "claimed"
    if page.url.endswith(f"/tickets/{ticket}"):  # Anna won in the browser
        assert holder == anna and "het gaat niet goed" in page.content()
    else:  # Bob's button was first
        assert holder == bob_id and "al door iemand anders" in page.inner_text("#claim-outcome")
    page.screenshot(path=str(SHOTS / "claim.png"), full_page=True)
    page.goto(f"{base}/queue")
    page.locator(f"#ticket-{later} button.claim").click()  # no race: Anna takes it
    page.wait_for_url(f"{base}/tickets/{later}")
    assert ticket_state(settings, later) == ("claimed", anna)
    assert any(m.chat_id == ANNA for m in transport.sent)  # told in Telegram, as the button does
    page.screenshot(path=str(SHOTS / "ticket.png"), full_page=True)
    page.context.close()


def test_edit_a_listing_fix_the_error_and_find_it(browser, console, settings):
    base, _ = console
    add_peer(settings, SAM, "Sam", role="coordinator")
    page = _login(browser, base, settings, SAM)
    page.goto(f"{base}/listings/new")
    for name, value in LISTING.items():
        if name == "kind":
            page.select_option("select[name=kind]", value)
        elif name not in {"active"}:
            page.fill(f"[name={name}]", value)
    page.click("#save")
    assert "no way to reach them" in page.inner_text("#errors")
    page.screenshot(path=str(SHOTS / "listing-error.png"), full_page=True)
    page.fill("[name=website]", "https://herstel.example")
    page.click("#save")
    assert page.locator("#saved").is_visible()
    with session_scope(settings.database_url) as session:
        assert "zw-herstel" in [i.id for i in find(session, parse("herstelgroep Zwolle")).listings]
    page.goto(f"{base}/listings?q=zwolle")
    assert page.locator("#listing-zw-herstel").is_visible()
    page.screenshot(path=str(SHOTS / "listings.png"), full_page=True)
    page.context.close()


def test_xlsx_with_one_bad_row_changes_nothing(browser, console, settings, tmp_path):
    base, _ = console
    add_peer(settings, SAM, "Sam", role="coordinator")
    page = _login(browser, base, settings, SAM)
    page.goto(f"{base}/listings/upload")
    sheet = tmp_path / "lijst.xlsx"
    sheet.write_bytes(_sheet("niet-een-adres"))
    page.set_input_files("#file", str(sheet))
    page.click("#preview")
    assert "1 geweigerd" in page.inner_text("#preview-summary")
    assert page.locator("#nothing-saved").is_visible() and page.locator("#apply").count() == 0
    page.screenshot(path=str(SHOTS / "upload-preview.png"), full_page=True)
    with session_scope(settings.database_url) as session:
        assert session.query(Listing).count() == 0
    page.context.close()


def test_overview_renders_its_charts(browser, console, settings):
    base, _ = console
    add_peer(settings, SAM, "Sam", role="coordinator")
    _seed_month(settings)
    page = _login(browser, base, settings, SAM)
    page.goto(f"{base}/overview?month=2026-11")
    page.wait_for_load_state("networkidle")
    for name in ("conversations", "reasons", "claims", "hours", "misses"):
        width = page.eval_on_selector(f"#chart-{name}", "img => img.naturalWidth")
        assert width > 100, name  # the SVG loaded and drew
    assert page.inner_text("#fig-handoffs") == "31"
    page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)
    page.context.close()


def test_peer_is_refused_coordinator_pages_in_the_browser(browser, console, settings):
    base, _ = console
    add_peer(settings, ANNA, "Anna")
    page = _login(browser, base, settings, ANNA)
    response = page.goto(f"{base}/overview")
    assert response.status == 403 and "Geen toegang" in page.content()
    page.screenshot(path=str(SHOTS / "refused.png"), full_page=True)
    page.context.close()
