"""Coordinators' files in and out: validate everything first, then change all or nothing.

The file is read by `bot.directory.listing_file` (CSV as Dutch Excel writes it, or YAML); here
each row is validated, then rows are upserted by `id`, and every change is recorded in
`ListingChange` with who made it and what changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.directory.listing_file import HEADER, FileProblem, read_rows
from bot.directory.places import gazetteer, province
from bot.models import Listing, ListingChange, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KINDS = (
    "herstelacademie",
    "zelfregiecentrum",
    "herstelgroep",
    "wrap",
    "lotgenotengroep",
    "inloop",
    "naasten",
    "online",
)
TOPICS = (
    "algemeen",
    "psychose",
    "depressie",
    "angst",
    "verslaving",
    "trauma",
    "bipolair",
    "eetstoornis",
    "autisme",
    "adhd",
    "persoonlijkheid",
    "rouw",
    "burn-out",
)
LANGUAGE_CODES = ("nl", "en", "fr", "de", "ar", "tr", "pl", "uk")
STALE_AFTER_DAYS = 365
MAX_ROWS = 2000
YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "false", "onwaar", "0", ""}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()./-]{2,30}$")
POSTCODE_RE = re.compile(r"^(\d{4} ?[A-Z]{2}|\d{4})$")
LIMITS = {
    "id": 48,
    "name": 200,
    "organisation": 200,
    "municipality": 100,
    "address": 200,
    "schedule": 300,
    "phone": 40,
    "email": 200,
    "website": 300,
    "description_nl": 2000,
    "description_en": 2000,
}


@dataclass
class Report:
    """What an import did, or would do (dry run), and why it refused."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """Whether the import was (or would be) applied."""
        return not self.errors

    def lines(self) -> list[str]:
        """A plain report for a terminal or a chat message."""
        if self.errors:
            out = [f"nothing changed: {len(self.errors)} problem(s)"]
            out += [f"line {line}: {reason}" for line, reason in self.errors]
        else:
            dry = " (dry run: nothing changed)" if self.dry_run else ""
            out = [
                f"{len(self.created)} new, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged{dry}"
            ]
        out += [f"line {line} (note): {reason}" for line, reason in self.warnings]
        return out


# Validating ------------------------------------------------------------------------------------


def _flag(raw: str, name: str, default: bool, errors: list[str]) -> bool:
    value = raw.strip().lower()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    errors.append(f"{name} must be ja/nee (yes/no), not {raw!r}")
    return default


def _date(raw: str, errors: list[str]) -> dt.date | None:
    value = raw.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            day = dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if day > dt.date.today() + dt.timedelta(days=1):
            errors.append(f"last_verified {value} is in the future")
        return day
    errors.append(f"last_verified must be a date like 2026-11-23 or 23-11-2026, not {value!r}")
    return None


def _list(raw: str, allowed: tuple[str, ...], name: str, errors: list[str]) -> list[str]:
    items = [i.strip().lower() for i in re.split(r"[|,;/ ]+", raw) if i.strip()]
    bad = [i for i in items if i not in allowed]
    if bad:
        errors.append(f"unknown {name}: {', '.join(bad)} (known: {', '.join(allowed)})")
    return [i for i in items if i in allowed]


def validate(raw: dict[str, str]) -> tuple[dict[str, Any], list[str], list[str]]:
    """Clean values for a Listing, the errors that block it, and notes that do not."""
    errors: list[str] = []
    notes: list[str] = []
    if "__error__" in raw:
        return {}, [raw["__error__"]], notes
    get = {name: (raw.get(name) or "").strip() for name in HEADER}
    for name, limit in LIMITS.items():
        if len(get[name]) > limit:
            errors.append(f"{name} is longer than {limit} characters")
    if not ID_RE.match(get["id"]):
        errors.append(
            "id is missing or not made of a-z, 0-9, - and _ (at most 48)"
            if not get["id"]
            else f"id {get['id']!r} may only use a-z, 0-9, - and _"
        )
    if not get["name"]:
        errors.append("name is missing")
    kind = get["kind"].lower()
    if kind not in KINDS:
        errors.append(
            f"kind {get['kind']!r} is not one of {', '.join(KINDS)}" if kind else "kind is missing"
        )
    online = _flag(get["online"], "online", kind == "online", errors) or kind == "online"
    prov = ""
    if get["province"]:
        prov = province(get["province"], get["municipality"]) or ""
        if not prov:
            hint = (
                " (write Limburg (NL) or Limburg (BE))"
                if get["province"].lower() == "limburg"
                else ""
            )
            errors.append(f"province {get['province']!r} is not a Dutch or Flemish province{hint}")
    if not online:
        if not get["municipality"]:
            errors.append("municipality is missing (needed unless online is ja)")
        elif gazetteer().municipality(get["municipality"]) is None:
            notes.append(
                f"place {get['municipality']!r} is not in the place list; searches "
                "find it by its province only"
            )
        if not get["province"]:
            place = gazetteer().municipality(get["municipality"])
            if place is None:
                errors.append("province is missing (needed unless online is ja)")
            else:
                prov = place.province
    languages = _list(get["languages"] or "nl", LANGUAGE_CODES, "language", errors)
    topics = _list(get["topics"] or "algemeen", TOPICS, "topic", errors)
    if get["postcode"] and not POSTCODE_RE.match(get["postcode"].upper()):
        errors.append(f"postcode {get['postcode']!r} is neither Dutch (1234 AB) nor Belgian (1234)")
    if get["phone"] and not PHONE_RE.match(get["phone"]):
        errors.append(f"phone {get['phone']!r} is not a phone number")
    if get["email"] and not EMAIL_RE.match(get["email"]):
        errors.append(f"email {get['email']!r} is not an e-mail address")
    website = get["website"]
    if website.lower().startswith("www."):
        website = "https://" + website
    if website and not re.match(r"^https?://[^\s/]+\.[^\s]+$", website, re.IGNORECASE):
        errors.append(f"website {get['website']!r} is not a web address (https://...)")
    if not (get["phone"] or get["email"] or website):
        errors.append("no way to reach them: give a phone, email or website")
    verified = _date(get["last_verified"], errors)
    values = {
        "id": get["id"],
        "name": get["name"],
        "organisation": get["organisation"],
        "kind": kind,
        "municipality": get["municipality"],
        "province": prov,
        "address": get["address"],
        "postcode": get["postcode"].upper(),
        "online": online,
        "languages": "|".join(languages),
        "topics": "|".join(topics),
        "schedule": get["schedule"],
        "phone": get["phone"],
        "email": get["email"],
        "website": website,
        "description_nl": get["description_nl"],
        "description_en": get["description_en"],
        "last_verified": verified,
        "active": _flag(get["active"], "active", True, errors),
    }
    return values, errors, notes


# Applying --------------------------------------------------------------------------------------


def _record(session: Session, listing_id: str, action: str, by: str, details: dict) -> None:
    details_json = json.dumps(details, ensure_ascii=False, default=str)
    session.add(
        ListingChange(
            listing_id=listing_id, action=action, changed_by=by[:100], details=details_json
        )
    )


def import_listings(
    session: Session, content: bytes, *, filename: str = "", by: str, dry_run: bool = False
) -> Report:
    """Validate every row; when all are valid (and not a dry run), upsert them by id."""
    report = Report(dry_run=dry_run)
    try:
        rows = read_rows(content, filename)
    except FileProblem as problem:
        report.errors.append((1, str(problem)))
        return report
    if not rows:
        report.errors.append((1, "no listings in the file"))
        return report
    if len(rows) > MAX_ROWS:
        report.errors.append((1, f"more than {MAX_ROWS} rows; split the file"))
        return report
    seen: dict[str, int] = {}
    clean: list[dict[str, Any]] = []
    for line, raw in rows:
        values, errors, notes = validate(raw)
        if values.get("id") in seen:
            errors.append(f"id {values['id']!r} is already used on line {seen[values['id']]}")
        elif values.get("id"):
            seen[values["id"]] = line
        report.errors += [(line, reason) for reason in errors]
        report.warnings += [(line, note) for note in notes]
        clean.append(values)
    if report.errors:
        return report
    existing = {l.id: l for l in session.scalars(select(Listing).where(Listing.id.in_(seen)))}  # noqa: E741
    for values in clean:
        listing = existing.get(values["id"])
        if listing is None:
            report.created.append(values["id"])
            if not dry_run:
                session.add(Listing(**values, updated_at=utcnow()))
                _record(session, values["id"], "created", by, {"fields": values})
            continue
        changed = {
            k: [getattr(listing, k), v] for k, v in values.items() if getattr(listing, k) != v
        }
        if not changed:
            report.unchanged.append(values["id"])
            continue
        report.updated.append(values["id"])
        if not dry_run:
            for name, (_old, new) in changed.items():
                setattr(listing, name, new)
            listing.updated_at = utcnow()
            _record(session, values["id"], "updated", by, changed)
    session.flush()
    if not dry_run:  # examples never stand beside a real listing
        national = national_ids()
        if any(not is_example(i) and i not in national for i in (*report.created, *report.updated)):
            archive_examples(session)
            session.flush()
    return report


def archive(session: Session, listing_id: str, *, by: str) -> Listing | None:
    """Hide a listing from searches (kept, so the change can be undone by re-importing)."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        return None
    if listing.active:
        listing.active = False
        listing.updated_at = utcnow()
        _record(session, listing_id, "archived", by, {"active": [True, False]})
    return listing


def all_listings(session: Session, *, include_archived: bool = True) -> list[Listing]:
    """Listings ordered by id."""
    query = select(Listing).order_by(Listing.id)
    if not include_archived:
        query = query.where(Listing.active.is_(True))
    return list(session.scalars(query))


def stale(session: Session, *, today: dt.date | None = None) -> list[Listing]:
    """Active listings not verified for twelve months (or never)."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=STALE_AFTER_DAYS)
    return [
        l
        for l in all_listings(session, include_archived=False)  # noqa: E741
        if l.last_verified is None or l.last_verified < cutoff
    ]


def changes(session: Session, listing_id: str) -> list[ListingChange]:
    """The recorded changes of one listing, oldest first."""
    return list(
        session.scalars(
            select(ListingChange)
            .where(ListingChange.listing_id == listing_id)
            .order_by(ListingChange.id)
        )
    )


def export_csv(session: Session) -> str:
    """Every listing as CSV with the import header, so export → edit → import round-trips."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for listing in all_listings(session):
        row = []
        for name in HEADER:
            value = getattr(listing, name)
            if isinstance(value, bool):
                value = "ja" if value else "nee"
            row.append("" if value is None else str(value))
        writer.writerow(row)
    return out.getvalue()


# The first day's examples (bot.directory.first_day) and national options: the examples go as
# soon as a real listing arrives, whoever imports it.
NATIONAL = Path(__file__).resolve().parent / "national.csv"
EXAMPLE_PREFIX = "vb-"
EXAMPLES_GONE_BY = "examples removed: real listings imported"


def is_example(listing_id: str) -> bool:
    """Whether a listing is made-up example data."""
    return listing_id.startswith(EXAMPLE_PREFIX)


def national_ids() -> set[str]:
    """The ids of the national options."""
    lines = NATIONAL.read_text(encoding="utf-8").splitlines()[1:]
    return {line.split(",", 1)[0] for line in lines if line.strip()}


def archive_examples(session: Session) -> int:
    """Take every example out of search (a real listing has arrived); returns how many."""
    examples = session.scalars(
        select(Listing).where(Listing.active.is_(True), Listing.id.startswith(EXAMPLE_PREFIX))
    ).all()
    for listing in examples:
        archive(session, listing.id, by=EXAMPLES_GONE_BY)
    return len(examples)
