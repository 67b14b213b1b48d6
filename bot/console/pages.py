"""What every console page shares: the session check, the templates, refusals and the audit.

Every page but the login checks the session and the role on the request itself (`who`), and
every form carries the session's CSRF token (`form`); refusals are recorded in the audit log.
The pages are one object (`bot.console.app.Console`) put together from one module per part:
`team_pages` (login, queue, tickets, duty), `listing_pages` (coordinators' listings), and the
overview in `app`.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot import db
from bot.console import auth, overview
from bot.models import utcnow
from bot.texts import TEAM_LANGUAGE, catalogue

if TYPE_CHECKING:
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


class Pages:
    """The plumbing of the pages, bound to one settings object and one claimer."""

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
