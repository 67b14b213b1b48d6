"""End to end: a plan built over (fake) Telegram with the real gateway, Rasa and action server.

Its own stack (module scope); the lead may move the test into tests/test_e2e.py to share one.
"""

from __future__ import annotations

import io
import sqlite3

import pypdf
import pytest

from bot.plan import STEPS
from tests.test_e2e import buttons, consent, stack, tg  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

ANSWERS = {
    "well": "Elke ochtend wandelen met Zoë",
    "signs": "slecht slapen\nprikkelbaar",
    "actions": "Ik bel Anouk en ga fietsen",
    "others": "Kom langs zonder veel te vragen",
    "people": "Anouk 06-11112222",
}


def table_text(path, query: str) -> str:
    with sqlite3.connect(path) as db:
        return " ".join(str(value) for row in db.execute(query) for value in row)


def test_plan_over_telegram_edit_pdf_crisis_and_erase(stack, tg, texts):  # noqa: F811
    person = 1080
    consent(tg, person)
    tg.send_text(person, "/mijnplan")
    [intro] = tg.wait(person)
    assert intro["text"] == texts.say("plan_intro", "nl")
    tg.press(person, intro, "b:plan_consent_yes")
    [question] = tg.wait(person)
    for step in STEPS:
        assert texts.say(f"plan_step_{step}", "nl", number=STEPS.index(step) + 1, total=8) in (
            question["text"]
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
    plans = table_text(stack.workdir / "app.db", "SELECT * FROM plans")
    tracker = table_text(stack.workdir / "tracker.db", "SELECT data FROM events")
    for store_text in (plans, tracker):
        assert "Anouk" not in store_text and "Muziek op" not in store_text

    # A crisis: the crisis lines first, then their own steps
    tg.send_text(person, "ik wil niet meer leven")
    lines, offer, own = tg.wait(person, 3)
    assert "113" in lines["text"]
    assert buttons(offer) == ["b:peer_now", "b:crisis_continue"]
    assert "Muziek op en mijn zus appen" in own["text"] and "Anouk 06-11112222" in own["text"]

    # Erased from every store
    tg.send_text(person, "/vergeetmij")
    [confirm] = tg.wait(person)
    tg.press(person, confirm, "b:erase_yes")
    [done] = tg.wait(person)
    assert done["text"] == texts.say("erase_done", "nl")
    assert table_text(stack.workdir / "app.db", "SELECT COUNT(*) FROM plans") == "0"
