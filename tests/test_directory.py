"""Directory import, export, archive and stale: what a coordinator would notice."""

from __future__ import annotations

import datetime as dt
import json

from bot.cli import main
from bot.directory import importer
from bot.directory.first_day import starter_csv
from bot.models import Listing, ListingChange

HEADER = ",".join(importer.HEADER)
GOOD = [
    "x-zwolle,Herstelgroep Zwolle,Org,herstelgroep,Zwolle,Overijssel,Straat 1,8011 AB,nee,nl,"
    "algemeen,di 19:30,038 123 45 67,,https://example.org,Samen,Together,2026-01-10,ja",
    "x-gent,WRAP Gent,Org,wrap,Gent,Oost-Vlaanderen,,9000,nee,nl|en,depressie|angst,,,"
    "wrap@example.org,,,,10-02-2026,ja",
    "x-online,Online groep,Org,lotgenotengroep,,,,,ja,nl,psychose,do 20:00,,,"
    "www.example.org,,,,",
]


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def load(db, content: bytes, **kwargs) -> importer.Report:
    with db() as session:
        return importer.import_listings(session, content, by=kwargs.pop("by", "tester"), **kwargs)


def listings(db) -> dict[str, Listing]:
    with db() as session:
        return {item.id: item for item in session.query(Listing)}


def test_valid_file_is_imported_with_clean_values_and_recorded(db):
    report = load(db, csv_file(*GOOD))
    assert report.ok and sorted(report.created) == ["x-gent", "x-online", "x-zwolle"]
    stored = listings(db)
    assert stored["x-zwolle"].province == "Overijssel" and stored["x-zwolle"].online is False
    assert stored["x-gent"].last_verified == dt.date(2026, 2, 10)  # Dutch date order
    assert stored["x-gent"].topics == "depressie|angst" and stored["x-gent"].languages == "nl|en"
    assert stored["x-online"].online is True and stored["x-online"].website.startswith("https://")
    with db() as session:
        change = session.query(ListingChange).filter_by(listing_id="x-zwolle").one()
        assert change.action == "created" and change.changed_by == "tester"
        assert json.loads(change.details)["fields"]["name"] == "Herstelgroep Zwolle"


def test_semicolon_file_from_excel_with_bom_and_crlf(db):
    rows = [row.replace(",", ";") for row in GOOD]
    content = b"\xef\xbb\xbf" + (
        "\r\n".join([HEADER.replace(",", ";"), *rows]) + "\r\n;;;\r\n"
    ).encode("utf-8")
    report = load(db, content)
    assert report.ok, report.lines()
    assert len(report.created) == 3
    assert listings(db)["x-zwolle"].name == "Herstelgroep Zwolle"  # no BOM in the first field


def test_excel_text_in_another_encoding_is_refused_with_advice(db):
    content = csv_file(GOOD[0].replace("Samen", "Café")).decode().encode("cp1252")
    report = load(db, content)
    assert not report.ok and "CSV UTF-8" in report.errors[0][1]


def test_yaml_file_is_imported(db):
    content = b"""
- id: y-leuven
  name: HerstelAcademie Leuven
  kind: herstelacademie
  municipality: Leuven
  online: false
  topics: [algemeen]
  email: info@example.org
  last_verified: 2026-03-01
"""
    report = load(db, content, filename="lijst.yml")
    assert report.ok, report.lines()
    assert listings(db)["y-leuven"].province == "Vlaams-Brabant"  # from the place list


BAD_ROWS = {
    "id": ("Bad Id!", "id"),
    "kind": ("x-1,Naam,Org,wrapp", "kind 'wrapp'"),
    "province": ("x-1,Naam,Org,wrap,Zwolle,Overijsel", "province 'Overijsel'"),
    "limburg": ("x-1,Naam,Org,wrap,Nergensdorp,Limburg", "Limburg (NL) or Limburg (BE)"),
    "online": ("x-1,Naam,Org,wrap,Zwolle,Overijssel,,,misschien", "online must be ja/nee"),
    "topic": ("x-1,Naam,Org,wrap,Zwolle,Overijssel,,,nee,nl,geluk", "unknown topic"),
    "language": ("x-1,Naam,Org,wrap,Zwolle,Overijssel,,,nee,xx", "unknown language"),
    "postcode": ("x-1,Naam,Org,wrap,Zwolle,Overijssel,,ABC,nee", "postcode"),
    "email": ("x-1,Naam,Org,wrap,Zwolle,Overijssel,,,,,,,,geen-mail", "email"),
    "phone": ("x-1,Naam,Org,wrap,Zwolle,Overijssel,,,,,,,bel me,a@b.nl", "phone"),
    "website": ("x-1,Naam,Org,wrap,Zwolle,Overijssel,,,,,,,,,ftp:/x", "website"),
    "contact": ("x-1,Naam,Org,wrap,Zwolle,Overijssel", "no way to reach them"),
    "date": ("x-1,Naam,Org,wrap,Zwolle,Overijssel,,,,,,,,a@b.nl,,,,gisteren", "last_verified"),
    "future": ("x-1,Naam,Org,wrap,Zwolle,Overijssel,,,,,,,,a@b.nl,,,,2099-01-01", "future"),
    "place": ("x-1,Naam,Org,wrap,,,,,nee,,,,,a@b.nl", "municipality is missing"),
    "name": ("x-1,,Org,wrap,Zwolle,Overijssel,,,,,,,,a@b.nl", "name is missing"),
    "cells": ("x-1,Naam,Org,wrap" + ",x" * 20, "cells but the header"),
    "active": ("x-1,Naam,Org,wrap,Zwolle,Overijssel,,,,,,,,a@b.nl,,,,,soms", "active"),
}


def test_each_kind_of_bad_row_is_reported_with_line_and_reason(db):
    for name, (row, reason) in BAD_ROWS.items():
        report = load(db, csv_file(GOOD[0], row))
        assert not report.ok, name
        assert any(line == 3 and reason in why for line, why in report.errors), (
            name,
            report.errors,
        )
    assert listings(db) == {}


def test_duplicate_id_unknown_column_and_empty_file_are_refused(db):
    dup = load(db, csv_file(GOOD[0], GOOD[0]))
    assert dup.errors == [(3, "id 'x-zwolle' is already used on line 2")]
    unknown = load(db, csv_file(GOOD[0], header=HEADER + ",extra"))
    assert "unknown column(s): extra" in unknown.errors[0][1]
    assert load(db, b"").errors and load(db, csv_file()).errors


def test_half_bad_file_changes_nothing_and_reports_every_bad_row(db):
    load(db, csv_file(GOOD[0]))
    before = listings(db)["x-zwolle"].name
    changed = GOOD[0].replace("Herstelgroep Zwolle", "Nieuwe naam")
    report = load(db, csv_file(changed, GOOD[1], "x-bad,,Org,wrapp", GOOD[2], "Bad!,x,y,z"))
    assert not report.ok
    assert {line for line, _ in report.errors} == {4, 6}
    assert set(listings(db)) == {"x-zwolle"} and listings(db)["x-zwolle"].name == before


def test_reimport_upserts_by_id_and_records_what_changed(db):
    load(db, csv_file(*GOOD))
    changed = GOOD[0].replace("di 19:30", "wo 20:00")
    report = load(db, csv_file(changed, GOOD[1]), by="coordinator A")
    assert report.updated == ["x-zwolle"] and report.unchanged == ["x-gent"]
    assert listings(db)["x-zwolle"].schedule == "wo 20:00" and len(listings(db)) == 3
    with db() as session:
        update = importer.changes(session, "x-zwolle")[-1]
        assert update.action == "updated" and update.changed_by == "coordinator A"
        assert json.loads(update.details) == {"schedule": ["di 19:30", "wo 20:00"]}


def test_dry_run_reports_but_changes_nothing(db):
    report = load(db, csv_file(*GOOD), dry_run=True)
    assert report.ok and len(report.created) == 3 and "dry run" in report.lines()[0]
    assert listings(db) == {}


def test_archive_hides_and_is_recorded(db):
    load(db, csv_file(*GOOD))
    with db() as session:
        assert importer.archive(session, "x-gent", by="lead") is not None
        assert importer.archive(session, "nope", by="lead") is None
    assert listings(db)["x-gent"].active is False
    with db() as session:
        assert [c.action for c in importer.changes(session, "x-gent")] == ["created", "archived"]
        active = importer.all_listings(session, include_archived=False)
        assert "x-gent" not in {i.id for i in active}


def test_stale_lists_listings_not_verified_for_twelve_months(db):
    load(db, csv_file(*GOOD))  # x-online was never verified
    with db() as session:
        stale = importer.stale(session, today=dt.date(2027, 1, 20))
    assert [item.id for item in stale] == ["x-online", "x-zwolle"]  # x-gent: 10-02-2026


def test_export_round_trips(db):
    load(db, csv_file(*GOOD))
    with db() as session:
        exported = importer.export_csv(session)
    assert exported.splitlines()[0] == HEADER
    report = load(db, exported.encode())
    assert report.ok and len(report.unchanged) == 3


def test_starter_data_is_valid_and_clearly_labelled(db):
    report = load(db, starter_csv())
    assert report.ok and not report.warnings and len(report.created) >= 30
    for item in listings(db).values():
        if item.id.startswith("vb-"):
            assert item.name.startswith("Voorbeeld: ") and "VOORBEELD" in item.description_nl
            assert "EXAMPLE" in item.description_en
        assert item.last_verified is None  # nobody has checked them yet: shown honestly
    assert sum(item.online for item in listings(db).values()) >= 5


def test_cli_import_list_archive_stale_export(settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("PSEUDONYM_SECRET", "test-secret")
    monkeypatch.setenv("RASA_AUTH_TOKEN", "test-token")
    path = tmp_path / "lijst.csv"
    path.write_bytes(csv_file(*GOOD))
    assert main(["listings", "import", str(path), "--dry-run"]) == 0
    assert "dry run" in capsys.readouterr().out
    assert main(["listings", "import", str(path), "--by", "Anna"]) == 0
    assert "3 new" in capsys.readouterr().out
    assert main(["listings", "archive", "x-gent"]) == 0
    assert main(["listings", "archive", "nope"]) == 1
    assert main(["listings", "list"]) == 0
    assert "[archived]" in capsys.readouterr().out
    assert main(["listings", "stale"]) == 0
    assert "not verified for twelve months" in capsys.readouterr().out
    out = tmp_path / "out.csv"
    assert main(["listings", "export", str(out)]) == 0
    assert out.read_text().splitlines()[0] == HEADER
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file("x-1,,Org,wrapp"))
    assert main(["listings", "import", str(bad)]) == 1
    assert "line 2: name is missing" in capsys.readouterr().err
