"""Listings in the console: one row from a form, Excel files, and a per-row dry-run preview.

Everything goes through the directory importer (`bot/directory/importer.py`): a form is one
CSV row and an .xlsx sheet is turned into CSV, so the checks and their messages are exactly
those of a file sent to the bot, and saving is all or nothing as there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.directory import importer
from bot.models import Listing

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

XLSX_MAGIC = b"PK\x03\x04"


def row_csv(values: dict[str, str]) -> bytes:
    """One listing as a CSV file with the import's header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(importer.HEADER)
    writer.writerow([(values.get(name) or "").strip() for name in importer.HEADER])
    return out.getvalue().encode("utf-8")


def listing_values(listing: Listing) -> dict[str, str]:
    """A stored listing as the strings of the form (and of the export)."""
    values = {}
    for name in importer.HEADER:
        value = getattr(listing, name)
        if isinstance(value, bool):
            value = "ja" if value else "nee"
        values[name] = "" if value is None else str(value)
    return values


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a postcode or phone Excel stored as a number
    return str(value).replace("\r\n", " ").replace("\n", " ")


def xlsx_to_csv(content: bytes) -> bytes:
    """The first sheet of an .xlsx as CSV; row numbers stay Excel's (empty rows kept)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise importer.FileProblem("this is not an Excel .xlsx file that can be read") from error
    try:
        sheet = book.worksheets[0]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in sheet.iter_rows(values_only=True):
            writer.writerow([_cell(value) for value in row])
    finally:
        book.close()
    return out.getvalue().encode("utf-8")


def as_csv(content: bytes, filename: str) -> tuple[bytes, str]:
    """An uploaded file as the importer reads it: .xlsx becomes CSV; CSV and YAML stay."""
    if filename.lower().endswith(".xlsx") or content.startswith(XLSX_MAGIC):
        return xlsx_to_csv(content), "upload.csv"
    return content, filename


@dataclass
class PreviewRow:
    """What one row of an upload would do."""

    line: int
    listing_id: str
    name: str
    outcome: str  # new | changed | unchanged | refused
    changes: list[str] = field(default_factory=list)  # field names that would change
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Preview:
    """A dry run: per row, and problems with the file as a whole."""

    rows: list[PreviewRow] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether saving would change anything at all (all or nothing)."""
        return not self.file_problems and all(r.outcome != "refused" for r in self.rows)

    def count(self, outcome: str) -> int:
        """Rows with this outcome."""
        return sum(1 for r in self.rows if r.outcome == outcome)


def preview(session: Session, content: bytes, filename: str) -> Preview:
    """Per row what the import would create, change or refuse; nothing is written."""
    result = Preview()
    try:
        rows = importer.read_rows(content, filename)
    except importer.FileProblem as problem:
        result.file_problems.append(str(problem))
        return result
    if not rows:
        result.file_problems.append("no listings in the file")
        return result
    if len(rows) > importer.MAX_ROWS:
        result.file_problems.append(f"more than {importer.MAX_ROWS} rows; split the file")
        return result
    checked = [(line, raw, *importer.validate(raw)) for line, raw in rows]
    ids = [values.get("id") for _line, _raw, values, _e, _n in checked if values.get("id")]
    found = session.scalars(select(Listing).where(Listing.id.in_(ids)))
    existing = {item.id: item for item in found}
    seen: dict[str, int] = {}
    for line, raw, values, errors, notes in checked:
        listing_id = values.get("id") or (raw.get("id") or "")
        errors = list(errors)
        if listing_id in seen:
            errors.append(f"id {listing_id!r} is already used on line {seen[listing_id]}")
        elif listing_id:
            seen[listing_id] = line
        row = PreviewRow(
            line,
            listing_id,
            values.get("name") or raw.get("name") or "",
            "",
            reasons=errors,
            notes=list(notes),
        )
        if errors:
            row.outcome = "refused"
        elif (stored := existing.get(listing_id)) is None:
            row.outcome = "new"
        else:
            row.changes = [k for k, v in values.items() if getattr(stored, k) != v]
            row.outcome = "changed" if row.changes else "unchanged"
        result.rows.append(row)
    return result
