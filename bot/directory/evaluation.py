"""`make eval` for the directory: top-3 hit rate of search on a labelled set of questions.

Each question in `tests/data/directory_queries.csv` names the listing ids that count as a good
answer (any one of them in the first three results is a hit), or `ask_place` when the right
answer is to ask where. Searched against the starter data in a throwaway database.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bot.db import session_scope, upgrade
from bot.directory.importer import import_listings
from bot.directory.search import find, parse
from bot.settings import ROOT

QUERIES = ROOT / "tests" / "data" / "directory_queries.csv"
BLIND_QUERIES = ROOT / "tests" / "data" / "directory_queries_blind.csv"
TARGET_HIT_RATE = 0.95


@dataclass
class SearchReport:
    """Hits, questions, and the ones that went wrong."""

    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def hit_rate(self) -> float:
        """Share of questions with a good answer in the top three."""
        return self.hits / self.total if self.total else 0.0


def evaluate_search(queries: Path = QUERIES, listings: bytes | None = None) -> SearchReport:
    """Import the listings (examples and national options) into a fresh database and search."""
    from bot.directory.first_day import starter_csv

    listings = starter_csv() if listings is None else listings
    report = SearchReport()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'eval.db'}"
        upgrade(url)
        with session_scope(url) as session:
            loaded = import_listings(session, listings, by="eval")
            assert loaded.ok, loaded.lines()
            with queries.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    results = find(session, parse(row["query"]))
                    expected = set(row["expected"].split("|"))
                    got = (
                        ["ask_place"]
                        if results.fallback == "ask_place"
                        else [item.id for item in results.listings]
                    )
                    report.total += 1
                    if expected & set(got):
                        report.hits += 1
                    else:
                        report.misses.append(
                            f"{row['query']!r}: got {got or results.fallback}, "
                            f"expected {row['expected']}"
                        )
    return report


def print_report(report: SearchReport) -> None:
    """Print the hit rate and the misses."""
    print(f"directory search: {report.total} questions (nl and en, with typos)")
    print(
        f"  top-3 hit rate: {report.hits}/{report.total} = {report.hit_rate:.1%}"
        f" (target at least {TARGET_HIT_RATE:.0%})"
    )
    for miss in report.misses:
        print(f"    MISS: {miss}")
