"""The directory in coordinators' chats: files and /aanbod, and the weekly list of stale listings.

A coordinator sends a listings file or `/aanbod` to the bot in a private chat; a person who sends
a file is told kindly that only coordinators can. Once a week (bot.jobs) the coordinators get the
listings whose check is overdue.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot import claims
from bot.db import session_scope
from bot.directory import first_day, importer
from bot.directory.search import find, parse
from bot.models import Peer
from bot.pseudonym import pseudonymise
from bot.texts import TEAM_LANGUAGE

if TYPE_CHECKING:
    from bot.port import Host, Incoming, PersonView

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 1_000_000
MAX_REPORT_LINES = 25
REPORT_CLAIM_SECONDS = 8 * 24 * 3600.0  # a week's report is remembered past its week
FILE_SUFFIXES = (".csv", ".txt", ".yml", ".yaml")


async def refuse_file(gateway: Host, person: PersonView) -> None:
    """Someone who is not a coordinator sent a file: say kindly what the bot can do."""
    log.info("directory file refused for %s (not a coordinator)", person.pseudonym[:8])
    await gateway.say(person.chat_id, "dir_file_refused", person.language, "menu")


async def coordinator_message(gateway: Host, incoming: Incoming, peer: Peer) -> bool:
    """A coordinator's file or /aanbod command; False when it is not directory business."""
    lang = TEAM_LANGUAGE
    chat = incoming.chat_id
    who = f"telegram:{peer.display_name}"
    if incoming.document is not None:
        document = incoming.document
        if not document.name.lower().endswith(FILE_SUFFIXES):
            await gateway.say(chat, "dir_import_not_csv", lang)
            return True
        if document.size > MAX_FILE_BYTES:
            await gateway.say(chat, "dir_import_too_big", lang)
            return True
        content = await document.fetch()
        with session_scope(gateway.settings.database_url) as session:
            report = importer.import_listings(session, content, filename=document.name, by=who)
        log.info(
            "directory import by coordinator %s: %s new, %s updated, %s problems",
            pseudonymise(peer.telegram_user_id, gateway.settings.pseudonym_secret)[:8],
            len(report.created),
            len(report.updated),
            len(report.errors),
        )
        problems = "\n".join(report.lines()[1 : MAX_REPORT_LINES + 1])
        if report.ok:
            await gateway.say(
                chat,
                "dir_import_done",
                lang,
                created=len(report.created),
                updated=len(report.updated),
                unchanged=len(report.unchanged),
                notes=problems,
            )
        else:
            await gateway.say(
                chat, "dir_import_refused", lang, count=len(report.errors), problems=problems
            )
        return True
    text = (incoming.text or "").strip()
    parts = text.split(maxsplit=2)
    if not parts or parts[0].split("@")[0].lower() != "/aanbod":
        return False
    action = parts[1].lower() if len(parts) > 1 else ""
    argument = parts[2].strip() if len(parts) > 2 else ""
    if action in {"zoek", "search"} and argument:
        with session_scope(gateway.settings.database_url) as session:
            results = find(session, parse(argument))
            rows = [f"{i.id} · {i.name} · {i.municipality or 'online'}" for i in results.listings]
            total = results.total
        if not rows:
            await gateway.say(chat, "dir_coord_nothing", lang)
        else:
            await gateway.say(chat, "dir_coord_found", lang, total=total, rows="\n".join(rows))
    elif action in {"archiveer", "archive"} and argument:
        with session_scope(gateway.settings.database_url) as session:
            archived = importer.archive(session, argument.split()[0], by=who) is not None
        key = "dir_coord_archived" if archived else "dir_coord_unknown_id"
        await gateway.say(chat, key, lang, id=argument.split()[0])
    elif action in {"verouderd", "stale"}:
        await send_stale(gateway, [chat])
    else:
        await _usage(gateway, chat)
    return True


async def _usage(gateway: Host, chat: int) -> None:
    """How /aanbod works; on the first day (no real listing yet) how to start, with a template."""
    with session_scope(gateway.settings.database_url) as session:
        first = not first_day.real_listings_exist(session)
    if not first:
        await gateway.say(chat, "dir_coord_usage", TEAM_LANGUAGE)
        return
    await gateway.say(chat, "dir_coord_first_day", TEAM_LANGUAGE)
    caption = gateway.texts.say("dir_coord_template_caption", TEAM_LANGUAGE)
    await gateway.transport.send_file(
        chat, "verwijsgids-sjabloon.csv", first_day.template_csv(), caption
    )


def stale_lines(database_url: str, today: dt.date | None = None) -> list[str]:
    """One line per listing not verified for twelve months."""
    with session_scope(database_url) as session:
        return [
            f"{item.id} · {item.name} · {item.last_verified or '-'}"
            for item in importer.stale(session, today=today)
        ]


async def send_stale(gateway: Host, chats: list[int] | None = None) -> int:
    """Tell coordinators which listings need checking; returns how many are stale."""
    lines = stale_lines(gateway.settings.database_url)
    if chats is None:
        with session_scope(gateway.settings.database_url) as session:
            chats = list(
                session.scalars(select(Peer.telegram_user_id).where(Peer.role == "coordinator"))
            )
    shown = "\n".join(lines[:MAX_REPORT_LINES])
    extra = len(lines) - MAX_REPORT_LINES
    if extra > 0:
        shown += "\n" + gateway.texts.say("dir_stale_and_more", TEAM_LANGUAGE, count=extra)
    for chat in chats:
        if lines:
            await gateway.say(chat, "dir_stale_report", TEAM_LANGUAGE, count=len(lines), rows=shown)
        else:
            await gateway.say(chat, "dir_stale_none", TEAM_LANGUAGE)
    return len(lines)


async def send_weekly_report(gateway: Host, owner: str, now: dt.datetime) -> bool:
    """`send_stale`, once per ISO week however many gateways run or restart that Monday.

    The week's report is a claim (bot/claims.py); when sending fails it is given back, so the
    next hourly check tries again. True when this call sent it.
    """
    year, week, _day = now.isocalendar()
    name = claims.once_claim(f"report:{year}-W{week:02d}")
    url = gateway.settings.database_url

    def take() -> bool:
        with session_scope(url) as session:
            return claims.once(session, name, owner, seconds=REPORT_CLAIM_SECONDS)

    def give_back() -> None:
        with session_scope(url) as session:
            claims.give_back(session, name, owner)

    if not await asyncio.to_thread(take):
        return False
    try:
        await send_stale(gateway)
    except Exception:
        await asyncio.to_thread(give_back)
        raise
    return True


def seed_starter(database_url: str, *, examples: bool = False) -> int:
    """Seed a directory nobody has touched yet; returns how many listings were created.

    The real national options always; the example listings only with `examples` (local mode).
    """
    from bot.directory import first_day
    from bot.models import ListingChange

    with session_scope(database_url) as session:
        if session.scalars(select(ListingChange.id).limit(1)).first() is not None:
            return 0
        report = importer.import_listings(
            session, first_day.national_csv(), filename="national.csv", by="starter"
        )
        created = len(report.created)
        if examples:
            created += first_day.load_examples(session, by="starter")
        return created
