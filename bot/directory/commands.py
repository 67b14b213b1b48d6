"""`python -m bot listings ...`: the coordinators' command line for the directory."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.db import session_scope, upgrade
from bot.directory import importer

if TYPE_CHECKING:
    import argparse

    from bot.settings import Settings


def listings_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run one listings action; returns the exit code (1 when an import was refused)."""
    upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        if args.action == "starter":  # national options; examples only without real
            from bot.directory import first_day

            national = importer.import_listings(
                session, first_day.national_csv(), filename="national.csv", by="starter"
            )
            print(f"national options: {len(national.created)} new")
            if first_day.real_listings_exist(session):
                print("examples not loaded: real listings exist (examples never stand beside them)")
            else:
                print(f"examples: {first_day.load_examples(session, by='starter')} new")
            return 0
        if args.action == "import":
            path = Path(args.file)
            if not path.is_file():
                print(f"no such file: {path}", file=sys.stderr)
                return 1
            started = time.perf_counter()
            report = importer.import_listings(
                session,
                path.read_bytes(),
                filename=path.name,
                by=getattr(args, "by", "starter"),
                dry_run=getattr(args, "dry_run", False),
            )
            for line in report.lines():
                print(line, file=sys.stdout if report.ok else sys.stderr)
            print(f"({time.perf_counter() - started:.2f} s)")
            return 0 if report.ok else 1
        if args.action == "export":
            content = importer.export_csv(session)
            if args.file:
                Path(args.file).write_text(content, encoding="utf-8")
                print(f"wrote {args.file}")
            else:
                sys.stdout.write(content)
        elif args.action == "list":
            rows = importer.all_listings(session)
            for item in rows:
                where = "online" if item.online else f"{item.municipality} ({item.province})"
                state = "" if item.active else "  [archived]"
                verified = item.last_verified or "never verified"
                print(f"{item.id}\t{item.kind}\t{where}\t{verified}\t{item.name}{state}")
            if not rows:
                print("no listings yet: python -m bot listings starter, or import a file")
        elif args.action == "archive":
            if importer.archive(session, args.id, by=args.by) is None:
                print(f"no listing {args.id}", file=sys.stderr)
                return 1
            print(f"archived {args.id}")
        elif args.action == "stale":
            rows = importer.stale(session)
            for item in rows:
                print(f"{item.id}\t{item.last_verified or 'never verified'}\t{item.name}")
            print(f"{len(rows)} listing(s) not verified for twelve months")
    return 0
