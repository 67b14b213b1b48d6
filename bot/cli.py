"""Command line: run the services, train, migrate, manage peers, evaluate.

python -m bot run                        everything (what `make run` calls)
python -m bot serve rasa|actions|gateway|console  one process (what docker-compose calls)
python -m bot train | migrate
python -m bot peers add ID --name NAME [--role peer|coordinator]
python -m bot peers remove ID | list
python -m bot eval                       crisis-detector recall and false alarms
python -m bot listings import FILE [--dry-run] [--by NAME] | export [FILE] | list
python -m bot listings archive ID [--by NAME] | stale | starter   (the referral directory)
python -m bot eval --nlu [--folds 5] [--epochs N]  blind intent set, then cross-validated NLU
python -m bot eval --blind               only the blind intent set (per language, quick)
"""

from __future__ import annotations

import argparse
import sys

from bot.logs import setup_logging
from bot.settings import SettingsError, get_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Herstelgids")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start Rasa, the action server and the gateway")
    serve = sub.add_parser("serve", help="start one process")
    serve.add_argument("service", choices=["rasa", "actions", "gateway", "console"])
    sub.add_parser("train", help="train the Rasa model and the crisis model if their data changed")
    sub.add_parser("migrate", help="bring the database schema up to date")
    sub.add_parser("purge", help="delete conversation data older than RETENTION_DAYS")
    peers = sub.add_parser("peers", help="register peer workers and coordinators")
    peer_sub = peers.add_subparsers(dest="action", required=True)
    add = peer_sub.add_parser("add", help="register (or update) a Telegram user id")
    add.add_argument("telegram_user_id", type=int)
    add.add_argument(
        "--name", required=True, help="display name shown to the people they talk with"
    )
    add.add_argument("--role", choices=["peer", "coordinator"], default="peer")
    remove = peer_sub.add_parser("remove", help="unregister a Telegram user id")
    remove.add_argument("telegram_user_id", type=int)
    peer_sub.add_parser("list", help="list registered peers and coordinators")
    evaluate = sub.add_parser("eval", help="measure the crisis detector on the labelled set")
    # NLU cross-validation: slow (trains DIET once per fold), so only on request.
    evaluate.add_argument("--nlu", action="store_true", help="cross-validated NLU report instead")
    evaluate.add_argument("--blind", action="store_true", help="only the blind intent set")
    evaluate.add_argument("--folds", type=int, default=5, help="folds for --nlu")
    evaluate.add_argument("--epochs", type=int, help="DIET epochs for a quick --nlu run")
    evaluate.add_argument(
        "--variants", action="store_true", help="measure every semantic crisis variant"
    )
    # --- Referral directory ---------------------------------------------------------
    listings = sub.add_parser("listings", help="the referral directory (groups and places)")
    listing_sub = listings.add_subparsers(dest="action", required=True)
    load = listing_sub.add_parser("import", help="import a CSV or YAML file (all or nothing)")
    load.add_argument("file")
    load.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
    load.add_argument("--by", default="cli", help="who makes the change (recorded)")
    export = listing_sub.add_parser("export", help="write every listing as CSV")
    export.add_argument("file", nargs="?", help="file to write (default: the terminal)")
    listing_sub.add_parser("list", help="list the listings")
    archive = listing_sub.add_parser("archive", help="hide a listing from searches")
    archive.add_argument("id")
    archive.add_argument("--by", default="cli", help="who makes the change (recorded)")
    listing_sub.add_parser("stale", help="listings not verified for twelve months")
    listing_sub.add_parser("starter", help="national options; examples while no real listing")
    # --- end of referral directory ------------------------------------------------------------
    health = sub.add_parser("health", help="exit 0 when a process can do its work")
    health.add_argument("service", choices=["rasa", "actions", "gateway", "console"])
    return parser


def _peers(args: argparse.Namespace) -> int:
    from bot import store
    from bot.db import session_scope, upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        if args.action == "add":
            peer = store.add_peer(
                session,
                telegram_user_id=args.telegram_user_id,
                display_name=args.name,
                role=args.role,
            )
            print(f"registered {peer.telegram_user_id} as {peer.role} '{peer.display_name}'")
        elif args.action == "remove":
            if not store.remove_peer(session, telegram_user_id=args.telegram_user_id):
                print(f"{args.telegram_user_id} is not registered", file=sys.stderr)
                return 1
            print(f"removed {args.telegram_user_id}")
        else:
            rows = store.list_peers(session)
            for peer in rows:
                duty = "on duty" if peer.on_duty else "off duty"
                print(f"{peer.telegram_user_id}\t{peer.role}\t{peer.display_name}\t{duty}")
            if not rows:
                print("no peers registered yet: python -m bot peers add ID --name NAME")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = get_settings()
    except SettingsError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    process = args.service if args.command == "serve" else args.command
    setup_logging("gateway" if process in {"run", "gateway"} else process, settings.log_level)
    if args.command == "run":
        from bot.services import run_all

        run_all(settings)
    elif args.command == "serve":
        from bot import services

        {
            "rasa": services.serve_rasa,
            "actions": services.serve_actions,
            "gateway": services.serve_gateway,
            "console": services.serve_console,
        }[args.service](settings)
    elif args.command == "train":
        from bot.crisis.model_file import ensure_model as ensure_crisis_model
        from bot.model import ensure_model

        print(ensure_model(settings.model_dir))
        print(ensure_crisis_model(settings.model_dir))
    elif args.command == "migrate":
        from bot.db import upgrade

        upgrade(settings.database_url)
    elif args.command == "purge":
        from bot import privacy
        from bot.db import session_scope, upgrade

        upgrade(settings.database_url)
        with session_scope(settings.database_url) as session:
            counts = privacy.purge(
                session, settings.tracker_database_url, days=settings.retention_days
            )
        print(", ".join(f"{kind}: {n}" for kind, n in counts.items()))
    elif args.command == "health":
        from bot.services import healthy

        return 0 if healthy(args.service, settings) else 1
    elif args.command == "peers":
        return _peers(args)
    elif args.command == "listings":
        from bot.directory.commands import listings_command

        return listings_command(args, settings)
    elif args.command == "eval":
        if args.blind:
            from bot.intent_evaluation import main_blind_intents

            return 0 if main_blind_intents() else 1
        if args.nlu:
            from bot.intent_evaluation import main_nlu

            return main_nlu(folds=args.folds, epochs=args.epochs)
        from bot.evaluate import main as evaluate

        return evaluate(variants=args.variants)
    return 0
