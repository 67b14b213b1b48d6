"""The load mix (bench/mix.yml): kinds of things people do, their steps and weights."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

MIX_FILE = Path(__file__).with_name("mix.yml")


@dataclass(frozen=True)
class Step:
    """A typed message (`say`) or a button press (`press`: a button key) and its bubbles.

    `expect_again`: the bubbles when the same person does this step again (a hope prompt
    has a lead-in only the first time); by default the same as `expect`. Steps with the same
    `family` count as the same step for that (a Dutch and an English hope prompt).
    """

    say: str | None = None
    press: str | None = None
    expect: int = 1
    crisis: bool = False
    expect_again: int | None = None
    family: str | None = None

    def bubbles(self, again: bool) -> int:
        """How many bubbles this step brings, the first time or again."""
        return self.expect_again if again and self.expect_again is not None else self.expect


@dataclass(frozen=True)
class Kind:
    """A named sequence of steps with a relative weight."""

    name: str
    weight: float
    steps: tuple[Step, ...]


FIRST_CONTACT = Kind(
    "first_contact", 0, (Step(say="hallo", expect=2), Step(press="consent_yes", expect=2))
)


def load_mix(path: Path = MIX_FILE) -> list[Kind]:
    """Read and check the mix; a step must be exactly one of say/press."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = []
    for name, spec in (raw.get("kinds") or {}).items():
        steps = tuple(Step(**step) for step in spec["steps"])
        for step in steps:
            if (step.say is None) == (step.press is None):
                raise ValueError(f"{name}: a step needs exactly one of say/press")
            if min(step.expect, step.expect_again or 1) < 1:
                raise ValueError(f"{name}: every step expects at least one bubble")
        weight = float(spec.get("weight", 1))
        if weight <= 0 or not steps:
            raise ValueError(f"{name}: needs a positive weight and at least one step")
        kinds.append(Kind(name, weight, steps))
    if not kinds:
        raise ValueError("the mix has no kinds")
    return kinds


def pick(kinds: list[Kind], rng: random.Random) -> Kind:
    """One kind, by weight."""
    return rng.choices(kinds, weights=[k.weight for k in kinds])[0]
