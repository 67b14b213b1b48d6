"""The console's web application (Starlette, Jinja2 templates, htmx for the live queue).

Every page but the login checks the session and the role on the request itself (`who`), and
every form carries the session's CSRF token (`form`); refusals are recorded in the audit log.
Database work runs in Starlette's thread pool (sync endpoints) so the event loop stays free.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot import db
from bot.console import overview
from bot.console.listing_pages import ListingPages
from bot.console.pages import COOKIE, HERE, SECURITY_HEADERS, Refused
from bot.console.team_pages import TeamPages
from bot.models import ConsoleAudit

if TYPE_CHECKING:
    from bot.console.claims import Claimer
    from bot.settings import Settings


log = logging.getLogger(__name__)

__all__ = ["COOKIE", "Console", "build_app"]


class Console(TeamPages, ListingPages):
    """The pages, bound to one settings object and one claimer."""

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
