"""Coordinators' pages for the referral directory: listings, edits, history, file uploads."""

from __future__ import annotations

import base64
import binascii
import logging
from typing import TYPE_CHECKING

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.console import auth
from bot.console import listings as console_listings
from bot.console.pages import MAX_UPLOAD_BYTES, SECURITY_HEADERS, Pages, Refused
from bot.directory import importer
from bot.models import Listing

if TYPE_CHECKING:
    pass


log = logging.getLogger(__name__)


class ListingPages(Pages):
    """The listings a coordinator keeps current, one by one or as a file."""

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
