"""The directory's first day: real national options, and examples kept apart.

- `national.csv`: the real national options from shared/facts.md (listening lines), with their
  numbers as {placeholders} filled from bot/texts/helplines.yml, so a number lives in one place.
  They start without `last_verified`, until a coordinator checks them. Every installation,
  production included, starts with these.
- `examples.csv`: made-up listings ("Voorbeeld: ...", ids starting with `vb-`) that show what the
  directory can do. They are loaded only on request (`python -m bot listings starter`) or in
  local mode, and only while no real listing exists; every answer marks them as examples; and a
  coordinator's first import of a real listing archives them, so they never stand beside real
  groups in a search.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory import importer
from bot.directory.importer import NATIONAL, is_example, national_ids
from bot.models import Listing

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "examples.csv"
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


def national_csv() -> bytes:
    """national.csv with its numbers filled in from helplines.yml."""
    from bot.texts import catalogue

    helplines = catalogue().helplines
    values = {**helplines.get("placeholders", {}), **helplines.get("listening_lines", {})}
    text = NATIONAL.read_text(encoding="utf-8")
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise KeyError(f"national.csv names numbers helplines.yml lacks: {missing}")
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text).encode("utf-8")


def real_listings_exist(session: Session) -> bool:
    """Whether any listing besides the examples and the national options was ever imported."""
    known = national_ids()
    return any(
        not is_example(listing_id) and listing_id not in known
        for listing_id in session.scalars(select(Listing.id))
    )


def load_examples(session: Session, *, by: str) -> int:
    """Load the example listings, unless real ones exist; returns how many were created."""
    if real_listings_exist(session):
        return 0
    report = importer.import_listings(session, EXAMPLES.read_bytes(), filename="x.csv", by=by)
    return len(report.created)


def template_csv() -> bytes:
    """The listings file a coordinator can start from: the header and one filled-in row."""
    row = {
        "id": "mijn-herstelgroep-1",
        "name": "Herstelgroep (naam)",
        "organisation": "(organisatie)",
        "kind": "herstelgroep",
        "municipality": "Zwolle",
        "province": "Overijssel",
        "online": "nee",
        "languages": "nl",
        "topics": "algemeen",
        "schedule": "dinsdag 19:30",
        "email": "info@example.org",
        "description_nl": "Wat de groep doet, in een paar zinnen.",
        "description_en": "What the group does, in a few sentences.",
        "active": "ja",
    }
    header = ",".join(importer.HEADER)
    line = ",".join(_cell(row.get(name, "")) for name in importer.HEADER)
    return f"{header}\n{line}\n".encode()


def _cell(value: str) -> str:
    return f'"{value}"' if "," in value or '"' in value else value


def starter_csv() -> bytes:
    """Examples and national options in one file (the search evaluation and tests use it)."""
    examples = EXAMPLES.read_text(encoding="utf-8").rstrip("\n")
    national = national_csv().decode("utf-8").split("\n", 1)[1]
    return f"{examples}\n{national}".encode()
