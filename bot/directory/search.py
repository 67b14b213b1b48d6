"""From a message to listings: what kind, which topic, where (or online), nearest first.

`parse` reads a free-text question; `find` searches the listings and says honestly which
fallback it took: the place itself, else the nearest in the same province, else online.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from bot.directory.importer import KINDS, TOPICS  # noqa: F401 (re-exported)
from bot.directory.places import Place, distance_km, gazetteer, plain
from bot.directory.words import (
    AMBIGUOUS,
    KIND_WORDS,
    NEAR_WORDS,
    NOT_PLACES,
    ONLINE_WORDS,
    RELATED,
    TOPIC_WORDS,
)
from bot.models import Listing

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PAGE_SIZE = 3


@dataclass(frozen=True)
class Query:
    """What a person asked for."""

    kind: str | None = None
    topic: str | None = None
    place: Place | None = None
    online: bool = False


@dataclass
class Results:
    """One page of results and how they were found.

    `fallback` is "place" (in the place asked), "province" (nearest in the same province),
    "online" (nothing nearby: online options), "none" (nothing at all), or "ask_place".
    """

    query: Query
    fallback: str
    listings: list[Listing] = field(default_factory=list)
    total: int = 0
    page: int = 0

    @property
    def more(self) -> bool:
        """Whether another page exists."""
        return (self.page + 1) * PAGE_SIZE < self.total


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) is not None


def _first(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    hits = [
        (text.find(phrase) if _has(text, phrase) else -1, key)
        for key, phrases in table.items()
        for phrase in phrases
    ]
    found = [(pos, key) for pos, key in hits if pos >= 0]
    return min(found)[1] if found else None


def _vocabulary() -> set[str]:
    words = set(NOT_PLACES)
    for phrases in (*KIND_WORDS.values(), *TOPIC_WORDS.values(), ONLINE_WORDS):
        for phrase in phrases:
            words.update(phrase.split())
    return words


VOCABULARY = _vocabulary()


def find_place(text: str) -> Place | None:
    """The place a message names: exactly (any language) first, then allowing typos."""
    words = plain(text).split()
    places = gazetteer()
    best: tuple[float, int, Place] | None = None  # (score, length, place)
    for size in (4, 3, 2, 1):
        for start in range(len(words) - size + 1):
            gram = words[start : start + size]
            phrase = " ".join(gram)
            after_near = start > 0 and words[start - 1] in NEAR_WORDS
            alone = size == len(words)
            exact = places.exact(phrase)
            if exact is not None:
                if size == 1 and phrase in AMBIGUOUS and not (after_near or alone):
                    continue
                candidate = (100.0 + size, size, exact)
            elif any(w in VOCABULARY or w in NEAR_WORDS for w in gram) or len(phrase) < 4:
                continue
            else:
                fuzzy = places.fuzzy(phrase)
                if fuzzy is None:
                    continue
                place, score = fuzzy
                if plain(place.name) in AMBIGUOUS and not (after_near or alone):
                    continue
                candidate = (score + (3 if after_near else 0), size, place)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else None


def parse(text: str) -> Query:
    """Kind, topic, place and whether online is wanted, from a free-text question."""
    bare = plain(text)
    kind = _first(bare, KIND_WORDS)
    online = any(_has(bare, w) for w in ONLINE_WORDS)
    topic = _first(bare, TOPIC_WORDS)
    return Query(kind=kind, topic=topic, place=find_place(text), online=online)


def _fits(listing: Listing, query: Query, kinds: tuple[str, ...] | None) -> bool:
    if kinds is not None and listing.kind not in kinds:
        return False
    if query.topic is not None:
        topics = listing.topics.split("|")
        return query.topic in topics or "algemeen" in topics
    return True


def _rank(listing: Listing, query: Query) -> tuple[int, int]:
    """Exact kind before a related kind, the asked topic before a general group."""
    kind_rank = 0 if query.kind in (None, listing.kind) else 1
    wanted = query.topic or "algemeen"  # without a topic, general groups first
    topic_rank = 0 if wanted in listing.topics.split("|") else 1
    return kind_rank, topic_rank


def _kinds(query: Query) -> list[tuple[str, ...] | None]:
    """The kinds to try in turn: the asked one, then related ones."""
    if query.kind is None or query.kind == "online":
        return [None]
    return [(query.kind,), (query.kind, *RELATED.get(query.kind, ()))]


def find(session: Session, query: Query, page: int = 0) -> Results:
    """Listings for a query, three per page, with the fallback that was needed."""
    wanted = select(Listing).where(Listing.active.is_(True))
    if query.place is not None and not query.online:  # only the province and online matter
        wanted = wanted.where(
            or_(Listing.online.is_(True), Listing.province == query.place.province)
        )
    else:
        wanted = wanted.where(Listing.online.is_(True))
    listings = list(session.scalars(wanted.order_by(Listing.id)))
    online = [item for item in listings if item.online]
    places = gazetteer()

    def paged(found: list[Listing], fallback: str) -> Results:
        start = max(page, 0) * PAGE_SIZE
        return Results(query, fallback, found[start : start + PAGE_SIZE], len(found), page)

    def online_for(kinds: tuple[str, ...] | None) -> list[Listing]:
        found = [item for item in online if _fits(item, query, kinds)]
        return sorted(found, key=lambda item: (_rank(item, query), item.name))

    if query.online or query.kind == "online":
        for kinds in [*_kinds(query), None]:
            found = online_for(kinds)
            if found:
                return paged(found, "place" if query.online else "online")
        return paged([], "none")
    if query.place is None:
        return Results(query, "ask_place")
    here = query.place
    local = [item for item in listings if not item.online]
    names = {plain(here.municipality), plain(here.name)}
    for kinds in _kinds(query):
        in_place = [
            item
            for item in local
            if _fits(item, query, kinds) and plain(item.municipality) in names
        ]
        if in_place:
            return paged(sorted(in_place, key=lambda i: (_rank(i, query), i.name)), "place")
    for kinds in _kinds(query):
        in_province = [
            item for item in local if item.province == here.province and _fits(item, query, kinds)
        ]

        def distance(item: Listing) -> float:
            there = places.municipality(item.municipality)
            return distance_km(here, there) if there is not None else 1000.0

        if in_province:
            return paged(
                sorted(in_province, key=lambda i: (distance(i), _rank(i, query))), "province"
            )
    for kinds in [*_kinds(query), None]:
        found = online_for(kinds)
        if found:
            return paged(found, "online")
    return paged([], "none")
