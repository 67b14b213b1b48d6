"""Recovery conversations: the actions' choices and the gateway around them.

Actions run as the action server runs them; the gateway runs with a scripted Rasa and a real
database, so these show what a person would notice: crisis info first in the middle of any
flow, strengths kept only on a yes, shown by /mijnkrachten, exported and erased.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversations as acts
from bot import conversations as talk
from bot.dialogue import fallback_reply
from bot.models import Person, StrengthsNote
from bot.settings import ROOT
from bot.texts import catalogue
from tests.test_gateway import PERSON, consented, press, text

# --- Actions ----------------------------------------------------------------------------------


def tracker(
    message: str = "…",
    intent: str = "greet",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    loop: str | None = None,
) -> Tracker:
    latest = {"text": message, "intent": {"name": intent}, "entities": entities or []}
    return Tracker(
        "p1",
        slots or {},
        latest,
        [{"event": "user", "text": message, "parse_data": latest}],
        False,
        None,
        {"name": loop} if loop else {},
        "action_listen",
    )


async def run(action, track: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, track, {})
    return [m["custom"] for m in dispatcher.messages], events


def slot(events, name):
    return next(e["value"] for e in events if e.get("event") == "slot" and e["name"] == name)


async def test_hope_prompt_follows_words_and_never_repeats_in_a_conversation():
    used: list[str] = []
    seen = set()
    texts = catalogue()
    per_element = texts.variants("hope_connectedness")
    total = sum(
        texts.variants(f"hope_{e}")
        for e in ("connectedness", "hope", "identity", "meaning", "empowerment")
    )
    assert per_element >= 8
    for turn in range(total):
        messages, events = await run(
            acts.ActionHopePrompt(),
            tracker("ik mis contact met mijn familie", "ask_hope", {"prompts_used": used}),
        )
        assert len(messages) <= talk.MAX_BUBBLES
        prompt = messages[-1]
        if turn < per_element:
            assert prompt["say"] == "hope_connectedness"
        assert (prompt["say"], prompt["variant"]) not in seen
        seen.add((prompt["say"], prompt["variant"]))
        used = slot(events, "prompts_used")
    messages, _ = await run(
        acts.ActionHopePrompt(), tracker("nog één", "ask_hope", {"prompts_used": used})
    )
    assert [m["say"] for m in messages] == ["hope_all_used"]


async def test_first_hope_prompt_has_a_lead_in_and_buttons_for_more():
    messages, events = await run(acts.ActionHopePrompt(), tracker("/ask_hope", "ask_hope"))
    assert messages[0]["say"] == "hope_intro"
    assert messages[1]["buttons"][0] == "another_prompt" and messages[1]["buttons"][-1] == "menu"
    assert all(b.startswith("chime_") for b in messages[1]["buttons"][1:-1])


async def test_chime_button_and_phase_pick_the_element():
    messages, events = await run(
        acts.ActionHopePrompt(),
        tracker('/ask_hope{"chime_element":"meaning"}', "ask_hope", {"chime_element": "meaning"}),
    )
    assert messages[-1]["say"] == "hope_meaning" and slot(events, "chime_element") == "meaning"
    messages, _ = await run(
        acts.ActionHopePrompt(), tracker("/ask_hope", "ask_hope", {"phase": "living_beyond"})
    )
    assert messages[-1]["say"] == "hope_empowerment"


@pytest.mark.parametrize(
    ("intent", "phase"),
    [
        ("mood_overwhelmed", "overwhelmed"),
        ("share_feeling", "struggling"),
        ("mood_steady", "living_with"),
        ("mood_good", "living_beyond"),
    ],
)
async def test_check_in_answer_gets_support_for_that_phase(intent, phase):
    messages, events = await run(acts.ActionPhaseSupport(), tracker("…", intent))
    assert messages == [{"say": f"phase_{phase}", "buttons": talk.PHASE_BUTTONS[phase]}]
    assert slot(events, "phase") == phase and slot(events, "chime_element") is None


def test_overwhelmed_offers_one_small_choice_and_no_push():
    buttons = talk.PHASE_BUTTONS["overwhelmed"]
    assert len(buttons) <= 2 and "peer_now" in buttons
    assert not {"strengths", "my_plan", "find_group"} & set(buttons)
    assert {"strengths", "my_plan"} <= set(talk.PHASE_BUTTONS["living_beyond"])


ANSWERS = {
    "sq_happened": "ik werd ziek",
    "sq_strengths": talk.SKIPPED,
    "sq_goal": "weer werken",
    "sq_needs": "rust",
}


async def test_strengths_kept_only_on_yes_and_the_slots_are_cleared():
    messages, events = await run(
        acts.ActionStrengthsKeep(), tracker("/affirm", "affirm", dict(ANSWERS))
    )
    [message] = messages
    assert message["signal"] == "strengths_save"
    assert message["answers"] == {
        "sq_happened": "ik werd ziek",
        "sq_goal": "weer werken",
        "sq_needs": "rust",
    }
    assert all(SlotSet(q, None) in events for q in talk.QUESTIONS)
    messages, events = await run(acts.ActionStrengthsKeep(), tracker("nee", "deny", dict(ANSWERS)))
    assert messages == [{"say": "strengths_not_kept", "buttons": talk.AFTER_STRENGTHS}]
    assert all(SlotSet(q, None) in events for q in talk.QUESTIONS)


async def test_all_questions_skipped_asks_nothing_about_keeping():
    skipped = {q: talk.SKIPPED for q in talk.QUESTIONS}
    messages, _ = await run(acts.ActionStrengthsDone(), tracker("/skip", "skip", skipped))
    assert messages[0]["say"] == "strengths_stopped"
    messages, _ = await run(acts.ActionStrengthsDone(), tracker("rust", "x", dict(ANSWERS)))
    assert messages[0] == {"say": "strengths_keep_ask", "buttons": ["keep_yes", "keep_no"]}


async def test_stopping_halfway_ends_the_form_and_forgets_the_answers():
    messages, events = await run(
        acts.ActionStopFlow(), tracker("stop", "stop_flow", dict(ANSWERS), loop="strengths_form")
    )
    assert messages[0]["say"] == "strengths_stopped" and ActiveLoop(None) in events
    assert SlotSet("sq_happened", None) in events
    messages, _ = await run(
        acts.ActionStopFlow(), tracker("stop", "stop_flow", loop="disclosure_form")
    )
    assert messages[0]["say"] == "no_problem"


async def test_a_button_press_is_not_taken_as_an_answer():
    validate = acts.ValidateStrengthsForm()
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for value, kept in (("/greet", None), ("mijn zus", "mijn zus")):
        track = tracker(
            value, "greet", {"sq_goal": value, "requested_slot": "sq_goal"}, loop="strengths_form"
        )
        track.events.append({"event": "slot", "name": "sq_goal", "value": value})
        events = await validate.get_validation_events(CollectingDispatcher(), track, domain)
        assert SlotSet("sq_goal", kept) in events


async def test_each_question_offers_skip_and_stop():
    for action in acts.ASK_ACTIONS:
        messages, _ = await run(action(), tracker())
        assert "stop_flow" in messages[0]["buttons"]
    messages, _ = await run(acts.ASK_ACTIONS[-1](), tracker())
    assert messages[0] == {"say": "disclosure_choice", "buttons": ["skip", "stop_flow"]}


async def test_disclosure_starts_with_a_place_chosen_by_button_and_ends_with_own_choice():
    entity = [{"entity": "disclosure_where", "value": "work"}]
    messages, events = await run(
        acts.ActionDisclosureStart(), tracker("/disclosure", "disclosure", entities=entity)
    )
    assert messages == [{"say": "disclosure_intro"}] and events[-1] == SlotSet(
        "disclosure_where", "work"
    )
    messages, events = await run(acts.ActionDisclosureEnd(), tracker())
    assert messages[0]["say"] == "disclosure_end"
    assert all(SlotSet(s, None) in events for s in talk.DISCLOSURE_STEPS)


@pytest.mark.parametrize(
    ("message", "entities", "say"),
    [
        ("wat is WRAP eigenlijk?", [], "explain_wrap"),
        ("what does a recovery college do", [], "explain_herstelacademie"),
        ("wat doet een ervaringsdeskundige", [], "explain_ervaringsdeskundigheid"),
        ("is herstel hetzelfde als genezen?", [], "explain_clinical_recovery"),
        ("wat is herstel", [], "explain_personal_recovery"),
        (
            "/recovery_info",
            [{"entity": "recovery_topic", "value": "zelfregiecentrum"}],
            "explain_zelfregiecentrum",
        ),
        ("vertel eens", [], "recovery_intro"),
    ],
)
async def test_recovery_explanations_end_with_an_offer(message, entities, say):
    [reply], _ = await run(
        acts.ActionRecoveryInfo(), tracker(message, "recovery_info", entities=entities)
    )
    assert reply["say"] == say
    if say != "recovery_intro":
        assert {"peer_now", "find_group"} <= set(reply["buttons"])


async def test_stigma_topics_and_myths_without_repeats():
    [reply], _ = await run(acts.ActionStigma(), tracker("ik schaam me zo", "stigma"))
    assert reply["say"] == "self_stigma"
    [reply], _ = await run(acts.ActionStigma(), tracker("mijn baas zei iets", "hurtful_remark"))
    assert reply["say"] == "hurtful_remark"
    [reply], _ = await run(acts.ActionStigma(), tracker("/stigma", "stigma"))
    assert reply["say"] == "stigma_intro" and "disclosure" in reply["buttons"]
    used: list[str] = []
    myths = set()
    count = acts._variants("stigma_myths")
    for _ in range(count):
        entity = [{"entity": "stigma_topic", "value": "stigma_myths"}]
        [reply], events = await run(
            acts.ActionStigma(), tracker("/stigma", "stigma", {"prompts_used": used}, entity)
        )
        myths.add(reply["variant"])
        used = slot(events, "prompts_used")
    assert len(myths) == count


def test_menu_lists_every_conversation_and_fallbacks_offer_it():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    buttons = domain["responses"]["utter_menu"][0]["custom"]["buttons"]
    for key in (
        "checkin",
        "hope",
        "strengths",
        "stigma",
        "recovery_info",
        "find_group",
        "my_plan",
        "peer_now",
        "privacy",
    ):
        assert key in buttons
    assert "menu" in fallback_reply([])["buttons"]
    assert (
        "menu"
        in fallback_reply(
            [{"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}] * 2
        )["buttons"]
    )


# --- Gateway ----------------------------------------------------------------------------------

FLOWS = {  # a button that starts a flow, and what Rasa answers to it
    "b:strengths": [
        {"custom": {"say": "strengths_intro"}},
        {"custom": {"say": "sq_happened", "buttons": ["skip", "stop_flow"]}},
    ],
    "b:disclosure": [
        {"custom": {"say": "disclosure_intro"}},
        {"custom": {"say": "disclosure_where", "buttons": ["disclosure_work"]}},
    ],
    "b:hope": [
        {"custom": {"say": "hope_intro"}},
        {"custom": {"say": "hope_hope", "variant": 2, "buttons": ["another_prompt"]}},
    ],
    "b:checkin": [{"custom": {"say": "checkin_ask", "buttons": ["phase_overwhelmed"]}}],
    "b:stigma": [{"custom": {"say": "stigma_intro", "buttons": ["self_stigma"]}}],
    "b:recovery_info": [{"custom": {"say": "recovery_intro", "buttons": ["topic_wrap"]}}],
}


@pytest.mark.parametrize("start", FLOWS)
async def test_crisis_message_in_the_middle_of_any_flow_gets_crisis_info_first(
    gateway, transport, rasa, texts, start
):
    await consented(gateway)
    for payload, replies in FLOWS.items():
        rasa.replies[texts.payload(payload.removeprefix("b:"))] = replies
    await gateway.handle(press(PERSON, start))
    assert texts.say(FLOWS[start][-1]["custom"]["say"], "nl", variant=2) in transport.texts_to(
        PERSON
    )
    transport.clear()
    await gateway.handle(text(PERSON, "ik wil niet meer leven"))
    first = transport.texts_to(PERSON)[0]
    assert first.startswith(texts.say("crisis_ack", "nl")) and "113" in first
    assert "ik wil niet meer leven" not in [m for _, m in rasa.turns]  # the flow did not get it
    # a form open at that moment ends, so the next message is not taken as one of its answers
    ended = [e for _, events in rasa.events for e in events if e["event"] == "active_loop"]
    assert ended == [{"event": "active_loop", "name": None}]


def save_signal(answers: dict[str, str]) -> list[dict[str, Any]]:
    return [{"custom": {"signal": "strengths_save", "answers": answers, "buttons": ["menu"]}}]


async def test_strengths_kept_with_consent_shown_exported_and_erased(
    gateway, transport, rasa, db, texts
):
    await consented(gateway)
    await gateway.handle(text(PERSON, "/mijnkrachten"))
    assert transport.texts_to(PERSON)[-1] == texts.say("strengths_none", "nl")
    rasa.replies["/affirm"] = save_signal(
        {"sq_happened": "ik raakte mijn werk kwijt", "sq_goal": "weer {fietsen}"}
    )
    await gateway.handle(press(PERSON, "b:keep_yes"))
    assert transport.texts_to(PERSON)[-1] == texts.say("strengths_kept", "nl")
    with db() as session:
        note = session.query(StrengthsNote).one()
        assert (note.happened, note.strengths, note.goal) == (
            "ik raakte mijn werk kwijt",
            None,
            "weer {fietsen}",
        )

    await gateway.handle(text(PERSON, "/mijnkrachten"))
    shown = transport.texts_to(PERSON)[-1]
    assert "ik raakte mijn werk kwijt" in shown and "weer {fietsen}" in shown
    assert texts.say("strengths_label_goal", "nl") in shown

    await gateway.handle(text(PERSON, "/mijngegevens"))
    [(_, _, content)] = transport.files
    [exported] = json.loads(content)["herstelgids"]["strengths_notes"]
    assert exported["happened"] == "ik raakte mijn werk kwijt" and exported["needs"] is None

    await gateway.handle(text(PERSON, "/vergeetmij"))
    await gateway.handle(press(PERSON, "b:erase_yes"))
    with db() as session:
        assert session.query(StrengthsNote).count() == 0
        assert session.query(Person).count() == 0


async def test_no_strengths_stored_without_a_yes_or_without_consent(
    gateway, transport, rasa, db, texts
):
    await consented(gateway)
    rasa.replies["/deny"] = [{"custom": {"say": "strengths_not_kept", "buttons": ["menu"]}}]
    await gateway.handle(press(PERSON, "b:keep_no"))
    assert transport.texts_to(PERSON)[-1] == texts.say("strengths_not_kept", "nl")
    with db() as session:
        assert session.query(StrengthsNote).count() == 0

    other = PERSON + 1  # declined consent to keeping anything
    await gateway.handle(text(other, "hallo"))
    await gateway.handle(press(other, "b:consent_no"))
    rasa.replies["/affirm"] = save_signal({"sq_goal": "weer werken"})
    await gateway.handle(press(other, "b:keep_yes"))
    assert transport.texts_to(other)[-1] == texts.say("strengths_no_consent", "nl")
    with db() as session:
        assert session.query(StrengthsNote).count() == 0


async def test_switching_language_mid_flow_renders_the_next_question_in_english(
    gateway, transport, rasa, texts
):
    await consented(gateway)
    rasa.replies["/strengths"] = FLOWS["b:strengths"]
    rasa.replies["/skip"] = [{"custom": {"say": "sq_strengths", "buttons": ["skip", "stop_flow"]}}]
    await gateway.handle(press(PERSON, "b:strengths"))
    assert transport.texts_to(PERSON)[-1] == texts.say("sq_happened", "nl")
    await gateway.handle(press(PERSON, "b:lang_en"))
    await gateway.handle(press(PERSON, "b:skip"))
    last = transport.to(PERSON)[-1]
    assert last.text == texts.say("sq_strengths", "en")
    assert [b.label for b in last.buttons] == [
        texts.button("skip", "en").label,
        texts.button("stop_flow", "en").label,
    ]
    assert rasa.turns[-1][1] == "/skip"


# --- Issue 16: naasten, loneliness, the disclosure aid's "whom" -------------------------------


async def test_after_a_message_about_loneliness_no_hope_prompt_assumes_a_contact():
    from bot.chime import ASSUMES_CONTACT

    lonely = {"event": "user", "text": "ik voel me zo eenzaam de laatste tijd"}
    used: list[str] = []
    shown = []
    for _ in range(40):
        press = tracker("/ask_hope", "ask_hope", {"prompts_used": used})
        press.events.insert(0, lonely)  # the lonely message came a turn before the button
        messages, events = await run(acts.ActionHopePrompt(), press)
        prompt = messages[-1]
        if prompt["say"] == "hope_all_used":
            break
        shown.append((prompt["say"].removeprefix("hope_"), prompt["variant"]))
        used = slot(events, "prompts_used")
    assert len(shown) > 20  # every other prompt is still there to give
    assert not [(e, i) for e, i in shown if i in ASSUMES_CONTACT.get(e, ())], shown
    # Without loneliness those prompts are still given.
    messages, _ = await run(
        acts.ActionHopePrompt(),
        tracker(
            "ik wil meer contact met mijn familie",
            "ask_hope",
            {
                "prompts_used": [
                    f"connectedness:{i}"
                    for i in range(12)
                    if i not in ASSUMES_CONTACT["connectedness"]
                ]
            },
        ),
    )
    assert messages[-1]["say"] == "hope_connectedness"
    assert messages[-1]["variant"] in ASSUMES_CONTACT["connectedness"]


def test_prompts_assuming_a_contact_are_the_ones_that_name_someone():
    texts = catalogue()
    from bot.chime import ASSUMES_CONTACT

    assert "berichtje" in texts.say("hope_connectedness", "nl", variant=11)
    assert 11 in ASSUMES_CONTACT["connectedness"]


@pytest.mark.parametrize(
    ("message", "place"),
    [
        ("hoe vertel ik mijn baas dat ik een burn-out had?", "work"),
        ("moet ik het mijn collega's vertellen", "work"),
        ("how do I tell my boss I had burnout", "work"),
        ("wil ik het op school vertellen?", "study"),
        ("ik twijfel of ik het mijn ouders vertel", "family"),
        ("ik wil het werkelijk aan niemand zeggen", None),
    ],
)
async def test_the_disclosure_aid_skips_whom_when_the_words_already_say_it(message, place):
    messages, events = await run(acts.ActionDisclosureStart(), tracker(message, "disclosure"))
    assert messages == [{"say": "disclosure_intro"}]
    assert events[-1] == SlotSet("disclosure_where", place)


@pytest.mark.parametrize(
    ("answer", "kept"),
    [
        ("baas", "work"),
        ("werk", "work"),
        ("collega's", "work"),
        ("school", "study"),
        ("mijn ouders", "family"),
        ("een paar goede vrienden", "friends"),
        ("mijn buurvrouw", "mijn buurvrouw"),
    ],
)
async def test_a_typed_whom_is_taken_as_the_place(answer, kept):
    track = tracker(
        answer,
        "share_feeling",
        {"disclosure_where": answer, "requested_slot": "disclosure_where"},
        loop="disclosure_form",
    )
    track.events.append({"event": "slot", "name": "disclosure_where", "value": answer})
    dispatcher = CollectingDispatcher()
    events = await acts.ValidateDisclosureForm().get_validation_events(
        dispatcher,
        track,
        {
            "forms": {"disclosure_form": {"required_slots": list(talk.DISCLOSURE_STEPS)}},
            "slots": {},
        },
    )
    assert SlotSet("disclosure_where", kept) in events


async def test_the_disclosure_intro_does_not_ask_whom_a_second_time():
    intro = catalogue().say("disclosure_intro", "nl")
    assert "werk" not in intro and "familie" not in intro


@pytest.mark.parametrize(
    ("entities", "say"),
    [
        ([], "naaste"),
        ([{"entity": "naaste_topic", "value": "support"}], "naaste_support"),
        ([{"entity": "naaste_topic", "value": "own"}], "naaste_own"),
    ],
)
async def test_a_naaste_gets_the_naastes_answer_with_their_own_support(entities, say):
    from actions.naasten import ActionNaaste

    messages, _ = await run(
        ActionNaaste(),
        tracker(
            "mijn zoon heeft een psychose en ik weet niet hoe ik hem kan helpen",
            "naaste",
            entities=entities,
        ),
    )
    assert messages[0]["say"] == say
    assert "peer_now" in messages[0]["buttons"] or "naasten_groups" in messages[0]["buttons"]
    if say == "naaste":
        assert "naasten_groups" in messages[0]["buttons"]


async def test_the_naasten_group_button_searches_for_naastengroepen():
    from actions.directory import ActionFindGroup

    messages, _ = await run(
        ActionFindGroup(),
        tracker(
            '/find_group{"group_kind":"naasten"}',
            "find_group",
            entities=[{"entity": "group_kind", "value": "naasten"}],
        ),
    )
    assert messages == [{"signal": "directory_search", "text": "naastengroep"}]
    assert catalogue().payload("naasten_groups") == '/find_group{"group_kind":"naasten"}'
