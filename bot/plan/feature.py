"""The plan's declaration for the router and privacy (bot.port.Feature).

Its commands, buttons, Rasa's signal, and its part in /mijngegevens and /vergeetmij. The flow
itself is the gateway's `plan` (bot.plan.flow.PlanFlow).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bot.plan import vault
from bot.port import Feature, Host, PersonData

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.models import Person
    from bot.plan.flow import PlanFlow
    from bot.port import PersonView
    from bot.settings import Settings


class PlanHost(Host, Protocol):
    """The gateway holds the plan's flow, whose state lives as long as the process."""

    plan: PlanFlow


async def _open(gateway: PlanHost, person: PersonView) -> None:
    await gateway.plan.open(person)


async def _button(gateway: PlanHost, person: PersonView, action: str) -> None:
    await gateway.plan.button(person, action)


async def _open_signal(gateway: PlanHost, person: PersonView, _custom: object) -> None:
    await gateway.plan.open(person)


def _export(session: Session, person: Person, settings: Settings) -> dict | None:
    """The plan, decrypted, for the person's own export."""
    cipher = vault.Cipher(settings.plan_encryption_key)
    return vault.export_plan(session, person_id=person.id, cipher=cipher)


def _erase(session: Session, person: Person) -> None:
    vault.delete_plan(session, person_id=person.id)


def _forget(gateway: PlanHost, pseudonym: str) -> None:
    gateway.plan.forget(pseudonym)


FEATURE = Feature(
    name="plan",
    commands={"/myplan": _open},  # "/mijnplan" too: bot/texts/nl/commands.yml
    buttons={"plan_": _button},
    signals={"plan_open": _open_signal},
    data=PersonData("signaleringsplan", ("plans",), _export, _erase),
    forget=_forget,
)
