"""`make bench`: the whole stack against a local fake Telegram, then plain Rasa, per load level.

    .venv/bin/python -m bench                 # full run (levels 1 10 30 60 120, 60 s each)
    BENCH_QUICK=1 .venv/bin/python -m bench   # short run to check the harness (~3 minutes)
    .venv/bin/python -m bench --levels 1 5 --duration 20 --profile
    .venv/bin/python -m bench --readme        # copy results/bench-latest.md into README.md
    .venv/bin/python -m bench --replicas 2    # two Rasa servers on PostgreSQL: order kept?

A full run also times `python -m bot train` into a fresh model folder (BENCH_TRAIN=0 skips it,
BENCH_TRAIN=1 adds it to a quick run). DATABASE_URL set to
PostgreSQL runs the gateway's tables and Rasa's tracker store there (the bench writes rows).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import crisis_speed, replicas, report
from bench.load import Pace, RestClient, TelegramClient, run_level
from bench.mix import FIRST_CONTACT, Kind, load_mix
from bench.procs import Monitor
from bench.stats import summarise
from bot.settings import ROOT
from bot.texts import catalogue
from tests.stack import Stack, ThreadedBotApi

RESULTS = ROOT / "results"
FULL_LEVELS = [1, 10, 30, 60, 120]
QUICK_LEVELS = [1, 5, 10]


class BenchStack(Stack):
    """The test stack, optionally profiled, optionally on the PostgreSQL of DATABASE_URL."""

    def __init__(self, workdir: Path, bot_api: ThreadedBotApi, extra_env: dict[str, str]):
        super().__init__(workdir, bot_api)
        database = os.environ.get("DATABASE_URL", "")
        if database.startswith("postgresql"):
            self.env["DATABASE_URL"] = database
            self.env["RASA_TRACKER_DATABASE_URL"] = database
        self.env["LOG_LEVEL"] = "WARNING"
        self.env.pop("CHECK_EVERY_SECONDS")  # the tests probe every 3 s; measure the default
        self.env.update(extra_env)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line; BENCH_QUICK=1 changes the defaults to a short run."""
    quick = os.environ.get("BENCH_QUICK") == "1"
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--levels", type=int, nargs="+", default=QUICK_LEVELS if quick else FULL_LEVELS
    )
    parser.add_argument(
        "--duration", type=float, default=15.0 if quick else 60.0, help="measured seconds per level"
    )
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="seconds before measuring (people arrive)"
    )
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(2.0, 5.0),
        metavar=("MIN", "MAX"),
        help="pause between turns, seconds",
    )
    parser.add_argument(
        "--grace", type=float, default=15.0, help="a reply later than this is missing"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip plain Rasa")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the gateway and Rasa; top functions into results/",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the stack, e.g. OMP_NUM_THREADS=1",
    )
    parser.add_argument("--label", default="", help="a note stored with the result")
    parser.add_argument(
        "--readme", action="store_true", help="only copy results/*-latest.md into README.md"
    )
    parser.add_argument(
        "--replicas",
        type=int,
        default=0,
        metavar="N",
        help="only the replica check: N Rasa servers on one PostgreSQL",
    )
    parser.add_argument(
        "--people", type=int, default=40, help="people sending bursts in the replica check"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.quick = quick
    return args


def time_training() -> dict:
    """`python -m bot train` into an empty model folder, timed."""
    with tempfile.TemporaryDirectory() as folder:
        began = time.monotonic()
        cache = str(Path(folder) / "cache")  # from scratch: Rasa's own cache is empty too
        subprocess.run(
            [sys.executable, "-m", "bot", "train"],
            cwd=ROOT,
            check=True,
            env={**os.environ, "RASA_MODEL_DIR": folder, "RASA_CACHE_DIRECTORY": cache},
        )
        return {"seconds": round(time.monotonic() - began, 1), "measured": True}


def last_training(out: Path) -> dict | None:
    """The newest training time measured by an earlier run, if any."""
    for path in sorted(out.glob("bench-*.json"), reverse=True):
        training = json.loads(path.read_text()).get("training")
        if training and training.get("measured"):
            return {**training, "measured": False, "from": path.name}
    return None


def cold_start(stack: BenchStack, began: float) -> dict:
    """Time from the first command to the first reply of a person saying hello."""
    api = stack.bot_api
    stack.start_all()
    ready = time.monotonic()
    user = 9_000_001
    api.send_text(user, "hallo")
    api.wait(user, 1, timeout=60)
    return {
        "to_ready_s": round(ready - began, 1),
        "to_first_reply_s": round(time.monotonic() - began, 1),
    }


def warm_up(stack: BenchStack, kinds: list[Kind], payload: Callable[[str], str | None]) -> None:
    """Every step of the mix once through plain Rasa (a throwaway sender), before measuring.

    Rasa's first turn down a dialogue path takes 0.1-0.2 s longer (its first custom action
    call, say); without this, the system measured first (ours) paid for it alone.
    """

    async def once() -> None:
        client = RestClient(stack.rasa_url, payload, Pace(think_min=0, think_max=0, grace=30))
        for kind in [FIRST_CONTACT, *kinds]:
            for step in kind.steps:
                await client.turn(0, kind.name, step)
        await client.close()

    stack.bot_api.run(once())


def run_levels(name, make_client, stack, monitor, kinds, pace, args, first_user) -> list[dict]:
    """Every level for one system; the client is created inside the fake's event loop."""
    api = stack.bot_api
    levels = []
    for index, users in enumerate(args.levels):
        monitor.reset_peaks()
        cpu_before, began = monitor.cpu(), time.monotonic()
        load1 = os.getloadavg()[0]

        async def level(users=users, index=index):
            client = make_client()
            try:
                return await run_level(
                    client,
                    users,
                    kinds,
                    pace,
                    duration=args.duration,
                    warmup=args.warmup,
                    first_user=first_user + index * 10_000,
                )
            finally:
                if hasattr(client, "close"):
                    await client.close()

        turns, window = api.run(level(), timeout=args.duration + args.warmup + 600)
        wall = time.monotonic() - began
        cpu_after = monitor.cpu()
        summary = summarise(turns, window)
        summary.update(
            system=name,
            users=users,
            cpu_s={k: round(cpu_after[k] - cpu_before[k], 1) for k in cpu_after},
            cpu_share={k: round((cpu_after[k] - cpu_before[k]) / wall, 2) for k in cpu_after},
            peak_rss_mib=monitor.peaks_mib(),
            loadavg_1m_before=round(load1, 2),
            latencies_ms=[
                round(t.latency * 1000, 1)
                for t in turns
                if t.latency is not None and window[0] <= t.sent_at < window[1]
            ],
        )
        print(report.level_line(summary), flush=True)
        levels.append(summary)
    return levels


def check_replicas(args: argparse.Namespace, stamp: str) -> None:
    """The replica check alone; JSON and Markdown into results/ (replicas-latest.md)."""
    result = {"started": stamp, "label": args.label, **replicas.run(args.replicas, args.people)}
    json_path = args.out / f"replicas-{stamp}.json"
    json_path.write_text(json.dumps(result, indent=1))
    markdown = replicas.markdown(result)
    (args.out / "replicas-latest.md").write_text(markdown)
    print(markdown)
    print(f"wrote {json_path}, {args.out / 'replicas-latest.md'}")


def main(argv: list[str] | None = None) -> None:
    """Run the bench (or, with --readme, only update the README)."""
    args = parse_args(argv)
    if args.readme:
        report.update_readme(args.out / "bench-latest.md", ROOT / "README.md")
        replicas_md = args.out / "replicas-latest.md"
        if replicas_md.exists():
            report.update_readme(
                replicas_md, ROOT / "README.md", "<!-- replicas:start -->", "<!-- replicas:end -->"
            )
        print("README.md updated from", args.out / "bench-latest.md", "and", replicas_md)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    if args.replicas:
        check_replicas(args, stamp)
        return
    extra_env = dict(item.split("=", 1) for item in args.env)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    if args.profile:
        extra_env["HERSTELGIDS_PROFILE_DIR"] = str(workdir)
    result: dict = {
        "started": stamp,
        "label": args.label,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "settings": {
            "levels": args.levels,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "think_s": list(args.think),
            "grace_s": args.grace,
            "env": extra_env,
            "quick": args.quick,
            "database": "postgresql"
            if os.environ.get("DATABASE_URL", "").startswith("postgresql")
            else "sqlite",
        },
    }
    print("crisis rules on 500-character messages ...", flush=True)
    result["crisis_detection"] = crisis_speed.measure()
    print("semantic crisis layer: time per message and memory ...", flush=True)
    result["crisis_semantic"] = crisis_speed.measure_semantic()
    result["training"] = (
        time_training()
        if os.environ.get("BENCH_TRAIN", "0" if args.quick else "1") == "1"
        else last_training(args.out)
    )
    kinds = load_mix()
    pace = Pace(think_min=args.think[0], think_max=args.think[1], grace=args.grace)
    payload = catalogue().payload
    bot_api = ThreadedBotApi()
    stack = BenchStack(workdir, bot_api, extra_env)
    try:
        print("starting the stack (cold start) ...", flush=True)
        result["cold_start"] = cold_start(stack, time.monotonic())
        warm_up(stack, kinds, payload)
        pids = {name: proc.pid for name, proc in stack.procs.items()}
        pids["bench (fake Telegram + clients)"] = os.getpid()
        monitor = Monitor(pids).start()
        result["ours"] = run_levels(
            "ours",
            lambda: TelegramClient(bot_api.fake, pace),
            stack,
            monitor,
            kinds,
            pace,
            args,
            first_user=100_000,
        )
        if not args.no_baseline:
            result["baseline"] = run_levels(
                "plain rasa",
                lambda: RestClient(stack.rasa_url, payload, pace),
                stack,
                monitor,
                kinds,
                pace,
                args,
                first_user=500_000,
            )
        monitor.stop()
    finally:
        stack.stop_all()
        bot_api.close()
    result["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if args.profile:
        result["profile"] = report.profiles(workdir, args.out, stamp)
    json_path = args.out / f"bench-{stamp}.json"
    json_path.write_text(json.dumps(result, indent=1))
    chart = report.chart(result, args.out / f"bench-{stamp}.png")
    markdown = report.markdown(result, json_path.name, chart.name if chart else None)
    (args.out / "bench-latest.md").write_text(markdown)
    if chart:
        shutil.copy(chart, args.out / "bench-latest.png")
    print(markdown)
    print(f"wrote {json_path}, {chart}, {args.out / 'bench-latest.md'}")
    shutil.rmtree(workdir, ignore_errors=True)
