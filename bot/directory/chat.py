"""The directory in a person's chat: results, "meer", details.

The router calls in here through the feature's declaration (`FEATURE`, at the end: Rasa's
`directory_search` signal and `dir:` callback data), and for a place answered after the bot
asked for one. The coordinators' side is in `bot.directory.coordinators`.

Callback data carries values, so it is parsed strictly (never trusted, at most 64 bytes):
`dir:m:<kind>:<topic>:<place>:<online>:<page>` (kind and topic as indexes into the known
lists, place as `Place.key`) and `dir:d:<listing id>`; anything else is refused.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
import weakref
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.db import session_scope
from bot.directory import importer
from bot.directory.places import gazetteer
from bot.directory.search import KINDS, TOPICS, Query, Results, find, parse
from bot.models import DirectoryMiss, Listing
from bot.port import Feature, Outgoing
from bot.texts import Button

if TYPE_CHECKING:
    from bot.port import Host, PersonView

log = logging.getLogger(__name__)

ASK_PLACE_MINUTES = 15  # how long an answer to "where?" still counts as one
MORE_RE = re.compile(r"dir:m:(-|\d{1,2}):(-|\d{1,2}):(-|[a-z0-9_]{1,24}):([01]):(\d{1,3})")
DETAIL_RE = re.compile(r"dir:d:([a-z0-9][a-z0-9_-]{0,47})")


# Callback data -------------------------------------------------------------------------------


def more_data(query: Query, page: int) -> str:
    """Callback data that repeats a search at a page (fits in Telegram's 64 bytes)."""
    kind = str(KINDS.index(query.kind)) if query.kind in KINDS else "-"
    topic = str(TOPICS.index(query.topic)) if query.topic in TOPICS else "-"
    place = query.place.key if query.place is not None else "-"
    return f"dir:m:{kind}:{topic}:{place}:{int(query.online)}:{page}"


def parse_more(data: str) -> tuple[Query, int] | None:
    """The search and page behind `more_data`, or None for data a client made up."""
    match = MORE_RE.fullmatch(data)
    if match is None:
        return None
    kind, topic, place_key, online, page = match.groups()
    if (kind != "-" and int(kind) >= len(KINDS)) or (topic != "-" and int(topic) >= len(TOPICS)):
        return None
    place = gazetteer().by_key(place_key) if place_key != "-" else None
    if place_key != "-" and place is None:
        return None
    query = Query(
        kind=KINDS[int(kind)] if kind != "-" else None,
        topic=TOPICS[int(topic)] if topic != "-" else None,
        place=place,
        online=online == "1",
    )
    return query, int(page)


def parse_detail(data: str) -> str | None:
    """The listing id in detail callback data, or None."""
    match = DETAIL_RE.fullmatch(data)
    return match.group(1) if match else None


# Rendering -----------------------------------------------------------------------------------


# Per gateway, per person: a search waiting for a place (in memory; short-lived by design).
_PENDING: weakref.WeakKeyDictionary[Host, dict[str, tuple[Query, float]]] = (
    weakref.WeakKeyDictionary()
)


def _pending(gateway: Host) -> dict[str, tuple[Query, float]]:
    return _PENDING.setdefault(gateway, {})


def _where(gateway: Host, listing: Listing, lang: str) -> str:
    if listing.online:
        return gateway.texts.say("dir_online_place", lang)
    return listing.municipality


def _reach(listing: Listing) -> str:
    return " · ".join(part for part in (listing.phone, listing.email, listing.website) if part)


def _verified(gateway: Host, listing: Listing, lang: str) -> str:
    if listing.last_verified is None:
        return gateway.texts.say("dir_never_verified", lang)
    return listing.last_verified.strftime("%d-%m-%Y")


def _example_mark(gateway: Host, listing: Listing, lang: str) -> str:
    """Before an example listing's text: it is made up; nothing before a real one."""
    if not importer.is_example(listing.id):
        return ""
    return gateway.texts.say("dir_example_mark", lang) + "\n"


def _summary(gateway: Host, number: int, listing: Listing, lang: str) -> str:
    return _example_mark(gateway, listing, lang) + gateway.texts.say(
        "dir_result",
        lang,
        number=number,
        name=listing.name,
        kind=gateway.texts.say(f"dir_kind_{listing.kind}", lang),
        place=_where(gateway, listing, lang),
        schedule=listing.schedule or gateway.texts.say("dir_schedule_unknown", lang),
        reach=_reach(listing),
        verified=_verified(gateway, listing, lang),
    )


def _heading(gateway: Host, results: Results, lang: str) -> str:
    query = results.query
    place = query.place.name if query.place is not None else ""
    province = query.place.province if query.place is not None else ""
    if results.page > 0:
        return gateway.texts.say("dir_more_heading", lang)
    if results.fallback == "place" and query.online:
        return gateway.texts.say("dir_found_online", lang)
    if results.fallback == "online" and query.place is None:
        return gateway.texts.say("dir_found_online", lang)
    key = {
        "place": "dir_found_place",
        "province": "dir_found_province",
        "online": "dir_found_online_fallback",
    }[results.fallback]
    return gateway.texts.say(key, lang, place=place, province=province)


async def show(gateway: Host, person: PersonView, query: Query, page: int = 0) -> None:
    """Search and send one page of results (or ask for a place, or say nothing was found)."""
    lang = person.language
    with session_scope(gateway.settings.database_url) as session:
        results = find(session, query, page)
        if page == 0 and query.place is not None and results.fallback not in {"place", "ask_place"}:
            # team console: where groups are missing; the place and day, no person
            session.add(
                DirectoryMiss(
                    day=dt.date.today(),
                    place=query.place.name,
                    province=query.place.province,
                    kind=query.kind or "",
                    topic=query.topic or "",
                )
            )
        lines = [
            _summary(gateway, page * 3 + n, item, lang)
            for n, item in enumerate(results.listings, start=1)
        ]
        details = [
            (page * 3 + n, item.id, item.name) for n, item in enumerate(results.listings, start=1)
        ]
    if results.fallback == "ask_place":
        _pending(gateway)[person.pseudonym] = (query, time.monotonic())
        data = more_data(replace(query, online=True), 0)
        online = gateway.texts.button("dir_online", lang, data=data)
        menu = gateway.texts.button("menu", lang)
        ask = gateway.texts.say("dir_ask_place", lang)
        await gateway.transport.send(Outgoing(person.chat_id, ask, (online, menu)))
        return
    if not results.listings:
        key = "dir_nothing_more" if page > 0 else "dir_nothing"
        await gateway.say(person.chat_id, key, lang, "menu", "peer_now")
        return
    label = gateway.texts.button("dir_detail", lang).label
    buttons = [
        Button(label.format(number=number, name=name[:40]), f"dir:d:{listing_id}")
        for number, listing_id, name in details
    ]
    if results.more:
        buttons.append(gateway.texts.button("dir_more", lang, data=more_data(query, page + 1)))
    buttons.append(gateway.texts.button("menu", lang))
    text = "\n\n".join([_heading(gateway, results, lang), *lines])
    await gateway.transport.send(Outgoing(person.chat_id, text, tuple(buttons)))


async def search(gateway: Host, person: PersonView, text: object) -> None:
    """The `directory_search` signal: understand the question and answer it."""
    words = text if isinstance(text, str) else ""
    await show(gateway, person, parse(words.lstrip("/").replace("find_group", "")))


async def answer_place(gateway: Host, person: PersonView, text: str) -> bool:
    """After "where?": a place (or "online") completes the waiting search; else Rasa goes on."""
    waiting = _pending(gateway).pop(person.pseudonym, None)
    if waiting is None or time.monotonic() - waiting[1] > ASK_PLACE_MINUTES * 60:
        return False
    answer = parse(text)
    if answer.place is None and not answer.online:
        return False
    earlier = waiting[0]
    query = Query(
        kind=answer.kind or earlier.kind,
        topic=answer.topic or earlier.topic,
        place=answer.place,
        online=answer.online,
    )
    await show(gateway, person, query)
    return True


async def detail(gateway: Host, person: PersonView, listing_id: str) -> None:
    """Everything about one listing."""
    lang = person.language
    with session_scope(gateway.settings.database_url) as session:
        listing = session.get(Listing, listing_id)
        text = _detail_text(gateway, listing, lang) if listing and listing.active else None
    # sent after the transaction ends: no database connection waits on Telegram
    if text is None:
        await gateway.say(person.chat_id, "dir_gone", lang, "find_group", "menu")
        return
    buttons = (gateway.texts.button("find_group", lang), gateway.texts.button("menu", lang))
    await gateway.transport.send(Outgoing(person.chat_id, text, buttons))


def _detail_text(gateway: Host, listing: Listing, lang: str) -> str:
    """The detail card of one listing, in the person's language."""
    parts = (listing.address, listing.postcode, listing.municipality)
    address = " ".join(part for part in parts if part)
    return _example_mark(gateway, listing, lang) + gateway.texts.say(
        "dir_detail",
        lang,
        name=listing.name,
        organisation=listing.organisation or "-",
        kind=gateway.texts.say(f"dir_kind_{listing.kind}", lang),
        where=address if not listing.online else gateway.texts.say("dir_online_place", lang),
        schedule=listing.schedule or gateway.texts.say("dir_schedule_unknown", lang),
        reach=_reach(listing),
        languages=", ".join(listing.languages.split("|")),
        topics=", ".join(listing.topics.split("|")),
        description=(
            listing.description_en
            if lang == "en" and listing.description_en
            else listing.description_nl
        )
        or "-",
        verified=_verified(gateway, listing, lang),
    )


async def button(gateway: Host, person: PersonView, data: str) -> None:
    """A `dir:` button: another page, or a detail view; anything malformed is refused."""
    more = parse_more(data)
    if more is not None:
        await show(gateway, person, *more)
        return
    listing_id = parse_detail(data)
    if listing_id is not None:
        await detail(gateway, person, listing_id)
        return
    log.warning("malformed directory callback data refused")


# The feature's declaration (bot.port.Feature).


async def _search_signal(gateway: Host, person: PersonView, custom: Mapping[str, Any]) -> None:
    await search(gateway, person, custom.get("text"))


def _forget(gateway: Host, pseudonym: str) -> None:
    """A search waiting for a place names no one, but it is the person's: it goes too."""
    _pending(gateway).pop(pseudonym, None)


FEATURE = Feature(
    name="directory",
    buttons={"dir:": button},
    signals={"directory_search": _search_signal},
    forget=_forget,
)
