"""The port: what features, the gateway and the transports share, and nothing more.

Features (plan, directory, strengths, console link) and transports (Telegram, terminal) import
these shapes from here, never from the gateway, so no feature depends on the router that calls
it. This module imports no feature, no router and no transport (import-linter keeps it so).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from bot.texts import Button

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.crisis.assess import Assessment
    from bot.models import Person
    from bot.settings import Settings
    from bot.texts import Catalogue


@dataclass(frozen=True)
class IncomingFile:
    """A document someone sent: its name, size, and a way to download it when needed."""

    name: str
    size: int
    fetch: Callable[[], Awaitable[bytes]]


@dataclass(frozen=True)
class Incoming:
    """One thing a Telegram user (or the terminal user) did."""

    user_id: int
    chat_id: int
    text: str | None = None
    callback: str | None = None
    media: str | None = None
    private: bool = True
    edited: bool = False  # an edited message: only the crisis layer acts on its new text
    # The crisis layers' verdict, made once when it arrived; `crisis.announced` when its crisis
    # message already went out then.
    crisis: Assessment | None = None
    document: IncomingFile | None = None  # a coordinator's directory file

    @property
    def crisis_announced(self) -> bool:
        """Whether this message's crisis message went out ahead of handling."""
        return self.crisis is not None and self.crisis.announced


@dataclass(frozen=True)
class Outgoing:
    """One bubble to send, with optional inline buttons (one per row)."""

    chat_id: int
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    urgent: bool = False  # crisis lines: never queued behind Telegram's pace


class Transport(Protocol):
    """What the gateway needs from Telegram or the terminal."""

    async def send(self, message: Outgoing) -> bool:
        """Deliver one bubble; False when the chat could not be reached."""

    async def notify(self, message: Outgoing) -> None:
        """Deliver a bubble to someone other than the person whose turn this is (the peer team).

        It must not hold up that turn: Telegram lets a bot post about 20 messages a minute to
        a group, so a busy hour's alerts can wait seconds for their turn.
        """

    async def typing(self, chat_id: int) -> None:
        """Show that an answer is being prepared."""

    async def send_file(self, chat_id: int, filename: str, content: bytes, caption: str) -> bool:
        """Deliver a file; False when the chat could not be reached."""


@dataclass(frozen=True)
class PersonView:
    """What the gateway needs of a person after the session that loaded them has closed."""

    id: int
    pseudonym: str
    chat_id: int
    language: str
    consent: bool | None
    country: str | None

    @classmethod
    def of(cls, person: Person) -> PersonView:
        """Copy the fields out of an ORM object."""
        return cls(
            person.id,
            person.pseudonym,
            person.chat_id,
            person.language,
            person.consent,
            person.country,
        )


# The feature contract ----------------------------------------------------------------------------
# Each feature module declares one `FEATURE`; `bot.features` lists them; the router dispatches
# from tables built from that list, and privacy walks their data hooks. Handlers are handed the
# gateway as a `Host`: what a feature may use of it, named here, so no feature names the router.


class Host(Protocol):
    """What a feature may use of the gateway that hands it a message."""

    settings: Settings
    texts: Catalogue
    transport: Transport

    async def say(
        self, chat_id: int, key: str, language: str, /, *buttons: str, **args: Any
    ) -> bool:
        """Send one catalogue text with buttons named by key; False when it did not arrive."""


Command = Callable[[Host, PersonView], Awaitable[None]]  # (gateway, person)
ButtonPress = Callable[[Host, PersonView, str], Awaitable[None]]  # (gateway, person, data)
Signal = Callable[[Host, PersonView, Mapping[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class PersonData:
    """What a feature keeps of a person, for `/mijngegevens` and `/vergeetmij` (README, Privacy).

    `tables` names every table where it does: a test fails when a table that holds a person
    (a `person_id` or `pseudonym` column) is claimed by no feature, so none can forget erasure.
    """

    key: str  # the feature's part of the export file
    tables: tuple[str, ...]
    export: Callable[[Session, Person, Settings], Any]
    erase: Callable[[Session, Person], None]


@dataclass(frozen=True)
class Feature:
    """One feature's declaration: what the router hands it, and its part in a person's rights.

    `buttons` are prefixes of a button's data: of the raw callback data ("dir:") or of the
    gateway action a catalogue button names ("plan_"). `signals` are Rasa's custom signals
    (`custom.signal` in a reply; built by bot.dialogue and bot.directory.signals). `forget` drops
    what the process holds about a pseudonym in memory (`/vergeetmij`).
    """

    name: str
    commands: Mapping[str, Command] = field(default_factory=dict)
    buttons: Mapping[str, ButtonPress] = field(default_factory=dict)
    signals: Mapping[str, Signal] = field(default_factory=dict)
    data: PersonData | None = None
    forget: Callable[[Host, str], None] | None = None  # (gateway, pseudonym)
