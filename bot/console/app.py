"""The console's web application (Starlette, Jinja2 templates, htmx for the live queue).

Every page but the login checks the session and the role on the request itself (`_who`), and
every form carries the session's CSRF token (`_form`); refusals are recorded in the audit log.
Database work runs in Starlette's thread pool (sync endpoints) so the event loop stays free.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot import db
from bot.console import auth, overview
from bot.console import listings as console_listings
from bot.directory import importer
from bot.models import ConsoleAudit, Listing, Peer, RelayMessage, Ticket, utcnow
from bot.texts import TEAM_LANGUAGE, catalogue

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.console.claims import Claimer
    from bot.settings import Settings

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
COOKIE = "hg_console"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_FIELD_BYTES = 4 * 1024 * 1024  # a previewed upload comes back base64 in a form field
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # a login link's token never leaves in a Referer
    "Cache-Control": "no-store",  # health data: not kept in the browser's cache
}


STATES = {
    "open": "wachtend",
    "claimed": "overgenomen",
    "returned": "terug naar de bot",
    "closed": "gesloten",
}


class Refused(Exception):
    """A request that may not go on: a status, a reason for the audit log, a page to show."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Console:
    """The pages, bound to one settings object and one claimer."""

    def __init__(self, settings: Settings, claimer: Claimer | None) -> None:
        self.settings = settings
        self.claimer = claimer
        self.texts = catalogue()
        self.secure_cookie = (not settings.local) or settings.console_public_url.startswith(
            "https://"
        )
        self.jinja = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.jinja.globals.update(shown=overview.shown, reason=self.reason_label)
        self.jinja.filters["minutes"] = _minutes_since
        self.jinja.filters["when"] = _when
        self.jinja.filters["state"] = lambda state: STATES.get(state, state)

    def reason_label(self, reason: str) -> str:
        """The Dutch label the Telegram alert uses for a ticket's reason."""
        key = f"reason_{reason}"
        return self.texts.say(key, TEAM_LANGUAGE) if self.texts.has(key) else reason

    # Plumbing ---------------------------------------------------------------------------------

    def session(self):
        """One transaction (bot.db.session_scope) on the gateway's database."""
        return db.session_scope(self.settings.database_url)

    def page(self, template: str, /, status: int = 200, **context: Any) -> HTMLResponse:
        """Render a template with the security headers."""
        html = self.jinja.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def refused(self, request: Request, error: Refused, who: auth.Who | None = None) -> Response:
        """Record a refusal and show a short page (no detail an attacker could use)."""
        with self.session() as session:
            auth.record(
                session,
                action=f"{request.method} {request.url.path}"[:48],
                who=who,
                outcome="refused",
                detail=error.reason,
            )
        log.info("console refused %s %s: %s", request.method, request.url.path, error.reason)
        response = self.page("refused.html", status=error.status, who=who, reason=error.reason)
        if error.status == 401:
            response.delete_cookie(COOKIE, path="/")
        return response

    def who(self, request: Request, *, coordinator: bool = False) -> auth.Who:
        """The signed-in peer for this request, checked now; raises Refused."""
        token = request.cookies.get(COOKIE)
        if not token:
            raise Refused(401, "no_session")
        with self.session() as session:
            who = auth.load_session(session, token=token)
        if isinstance(who, str):
            raise Refused(401, who)
        if coordinator and not who.coordinator:
            raise Refused(403, "coordinators_only")
        return who

    async def form(self, request: Request, who: auth.Who) -> Any:
        """The posted form, after checking its CSRF token (field or htmx header)."""
        form = await request.form(max_part_size=MAX_FIELD_BYTES)
        sent = form.get("csrf") or request.headers.get("x-csrf-token")
        if not auth.csrf_ok(who, sent if isinstance(sent, str) else None):
            raise Refused(403, "csrf_missing_or_wrong")
        return form

    def record(self, who: auth.Who, action: str, target: str = "", detail: str = "") -> None:
        """A change made in the console, in the audit log."""
        with self.session() as session:
            auth.record(session, action=action, who=who, target=target, detail=detail)

    # Login ------------------------------------------------------------------------------------

    def login_page(self, request: Request) -> Response:
        """The link from Telegram: a button that uses it (a link preview must not use it up)."""
        token = request.path_params["token"]
        return self.page("login.html", token=token, who=None)

    async def login(self, request: Request) -> Response:
        """Use a link's token: a new session cookie, or a refusal that is recorded."""
        form = await request.form()
        token = str(form.get("token") or "")

        def use() -> auth.Login | str:
            with self.session() as session:
                result = auth.use_link(session, token=token)
                if isinstance(result, str):
                    auth.record(session, action="login", outcome="refused", detail=result)
                else:
                    auth.record(session, action="login", peer=session.get(Peer, result.peer_id))
            return result

        result = await run_in_threadpool(use)
        if isinstance(result, str):
            log.info("console login refused: %s", result)
            return self.page("refused.html", status=403, who=None, reason=result)
        response = RedirectResponse("/queue", status_code=303, headers=SECURITY_HEADERS)
        response.set_cookie(
            COOKIE,
            result.token,
            max_age=auth.SESSION_HOURS * 3600,
            path="/",
            httponly=True,
            secure=self.secure_cookie,
            samesite="strict",
        )
        return response

    async def logout(self, request: Request) -> Response:
        """End the session."""
        who = self.who(request)
        await self.form(request, who)
        with self.session() as session:
            auth.end_session(session, session_id=who.session_id)
            auth.record(session, action="logout", who=who)
        response = self.page("refused.html", who=None, reason="logged_out")
        response.delete_cookie(COOKIE, path="/")
        return response

    # Queue and tickets ------------------------------------------------------------------------

    def _queue(self, session: Session, who: auth.Who) -> dict[str, Any]:
        waiting = list(
            session.scalars(
                select(Ticket).where(Ticket.state == "open", Ticket.person_id.is_not(None))
            )
        )
        waiting.sort(key=lambda t: (t.urgency != "urgent", t.created_at))
        claimed = select(Ticket).where(Ticket.state == "claimed").order_by(Ticket.claimed_at)
        if not who.coordinator:
            claimed = claimed.where(Ticket.peer_id == who.peer_id)
        me = session.get(Peer, who.peer_id)
        return {
            "waiting": waiting,
            "claimed": list(session.scalars(claimed)),
            "now": utcnow(),
            "on_duty": bool(me and me.on_duty),
        }

    def queue(self, request: Request) -> Response:
        """Open tickets (urgent first) and the ones in hand; the table refreshes itself."""
        who = self.who(request)
        with self.session() as session:
            context = self._queue(session, who)
            return self.page("queue.html", who=who, **context)

    def queue_rows(self, request: Request) -> Response:
        """The queue's table alone, for htmx's refresh every few seconds."""
        who = self.who(request)
        with self.session() as session:
            context = self._queue(session, who)
            return self.page("queue_rows.html", who=who, **context)

    async def claim(self, request: Request) -> Response:
        """Claim a ticket through the same atomic claim as the Telegram button."""
        who = self.who(request)
        await self.form(request, who)
        ticket_id = int(request.path_params["ticket_id"])
        if self.claimer is None:
            raise Refused(503, "claiming_unavailable")
        outcome = await self.claimer.claim(
            peer_id=who.peer_id,
            telegram_user_id=who.telegram_user_id,
            display_name=who.display_name,
            ticket_id=ticket_id,
        )
        self.record(who, "ticket_claim", target=f"ticket {ticket_id}", detail=outcome)
        if outcome == "won":
            return RedirectResponse(
                f"/tickets/{ticket_id}", status_code=303, headers=SECURITY_HEADERS
            )
        with self.session() as session:
            context = self._queue(session, who)
            return self.page(
                "queue.html",
                status=409,
                who=who,
                outcome=outcome,
                claimed_ticket=ticket_id,
                **context,
            )

    async def end(self, request: Request) -> Response:
        """The holder hands the person back to the bot, or closes with a note (as in Telegram)."""
        who = self.who(request)
        form = await self.form(request, who)
        ticket_id = int(request.path_params["ticket_id"])
        closed = form.get("action") == "close"
        note = str(form.get("note") or "").strip()[:1000]
        if self.claimer is None:
            raise Refused(503, "claiming_unavailable")
        if not await self.claimer.end(
            peer_id=who.peer_id, ticket_id=ticket_id, closed=closed, note=note
        ):
            raise Refused(403, "ticket_not_held")
        action = "ticket_close" if closed else "ticket_return"
        self.record(who, action, target=f"ticket {ticket_id}")
        return RedirectResponse("/queue", status_code=303, headers=SECURITY_HEADERS)

    async def duty(self, request: Request) -> Response:
        """On or off duty, as `/dienst aan|uit` in Telegram."""
        who = self.who(request)
        form = await self.form(request, who)
        on = form.get("on") == "1"
        with self.session() as session:
            peer = session.get(Peer, who.peer_id)
            if peer is not None:
                peer.on_duty = on
            auth.record(session, action="duty_on" if on else "duty_off", who=who)
        return RedirectResponse("/queue", status_code=303, headers=SECURITY_HEADERS)

    def ticket(self, request: Request) -> Response:
        """One ticket: only for the peer who holds it and for coordinators."""
        who = self.who(request)
        ticket_id = int(request.path_params["ticket_id"])
        with self.session() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise Refused(404, "ticket_unknown")
            if not who.coordinator and ticket.peer_id != who.peer_id:
                raise Refused(403, "ticket_of_another_peer")
            relays = list(
                session.scalars(
                    select(RelayMessage)
                    .where(RelayMessage.ticket_id == ticket.id)
                    .order_by(RelayMessage.id)
                )
            )
            earlier = []
            if ticket.person_id is not None:
                earlier = list(
                    session.scalars(
                        select(Ticket)
                        .where(Ticket.person_id == ticket.person_id, Ticket.id != ticket.id)
                        .order_by(Ticket.id.desc())
                    )
                )
            auth.record(session, action="ticket_view", who=who, target=f"ticket {ticket.id}")
            person = ticket.person.pseudonym[:8] if ticket.person else None
            return self.page(
                "ticket.html",
                who=who,
                ticket=ticket,
                relays=relays,
                earlier=earlier,
                person=person,
                holder=ticket.peer.display_name if ticket.peer else None,
            )

    # Listings (coordinators) ------------------------------------------------------------------

    def listings(self, request: Request) -> Response:
        """Searchable, filterable table of the listings."""
        who = self.who(request, coordinator=True)
        q = request.query_params.get("q", "").strip()
        kind = request.query_params.get("kind", "")
        province = request.query_params.get("province", "")
        status = request.query_params.get("status", "active")
        with self.session() as session:
            if status == "stale":
                rows = importer.stale(session)
            else:
                query = select(Listing).order_by(Listing.name)
                if status == "active":
                    query = query.where(Listing.active.is_(True))
                elif status == "archived":
                    query = query.where(Listing.active.is_(False))
                rows = list(session.scalars(query))
            if q:
                needle = q.lower()
                rows = [
                    r
                    for r in rows
                    if needle
                    in " ".join((r.id, r.name, r.organisation, r.municipality, r.province)).lower()
                ]
            if kind:
                rows = [r for r in rows if r.kind == kind]
            if province:
                rows = [r for r in rows if r.province == province]
            provinces = sorted({p for (p,) in session.execute(select(Listing.province)) if p})
            return self.page(
                "listings.html",
                who=who,
                rows=rows,
                q=q,
                kind=kind,
                province=province,
                shown_status=status,
                kinds=importer.KINDS,
                provinces=provinces,
            )

    def listing_form(self, request: Request) -> Response:
        """The edit form (or an empty one for a new listing)."""
        who = self.who(request, coordinator=True)
        listing_id = request.path_params.get("listing_id")
        values = dict.fromkeys(importer.HEADER, "")
        if listing_id:
            with self.session() as session:
                listing = session.get(Listing, listing_id)
                if listing is None:
                    raise Refused(404, "listing_unknown")
                values = console_listings.listing_values(listing)
        return self.page(
            "listing_form.html",
            who=who,
            values=values,
            new=not listing_id,
            errors=[],
            notes=[],
            kinds=importer.KINDS,
            saved=request.query_params.get("saved") == "1",
        )

    async def listing_save(self, request: Request) -> Response:
        """Save a form: exactly the import's validation and messages, all or nothing."""
        who = self.who(request, coordinator=True)
        form = await self.form(request, who)
        values = {name: str(form.get(name) or "") for name in importer.HEADER}
        new = form.get("new") == "1"
        values["active"] = values["active"] or "ja"

        def save() -> tuple[importer.Report | None, str | None]:
            with self.session() as session:
                if new and session.get(Listing, values["id"].strip()) is not None:
                    return None, f"id {values['id'].strip()!r} is already used by another listing"
                report = importer.import_listings(
                    session,
                    console_listings.row_csv(values),
                    filename="form.csv",
                    by=f"{who.display_name} (console)",
                )
                if report.ok and (report.created or report.updated):
                    auth.record(
                        session,
                        action="listing_saved",
                        who=who,
                        target=f"listing {values['id'].strip()}",
                        detail="created" if report.created else "updated",
                    )
                return report, None

        report, clash = await run_in_threadpool(save)
        if clash or (report is not None and not report.ok):
            errors = [clash] if clash else [reason for _line, reason in report.errors]
            return self.page(
                "listing_form.html",
                status=422,
                who=who,
                values=values,
                new=new,
                errors=errors,
                notes=[],
                kinds=importer.KINDS,
            )
        notes = [note for _line, note in report.warnings] if report else []
        listing_id = values["id"].strip()
        if notes:
            return self.page(
                "listing_form.html",
                who=who,
                values=values,
                new=False,
                errors=[],
                notes=notes,
                saved=True,
                kinds=importer.KINDS,
            )
        return RedirectResponse(
            f"/listings/{listing_id}/edit?saved=1", status_code=303, headers=SECURITY_HEADERS
        )

    async def listing_archive(self, request: Request) -> Response:
        """Hide a listing from searches (recorded)."""
        who = self.who(request, coordinator=True)
        await self.form(request, who)
        listing_id = request.path_params["listing_id"]
        with self.session() as session:
            listing = importer.archive(session, listing_id, by=f"{who.display_name} (console)")
            if listing is None:
                raise Refused(404, "listing_unknown")
            auth.record(session, action="listing_archived", who=who, target=f"listing {listing_id}")
        return RedirectResponse(
            "/listings?status=archived", status_code=303, headers=SECURITY_HEADERS
        )

    def listing_history(self, request: Request) -> Response:
        """Who changed a listing, when, and what."""
        who = self.who(request, coordinator=True)
        listing_id = request.path_params["listing_id"]
        with self.session() as session:
            listing = session.get(Listing, listing_id)
            if listing is None:
                raise Refused(404, "listing_unknown")
            changes = importer.changes(session, listing_id)
            return self.page("listing_history.html", who=who, listing=listing, changes=changes)

    def listings_export(self, request: Request) -> Response:
        """Every listing as CSV (the import's header), recorded."""
        who = self.who(request, coordinator=True)
        with self.session() as session:
            content = importer.export_csv(session)
            auth.record(session, action="listings_export", who=who)
        return Response(
            content,
            media_type="text/csv; charset=utf-8",
            headers={
                **SECURITY_HEADERS,
                "Content-Disposition": 'attachment; filename="herstelgids-aanbod.csv"',
            },
        )

    def upload_form(self, request: Request) -> Response:
        """Choose a CSV or Excel file."""
        who = self.who(request, coordinator=True)
        return self.page("upload.html", who=who, preview=None)

    async def upload_preview(self, request: Request) -> Response:
        """Dry run: per row what would be created, changed or refused; nothing is saved."""
        who = self.who(request, coordinator=True)
        form = await self.form(request, who)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            return self.page(
                "upload.html", status=422, who=who, preview=None, problem="choose a file"
            )
        content = await upload.read()
        if len(content) > MAX_UPLOAD_BYTES:
            return self.page(
                "upload.html",
                status=422,
                who=who,
                preview=None,
                problem="the file is larger than 2 MB",
            )
        try:
            content, filename = console_listings.as_csv(content, upload.filename or "")
        except importer.FileProblem as problem:
            return self.page("upload.html", status=422, who=who, preview=None, problem=str(problem))

        def dry() -> console_listings.Preview:
            with self.session() as session:
                result = console_listings.preview(session, content, filename)
                auth.record(
                    session,
                    action="upload_preview",
                    who=who,
                    detail=f"{len(result.rows)} rows, ok={result.ok}",
                )
                return result

        result = await run_in_threadpool(dry)
        return self.page(
            "upload.html",
            who=who,
            preview=result,
            name=upload.filename,
            content=base64.b64encode(content).decode(),
            filename=filename,
        )

    async def upload_apply(self, request: Request) -> Response:
        """Save an upload that was previewed: checked again, all or nothing."""
        who = self.who(request, coordinator=True)
        form = await self.form(request, who)
        try:
            content = base64.b64decode(str(form.get("content") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise Refused(400, "upload_damaged") from None
        filename = str(form.get("filename") or "upload.csv")

        def apply() -> importer.Report:
            with self.session() as session:
                report = importer.import_listings(
                    session, content, filename=filename, by=f"{who.display_name} (console)"
                )
                auth.record(
                    session,
                    action="upload_apply",
                    who=who,
                    outcome="ok" if report.ok else "refused",
                    detail=f"{len(report.created)} new, {len(report.updated)} updated, "
                    f"{len(report.errors)} problems",
                )
                return report

        report = await run_in_threadpool(apply)
        return self.page(
            "upload.html", status=200 if report.ok else 422, who=who, preview=None, report=report
        )

    # Overview (coordinators) ------------------------------------------------------------------

    def _figures(self, request: Request) -> overview.Figures:
        first, after = overview.month_bounds(request.query_params.get("month"))
        with self.session() as session:
            return overview.figures(
                session, self.settings.tracker_database_url, first=first, after=after
            )

    def overview_page(self, request: Request) -> Response:
        """The month's figures and charts; aggregates only, small counts hidden."""
        who = self.who(request, coordinator=True)
        data = self._figures(request)
        self.record(who, "overview_view", target=data.first.strftime("%Y-%m"))
        previous = (data.first - dt.timedelta(days=1)).strftime("%Y-%m")
        return self.page(
            "overview.html",
            who=who,
            data=data,
            month=data.first.strftime("%Y-%m"),
            previous=previous,
            next=data.after.strftime("%Y-%m"),
            charts=overview.CHARTS,
            total_conversations=sum(data.conversations_per_day.values()),
        )

    def overview_chart(self, request: Request) -> Response:
        """One chart as SVG, drawn on the server."""
        self.who(request, coordinator=True)
        name = request.path_params["name"]
        if name not in overview.CHARTS:
            raise Refused(404, "chart_unknown")
        data = self._figures(request)
        labels = {r: self.reason_label(r) for r in data.handoffs_by_reason}
        svg = overview.chart(name, data, labels)
        return Response(svg, media_type="image/svg+xml", headers=SECURITY_HEADERS)

    def audit_page(self, request: Request) -> Response:
        """The last 200 lines of the audit log."""
        who = self.who(request, coordinator=True)
        with self.session() as session:
            rows = list(
                session.scalars(select(ConsoleAudit).order_by(ConsoleAudit.id.desc()).limit(200))
            )
            return self.page("audit.html", who=who, rows=rows)

    def health(self, _request: Request) -> Response:
        """200 when the database answers (Compose's health check)."""
        try:
            db.ping(self.settings.database_url)
        except Exception:
            return PlainTextResponse("database unavailable", status_code=503)
        return PlainTextResponse("ok")

    def home(self, _request: Request) -> Response:
        """The queue is the start page."""
        return RedirectResponse("/queue", status_code=303, headers=SECURITY_HEADERS)


def _minutes_since(moment: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if moment is None:
        return ""
    minutes = int(((now or utcnow()) - moment).total_seconds() // 60)
    return f"{minutes // 60} u {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def _when(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        return overview.local(moment).strftime("%d-%m-%Y %H:%M")
    return moment.strftime("%d-%m-%Y")


def _guarded(console: Console, handler: Any) -> Any:
    """Turn Refused into a recorded refusal page; sync handlers run in the thread pool."""
    import inspect

    async def endpoint(request: Request) -> Response:
        try:
            if inspect.iscoroutinefunction(handler):
                return await handler(request)
            return await run_in_threadpool(handler, request)
        except Refused as error:
            return await run_in_threadpool(console.refused, request, error)

    return endpoint


def build_app(
    settings: Settings, claimer: Claimer | None = None, *, lifespan: Any = None
) -> Starlette:
    """The console as an ASGI application."""
    console = Console(settings, claimer)

    def route(path: str, handler: Any, methods: tuple[str, ...] = ("GET",)) -> Route:
        return Route(path, _guarded(console, handler), methods=list(methods))

    routes = [
        route("/health", console.health),
        route("/", console.home),
        route("/login/{token}", console.login_page),
        route("/login", console.login, ("POST",)),
        route("/logout", console.logout, ("POST",)),
        route("/queue", console.queue),
        route("/queue/rows", console.queue_rows),
        route("/tickets/{ticket_id:int}", console.ticket),
        route("/tickets/{ticket_id:int}/claim", console.claim, ("POST",)),
        route("/tickets/{ticket_id:int}/end", console.end, ("POST",)),
        route("/duty", console.duty, ("POST",)),
        route("/listings", console.listings),
        route("/listings/new", console.listing_form),
        route("/listings/save", console.listing_save, ("POST",)),
        route("/listings/export", console.listings_export),
        route("/listings/upload", console.upload_form),
        route("/listings/upload/preview", console.upload_preview, ("POST",)),
        route("/listings/upload/apply", console.upload_apply, ("POST",)),
        route("/listings/{listing_id}/edit", console.listing_form),
        route("/listings/{listing_id}/archive", console.listing_archive, ("POST",)),
        route("/listings/{listing_id}/history", console.listing_history),
        route("/overview", console.overview_page),
        route("/overview/chart/{name}.svg", console.overview_chart),
        route("/audit", console.audit_page),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.console = console
    return app
