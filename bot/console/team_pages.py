"""The peer team's pages: login with a link from Telegram, the queue, a ticket, duty."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.console import auth
from bot.console.pages import COOKIE, SECURITY_HEADERS, Pages, Refused
from bot.models import Peer, RelayMessage, Ticket, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


log = logging.getLogger(__name__)


class TeamPages(Pages):
    """Login, the live queue, a ticket (claim, end) and duty."""

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
