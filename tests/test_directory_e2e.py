"""End to end through Telegram: a coordinator sends a listings file, a person finds the listing.

Same stack as tests/test_e2e.py (fake Bot API, real gateway, Rasa and action server).
"""

from __future__ import annotations

import pytest

from tests.stack import Stack, ThreadedBotApi
from tests.test_directory import HEADER
from tests.test_e2e import buttons, consent

pytestmark = pytest.mark.e2e

COORDINATOR = 3001
OTHER = 3002
PERSON = 3003
ROW = ("e2e-zutphen,Herstelgroep De Brug,Stichting Brug,herstelgroep,Zutphen,Gelderland,,,nee,nl,"
       "algemeen,donderdag 19:30,,,https://example.org/brug,,,2026-11-01,ja")  # fmt: skip


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory):
    bot_api = ThreadedBotApi()
    stack = Stack(tmp_path_factory.mktemp("e2e-directory"), bot_api)
    try:
        stack.start_all()
        yield stack
    finally:
        stack.stop_all()
        bot_api.close()


def test_coordinator_file_then_a_person_finds_the_new_listing(stack, texts):
    tg: ThreadedBotApi = stack.bot_api
    stack.run_cli("peers", "add", str(COORDINATOR), "--name", "Sam", "--role", "coordinator")
    excel = f"{HEADER.replace(',', ';')}\r\n{ROW.replace(',', ';')}\r\n"
    content = b"\xef\xbb\xbf" + excel.encode()
    tg.call(tg.fake.send_document, COORDINATOR, "aanbod.csv", content)
    [report] = tg.wait(COORDINATOR)
    assert report["text"].startswith("Bestand verwerkt: 1 nieuw")

    tg.call(tg.fake.send_document, OTHER, "aanbod.csv", content)
    [refused] = tg.wait(OTHER)
    assert refused["text"] == texts.say("dir_file_refused", "nl")

    consent(tg, PERSON)
    tg.send_text(PERSON, "is er een herstelgroep in de buurt van Zutphen?")
    [found] = tg.wait(PERSON)
    assert found["text"].startswith(texts.say("dir_found_place", "nl", place="Zutphen"))
    assert "Herstelgroep De Brug" in found["text"] and "01-11-2026" in found["text"]
    assert buttons(found)[0] == "dir:d:e2e-zutphen"
    tg.press(PERSON, found, "dir:d:e2e-zutphen")
    [detail] = tg.wait(PERSON)
    assert "Stichting Brug" in detail["text"]
