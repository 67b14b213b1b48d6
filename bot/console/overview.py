"""The coordinators' overview: aggregates of one month, never message text, small counts hidden.

Sources: tickets (handoffs, reasons, time to claim, urgent waits, crisis path), Rasa's tracker
store (user messages: conversations per day and the hours people write; only sender and time
are read), the console's duty samples (peers on duty), and directory searches that found
nothing (`directory_misses`). Days and hours are Amsterdam time. Any count from 1 to 4 is shown
as "< 5" (SMALL) so no single person can be recognised; weeks with fewer than 5 claims get no
median or percentile.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from bot.db import get_engine
from bot.models import DirectoryMiss, DutySample, Ticket, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ZONE = ZoneInfo("Europe/Amsterdam")
SMALL = 5
URGENT_WAIT = dt.timedelta(minutes=15)
CRISIS_REASONS = ("crisis", "harm_others", "danger_from_others")
PSEUDONYM_RE = re.compile(r"^[0-9a-f]{32}$")  # people only, not the tracker probes
DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


def shown(count: int) -> str:
    """A count as the console shows it: 1 to 4 become "< 5"."""
    return f"< {SMALL}" if 0 < count < SMALL else str(count)


def month_bounds(month: str | None, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first day of the month ("2026-11", default this month) and of the next."""
    today = today or dt.datetime.now(ZONE).date()
    first = today.replace(day=1)
    if month and re.fullmatch(r"\d{4}-\d{2}", month):
        year, number = (int(part) for part in month.split("-"))
        if 1 <= number <= 12 and 2000 <= year <= 2100:
            first = dt.date(year, number, 1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return first, after


def utc_naive(day: dt.date) -> dt.datetime:
    """Midnight in Amsterdam on that day, as the naive UTC the database keeps."""
    local = dt.datetime.combine(day, dt.time(), tzinfo=ZONE)
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


def local(moment: dt.datetime) -> dt.datetime:
    """A stored naive-UTC time in Amsterdam."""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(ZONE)


@dataclass
class Figures:
    """One month's numbers, before suppression (the page applies `shown`)."""

    first: dt.date
    after: dt.date
    conversations_per_day: dict[dt.date, int] = field(default_factory=dict)
    handoffs_by_reason: dict[str, int] = field(default_factory=dict)
    claim_minutes_by_week: dict[str, list[float]] = field(default_factory=dict)
    urgent_unclaimed_15: int = 0
    urgent_total: int = 0
    crisis_by_reason: dict[str, int] = field(default_factory=dict)
    messages_by_hour: dict[tuple[int, int], int] = field(default_factory=dict)  # (weekday, hour)
    duty_by_hour: dict[tuple[int, int], float] = field(default_factory=dict)  # mean peers on duty
    misses_by_place: dict[str, int] = field(default_factory=dict)

    def claim_summary(self) -> list[dict[str, Any]]:
        """Per ISO week: number of claims, median and 90th percentile (hidden under 5)."""
        rows = []
        for week, minutes in sorted(self.claim_minutes_by_week.items()):
            row: dict[str, Any] = {"week": week, "claims": shown(len(minutes))}
            if len(minutes) >= SMALL:
                row["median"] = round(statistics.median(minutes), 1)
                row["p90"] = round(percentile(minutes, 90), 1)
            else:
                row["median"] = row["p90"] = None
            rows.append(row)
        return rows


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile by linear interpolation (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _tracker_messages(tracker_url: str, start: dt.datetime, end: dt.datetime) -> list[tuple]:
    """(sender, unix time) of people's messages in Rasa's tracker store; no text is read."""
    begin = start.replace(tzinfo=dt.timezone.utc).timestamp()
    stop = end.replace(tzinfo=dt.timezone.utc).timestamp()
    with get_engine(tracker_url).connect() as connection:
        if not connection.dialect.has_table(connection, "events"):
            return []
        rows = connection.execute(
            text(
                "SELECT sender_id, timestamp FROM events WHERE type_name = 'user' "
                "AND timestamp >= :begin AND timestamp < :stop"
            ),
            {"begin": begin, "stop": stop},
        )
        return [(sender, stamp) for sender, stamp in rows if PSEUDONYM_RE.match(sender or "")]


def figures(
    session: Session,
    tracker_url: str,
    *,
    first: dt.date,
    after: dt.date,
    now: dt.datetime | None = None,
) -> Figures:
    """Compute the month's figures from the database and the tracker store."""
    now = now or utcnow()
    start, end = utc_naive(first), utc_naive(after)
    out = Figures(first=first, after=after)
    tickets = list(
        session.scalars(select(Ticket).where(Ticket.created_at >= start, Ticket.created_at < end))
    )
    out.handoffs_by_reason = dict(Counter(t.reason for t in tickets))
    out.crisis_by_reason = {r: out.handoffs_by_reason.get(r, 0) for r in CRISIS_REASONS}
    weeks: dict[str, list[float]] = defaultdict(list)
    for ticket in tickets:
        if ticket.claimed_at is not None:
            year, week, _ = local(ticket.created_at).isocalendar()
            minutes = (ticket.claimed_at - ticket.created_at).total_seconds() / 60
            weeks[f"{year}-W{week:02d}"].append(minutes)
        if ticket.urgency == "urgent":
            out.urgent_total += 1
            waited_until = ticket.claimed_at or now
            if waited_until - ticket.created_at > URGENT_WAIT:
                out.urgent_unclaimed_15 += 1
    out.claim_minutes_by_week = dict(weeks)
    per_day: dict[dt.date, set[str]] = defaultdict(set)
    hours: Counter[tuple[int, int]] = Counter()
    for sender, stamp in _tracker_messages(tracker_url, start, end):
        moment = dt.datetime.fromtimestamp(stamp, tz=ZONE)
        per_day[moment.date()].add(sender)
        hours[(moment.weekday(), moment.hour)] += 1
    out.conversations_per_day = {day: len(senders) for day, senders in sorted(per_day.items())}
    out.messages_by_hour = dict(hours)
    samples: dict[tuple[int, int], list[int]] = defaultdict(list)
    for at, on_duty in session.execute(
        select(DutySample.at, DutySample.on_duty).where(DutySample.at >= start, DutySample.at < end)
    ):
        moment = local(at)
        samples[(moment.weekday(), moment.hour)].append(on_duty)
    out.duty_by_hour = {key: sum(v) / len(v) for key, v in samples.items()}
    misses = Counter(
        place
        for (place,) in session.execute(
            select(DirectoryMiss.place).where(DirectoryMiss.day >= first, DirectoryMiss.day < after)
        )
    )
    out.misses_by_place = dict(misses.most_common())
    return out


def sample_duty(session: Session) -> int:
    """Record how many peers are on duty now (the console does this every 5 minutes)."""
    from bot.store import peers_on_duty

    count = len(peers_on_duty(session))
    session.add(DutySample(on_duty=count))
    return count


# Charts ---------------------------------------------------------------------------------------

CHARTS = ("conversations", "reasons", "claims", "hours", "misses")


def _pyplot():
    import warnings

    with warnings.catch_warnings():
        # matplotlib 3.5 (what rasa's stack pins) calls pyparsing 3's old names at import
        warnings.simplefilter("ignore", DeprecationWarning)
        import matplotlib
        import matplotlib.pyplot

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text: small files, readable
    matplotlib.rcParams["svg.hashsalt"] = "herstelgids"
    # matplotlib 3.5 quotes the family in SVG, and a quoted 'sans-serif' is no generic family
    # to a browser (it fell back to a serif font); name a real one, as the console's CSS does.
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
    import matplotlib.pyplot as plt

    return plt


def _svg(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="svg", bbox_inches="tight")
    _pyplot().close(fig)
    return out.getvalue()


def _bars(ax, labels: list[str], counts: list[int], *, horizontal: bool = False) -> None:
    """Bars where counts under 5 are drawn as a hatched stub labelled "< 5"."""
    heights = [c if c >= SMALL or c == 0 else 0 for c in counts]
    positions = range(len(labels))
    draw = ax.barh if horizontal else ax.bar
    draw(positions, heights, color="#2f6f73")
    for position, count in zip(positions, counts, strict=True):
        if 0 < count < SMALL:
            xy = (0, position) if horizontal else (position, 0)
            ax.annotate(
                f"< {SMALL}",
                xy,
                ha="left" if horizontal else "center",
                va="center" if horizontal else "bottom",
                fontsize=7,
                color="#8a4b08",
                rotation=0 if horizontal else 90,
            )
    if horizontal:
        ax.set_yticks(list(positions), labels, fontsize=8)
        ax.invert_yaxis()
    else:
        ax.set_xticks(list(positions), labels, fontsize=7, rotation=90)


def chart(name: str, data: Figures, labels: dict[str, str] | None = None) -> bytes:
    """One chart of the overview as SVG."""
    plt = _pyplot()
    labels = labels or {}
    if name == "hours":
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
        import numpy as np

        people = np.full((7, 24), np.nan)
        duty = np.zeros((7, 24))
        for (day, hour), count in data.messages_by_hour.items():
            people[day, hour] = count if count >= SMALL else np.nan
        for (day, hour), mean in data.duty_by_hour.items():
            duty[day, hour] = mean
        for ax, grid, title in (
            (axes[0], people, "berichten van mensen (< 5: leeg)"),
            (axes[1], duty, "ervaringsdeskundigen in dienst (gemiddeld)"),
        ):
            image = ax.imshow(grid, aspect="auto", cmap="viridis")
            ax.set_yticks(range(7), DAYS, fontsize=7)
            ax.set_xticks(range(0, 24, 3), [f"{h}u" for h in range(0, 24, 3)], fontsize=7)
            ax.set_title(title, fontsize=9)
            fig.colorbar(image, ax=ax, fraction=0.04)
        return _svg(fig)
    fig, ax = plt.subplots(figsize=(7, 3))
    if name == "conversations":
        days = [data.first + dt.timedelta(days=n) for n in range((data.after - data.first).days)]
        _bars(
            ax,
            [d.strftime("%d") for d in days],
            [data.conversations_per_day.get(d, 0) for d in days],
        )
        ax.set_title("gesprekken per dag (mensen die schreven)", fontsize=9)
    elif name == "reasons":
        reasons = sorted(data.handoffs_by_reason)
        _bars(
            ax,
            [labels.get(r, r) for r in reasons],
            [data.handoffs_by_reason[r] for r in reasons],
            horizontal=True,
        )
        ax.set_title("overdrachten naar reden", fontsize=9)
    elif name == "claims":
        rows = [r for r in data.claim_summary() if r["median"] is not None]
        weeks = [r["week"] for r in rows]
        ax.plot(weeks, [r["median"] for r in rows], marker="o", label="mediaan")
        ax.plot(weeks, [r["p90"] for r in rows], marker="o", label="90e percentiel")
        ax.set_ylabel("minuten", fontsize=8)
        ax.legend(fontsize=7)
        ax.set_title("tijd tot overnemen per week (weken met < 5 overnames weggelaten)", fontsize=9)
    elif name == "misses":
        top = list(data.misses_by_place.items())[:15]
        _bars(ax, [p for p, _ in top], [c for _, c in top], horizontal=True)
        ax.set_title("zoekvragen zonder resultaat, naar plaats", fontsize=9)
    else:
        raise KeyError(name)
    return _svg(fig)
