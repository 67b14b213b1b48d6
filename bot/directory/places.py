"""Place names in the Netherlands and Flanders: exact, in other languages, and with typos.

The data lives in `places.csv` next to this module (name, other spellings, municipality,
province, country, approximate coordinates), so a coordinator can add a place without code.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

DATA = Path(__file__).resolve().parent / "places.csv"

# Canonical province names; Limburg exists on both sides of the border, so it carries a country.
PROVINCES_NL = (
    "Groningen",
    "Fryslân",
    "Drenthe",
    "Overijssel",
    "Flevoland",
    "Gelderland",
    "Utrecht",
    "Noord-Holland",
    "Zuid-Holland",
    "Zeeland",
    "Noord-Brabant",
    "Limburg (NL)",
)
PROVINCES_BE = (
    "Antwerpen",
    "Limburg (BE)",
    "Oost-Vlaanderen",
    "West-Vlaanderen",
    "Vlaams-Brabant",
    "Brussel",
)
PROVINCES = PROVINCES_NL + PROVINCES_BE
PROVINCE_ALIASES = {
    "friesland": "Fryslân",
    "fryslan": "Fryslân",
    "brabant": "Noord-Brabant",
    "brussels": "Brussel",
    "bruxelles": "Brussel",
    "oost vlaanderen": "Oost-Vlaanderen",
    "west vlaanderen": "West-Vlaanderen",
    "vlaams brabant": "Vlaams-Brabant",
    "provincie antwerpen": "Antwerpen",
    "nederlands limburg": "Limburg (NL)",
    "belgisch limburg": "Limburg (BE)",
}
FUZZY_CUTOFF = 84  # rapidfuzz ratio; "zwole"→zwolle 91, "gendt"→gent 89, "amsterdm" 94


@dataclass(frozen=True)
class Place:
    """A place and where it lies."""

    name: str
    municipality: str
    province: str
    country: str
    lat: float
    lon: float

    @property
    def key(self) -> str:
        """A short, stable token for callback data: the plain name without spaces."""
        return plain(self.name).replace(" ", "_")[:24]


def plain(text: str) -> str:
    """Lower case, no accents, apostrophes dropped, hyphens and punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare).split())


@dataclass(frozen=True)
class Gazetteer:
    """Every place, indexed by every plain spelling."""

    places: tuple[Place, ...]
    names: dict[str, Place]

    def exact(self, words: str) -> Place | None:
        """The place called exactly this (any spelling), or None."""
        return self.names.get(plain(words))

    def fuzzy(self, words: str, cutoff: float = FUZZY_CUTOFF) -> tuple[Place, float] | None:
        """The closest place name to these words and its score, when close enough."""
        query = plain(words)
        if len(query) < 4:
            return None
        found = process.extractOne(query, self.names.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
        return (self.names[found[0]], found[1]) if found else None

    def by_key(self, key: str) -> Place | None:
        """The place behind `Place.key`, or None."""
        return next((p for p in self.places if p.key == key), None)

    def municipality(self, name: str) -> Place | None:
        """The place for a listing's municipality (a place name, alias or municipality)."""
        wanted = plain(name)
        if not wanted:
            return None
        return self.names.get(wanted) or next(
            (p for p in self.places if plain(p.municipality) == wanted), None
        )


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The places, loaded once."""
    lines = [
        line
        for line in DATA.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    places: list[Place] = []
    names: dict[str, Place] = {}
    for row in csv.DictReader(lines):
        if row["province"] not in PROVINCES:
            raise ValueError(f"places.csv: unknown province {row['province']!r}")
        place = Place(
            row["name"],
            row["municipality"] or row["name"],
            row["province"],
            row["country"],
            float(row["lat"]),
            float(row["lon"]),
        )
        places.append(place)
        spellings = [row["name"], *filter(None, row["aliases"].split("|"))]
        for spelling in spellings:
            names.setdefault(plain(spelling), place)
    for place in places:  # a municipality name finds its main place when no place has it
        names.setdefault(plain(place.municipality), place)
    return Gazetteer(tuple(places), names)


def province(name: str, municipality: str = "") -> str | None:
    """The canonical province for what a coordinator wrote; plain "Limburg" via the town."""
    wanted = plain(name)
    for canonical in PROVINCES:
        if plain(canonical) == wanted:
            return canonical
    if wanted in PROVINCE_ALIASES:
        return PROVINCE_ALIASES[wanted]
    if wanted == "limburg":
        place = gazetteer().municipality(municipality)
        if place is not None and place.province.startswith("Limburg"):
            return place.province
    return None


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))
