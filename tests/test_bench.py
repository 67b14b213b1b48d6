"""The bench harness's own arithmetic: percentiles, lost and extra replies, the mix, README."""

from __future__ import annotations

import asyncio
import random

import pytest

from bench.load import Pace, TelegramClient, person
from bench.mix import FIRST_CONTACT, Kind, Step, load_mix
from bench.report import END, START, markdown, update_readme
from bench.stats import Turn, percentile, summarise
from bot.texts import catalogue


def test_percentile_interpolates_like_numpy():
    values = [10, 20, 30, 40]
    assert percentile(values, 0) == 10
    assert percentile(values, 50) == 25
    assert percentile(values, 100) == 40
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_turn_latency_is_to_the_last_expected_bubble_and_extras_are_counted():
    turn = Turn("crisis", sent_at=10.0, expected=2, replies=[10.05, 10.2, 11.0], crisis=True)
    assert turn.complete
    assert turn.latency == pytest.approx(0.2)
    assert turn.first_latency == pytest.approx(0.05)
    assert turn.extra == 1 and turn.missing == 0


def test_missing_replies_and_errors_have_no_latency():
    short = Turn("menu", sent_at=0.0, expected=2, replies=[0.1])
    failed = Turn("menu", sent_at=0.0, expected=1, replies=[0.1], error="ConnectError")
    assert short.latency is None and short.missing == 1
    assert failed.latency is None and failed.missing == 1 and failed.extra == 0


def test_summary_counts_window_for_latency_but_every_turn_for_losses():
    turns = [
        Turn("greeting", 0.5, 1, [0.6]),  # warm-up: no latency, but its loss would count
        Turn("greeting", 1.0, 1, [1.1]),
        Turn("greeting", 2.0, 1, [2.3]),
        Turn("feeling", 3.0, 1, []),  # lost
        Turn("crisis", 4.0, 2, [4.01, 4.5, 4.6], crisis=True),  # one duplicate
        Turn("greeting", 0.2, 1, []),  # lost during warm-up
    ]
    summary = summarise(turns, (1.0, 5.0))
    assert summary["turns_in_window"] == 4
    assert summary["turns_per_s"] == pytest.approx(3 / 4)
    assert summary["latency"]["n"] == 3
    assert summary["latency"]["p50_ms"] == pytest.approx(300.0)
    assert summary["crisis_first_reply"]["p50_ms"] == pytest.approx(10.0)
    assert summary["missing_replies"] == 2
    assert summary["turns_with_missing_replies"] == 2
    assert summary["extra_replies"] == 1


def test_the_mix_only_names_buttons_the_bot_has():
    texts = catalogue()
    kinds = load_mix()
    assert {k.name for k in kinds} >= {"greeting", "feeling", "menu_button", "crisis"}
    assert any(step.crisis for kind in kinds for step in kind.steps)
    for kind in [*kinds, FIRST_CONTACT]:
        for step in kind.steps:
            if step.press is not None:
                assert texts.payload(step.press) is not None, step.press


def test_a_step_must_be_say_or_press(tmp_path):
    mix = tmp_path / "mix.yml"
    mix.write_text("kinds:\n  bad:\n    steps:\n      - {say: hoi, press: menu}\n")
    with pytest.raises(ValueError, match="exactly one"):
        load_mix(mix)


class EchoFake:
    """A stand-in Telegram: every message gets `bubbles` replies after `delay` seconds."""

    def __init__(self, bubbles: dict[str, int], delay: float = 0.01) -> None:
        self.bubbles = bubbles
        self.delay = delay
        self.listener = None
        self.presses: list[str] = []

    def on_bot_message(self, listener) -> None:
        self.listener = listener

    def _reply(self, user: int, count: int) -> None:
        loop = asyncio.get_running_loop()
        for index in range(count):
            message = {"reply_markup": {"inline_keyboard": [[{"callback_data": "b:menu"}]]}}
            loop.call_later(self.delay * (index + 1), self.listener, user, message)

    def send_text(self, user: int, text: str) -> int:
        self._reply(user, self.bubbles.get(text, 1))
        return 1

    def press_button(self, user: int, message: dict, data: str) -> int:
        self.presses.append(data)
        self._reply(user, self.bubbles.get(data, 1))
        return 1


async def test_client_finds_lost_and_duplicated_replies():
    fake = EchoFake({"silence": 0, "twice": 2})
    client = TelegramClient(fake, Pace(grace=0.2), settle_seconds=0.1)
    lost = await client.turn(1, "x", Step(say="silence"))
    doubled = await client.turn(1, "x", Step(say="twice", expect=1))
    await asyncio.sleep(0.05)  # the person's pause: a late duplicate lands before the next turn
    pressed = await client.turn(1, "x", Step(press="menu"))
    await client.settle()
    assert lost.missing == 1 and lost.latency is None
    assert doubled.extra == 1 and doubled.latency is not None
    assert pressed.complete and fake.presses == ["b:menu"]


async def test_a_step_done_again_by_the_same_person_may_expect_fewer_bubbles():
    fake = EchoFake({"hoop": 1})  # the second time: no lead-in bubble
    client = TelegramClient(fake, Pace(grace=0.2), settle_seconds=0.1)
    step = Step(say="hoop", expect=2, expect_again=1)
    assert step.bubbles(again=False) == 2
    first = await client.turn(1, "hope", step)
    assert first.missing == 1  # the first time two were due
    second = await client.turn(1, "hope", step)
    other_person = await client.turn(2, "hope", step)
    english = Step(say="hope", expect=2, expect_again=1, family="hope")
    dutch = Step(say="hoop", expect=2, expect_again=1, family="hope")
    await client.turn(3, "hope_en", english)
    dutch_after_english = await client.turn(3, "hope", dutch)  # one lead-in per conversation
    await client.settle()
    assert second.complete and second.extra == 0
    assert other_person.missing == 1  # a first time for this person
    assert dutch_after_english.complete


async def test_a_button_that_was_never_shown_is_an_error_not_a_press():
    fake = EchoFake({})
    client = TelegramClient(fake, Pace(grace=0.1))
    turn = await client.turn(2, "x", Step(press="how_it_works"))
    assert turn.error and turn.missing == 1 and fake.presses == []


async def test_a_person_starts_with_first_contact_and_stops_at_the_end():
    fake = EchoFake({"hallo": 2, "b:consent_yes": 2}, delay=0.001)
    pace = Pace(think_min=0.01, think_max=0.02, grace=0.5)
    client = TelegramClient(fake, pace, settle_seconds=0.01)
    turns: list[Turn] = []
    loop = asyncio.get_running_loop()
    kinds = [Kind("only", 1, (Step(say="hoi"),))]
    # the consent button must be on the intro: the echo's bubbles carry b:menu only, so the
    # first contact's press is an error here, which shows up as a missing reply
    await person(client, 3, kinds, random.Random(1), pace, loop.time() + 0.3, turns)
    await client.settle()
    assert [t.kind for t in turns[:2]] == ["first_contact", "first_contact"]
    assert turns[1].error is not None
    assert turns[2:] and all(t.kind == "only" and t.complete for t in turns[2:])


def test_readme_summary_goes_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{START}\nstale figures\n{END}\n\nrest\n")
    summary = tmp_path / "latest.md"
    result = {
        "started": "20260101-000000",
        "label": "",
        "settings": {
            "quick": True,
            "duration_s": 15,
            "warmup_s": 5,
            "think_s": [2, 5],
            "database": "sqlite",
        },
        "machine": {"cpus": 2, "loadavg_at_start": [0.1], "loadavg_at_end": [1.0]},
        "ours": [
            {
                "users": 1,
                "turns_per_s": 0.3,
                "latency": {"p50_ms": 50.0, "p95_ms": 100.0, "p99_ms": 110.0},
                "crisis_first_reply": {"p95_ms": None},
                "missing_replies": 0,
                "extra_replies": 0,
                "cpu_s": {"rasa": 1.0, "gateway": 0.5},
                "peak_rss_mib": {"total": 1000.0},
            }
        ],
        "baseline": [{"users": 1, "turns_per_s": 0.3, "latency": {"p95_ms": 50.0}}],
        "crisis_detection": {"mean_ms": 0.5, "p99_ms": 0.9, "target_ms": 1.0},
        "cold_start": {"to_first_reply_s": 30.0, "to_ready_s": 29.0},
        "training": None,
    }
    summary.write_text(markdown(result, "bench-x.json", None))
    update_readme(summary, readme)
    text = readme.read_text()
    assert "stale figures" not in text
    assert "| 1 | 0.3 | 50 | 100 | 110 |" in text and "2.00×" in text
    assert text.endswith("rest\n")
