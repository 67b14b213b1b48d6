"""Whether a person lives in the Netherlands or Flanders, so crisis lines fit where they are.

Inferred from what they say (a country, region or larger town), or chosen with /land; kept
once known. While unknown, the crisis reply gives the lines of both countries.
"""

from __future__ import annotations

import re
import unicodedata

PLACES = {
    "BE": {
        "belgie",
        "belgium",
        "vlaanderen",
        "flanders",
        "vlaams",
        "brussel",
        "brussels",
        "antwerpen",
        "antwerp",
        "gent",
        "ghent",
        "leuven",
        "brugge",
        "bruges",
        "hasselt",
        "mechelen",
        "kortrijk",
        "oostende",
        "aalst",
        "genk",
        "sint-niklaas",
        "roeselare",
        "turnhout",
        "lier",
        "geel",
        "ieper",
        "dendermonde",
    },
    "NL": {
        "nederland",
        "netherlands",
        "holland",
        "amsterdam",
        "rotterdam",
        "utrecht",
        "den haag",
        "eindhoven",
        "groningen",
        "zwolle",
        "tilburg",
        "almere",
        "breda",
        "nijmegen",
        "arnhem",
        "maastricht",
        "leiden",
        "haarlem",
        "enschede",
        "apeldoorn",
        "amersfoort",
        "den bosch",
        "leeuwarden",
        "deventer",
        "delft",
        "dordrecht",
    },
}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def infer_country(text: str) -> str | None:
    """Return "BE" or "NL" when the text names one country's places only, else None."""
    plain = _plain(text)
    found = {
        country
        for country, places in PLACES.items()
        if any(re.search(rf"\b{re.escape(place)}\b", plain) for place in places)
    }
    return found.pop() if len(found) == 1 else None
