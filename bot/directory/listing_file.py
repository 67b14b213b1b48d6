"""Coordinators' listings files, read: CSV as Dutch Excel writes it, or YAML; the header checked.

A file is CSV (comma or semicolon separated; UTF-8 with or without a byte-order mark) or YAML
(a list of mappings with the same field names). What the rows mean is checked afterwards, row
by row (`bot.directory.importer.validate`).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import yaml

HEADER = (
    "id",
    "name",
    "organisation",
    "kind",
    "municipality",
    "province",
    "address",
    "postcode",
    "online",
    "languages",
    "topics",
    "schedule",
    "phone",
    "email",
    "website",
    "description_nl",
    "description_en",
    "last_verified",
    "active",
)
REQUIRED_COLUMNS = ("id", "name", "kind")


class FileProblem(ValueError):
    """The file as a whole cannot be read (encoding, header, format)."""


def read_rows(content: bytes, filename: str = "") -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV or YAML file with the line (CSV) or item number (YAML) of each."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(
            "the file is not UTF-8; in Excel choose 'CSV UTF-8' when saving"
        ) from error
    if filename.lower().endswith((".yml", ".yaml")):
        return _yaml_rows(text)
    return _csv_rows(text)


def _yaml_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FileProblem(f"not valid YAML: {error}") from error
    if isinstance(data, dict) and isinstance(data.get("listings"), list):
        data = data["listings"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise FileProblem("YAML must be a list of listings (one mapping each)")
    rows = []
    for number, item in enumerate(data, start=1):
        row = {str(k): _yaml_value(v) for k, v in item.items()}
        rows.append((number, row))
    _check_columns(rows[0][1].keys() if rows else HEADER)
    return rows


def _yaml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return str(value)


def _csv_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration as error:
        raise FileProblem("the file is empty") from error
    _check_columns(header)
    rows = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # Excel leaves empty lines (;;;;) at the end
        if len(cells) > len(header):
            rows.append(
                (
                    line,
                    {
                        "__error__": f"{len(cells)} cells but the header has "
                        f"{len(header)} (a separator inside a value?)"
                    },
                )
            )
            continue
        rows.append((line, dict(zip(header, [c.strip() for c in cells], strict=False))))
    return rows


def _check_columns(columns: Any) -> None:
    names = [c for c in columns if c]
    unknown = sorted(set(names) - set(HEADER))
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if unknown:
        raise FileProblem(
            f"unknown column(s): {', '.join(unknown)}; the header is " f"{','.join(HEADER)}"
        )
    if missing:
        raise FileProblem(f"missing column(s): {', '.join(missing)}")
