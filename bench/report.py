"""The bench's outputs: a line per level, the Markdown summary, the chart, README, profiles."""

from __future__ import annotations

import io
import pstats
import re
import shutil
from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _f(value, unit: str = "") -> str:
    return "–" if value is None else f"{value:g}{unit}"


def level_line(level: dict) -> str:
    """One progress line for the terminal."""
    lat = level["latency"]
    return (
        f"{level['system']:>10} {level['users']:>4} people: {level['turns_per_s']:>6} turns/s"
        f"  p50 {_f(lat['p50_ms'])} p95 {_f(lat['p95_ms'])} p99 {_f(lat['p99_ms'])} ms"
        f"  crisis p95 {_f(level['crisis_first_reply']['p95_ms'])} ms"
        f"  missing {level['missing_replies']} extra {level['extra_replies']}"
    )


def _ratio(ours, base) -> str:
    if ours is None or not base:
        return "–"
    return f"{ours / base:.2f}×"


def markdown(result: dict, json_name: str, chart_name: str | None) -> str:
    """The short summary that goes into results/bench-latest.md and the README."""
    settings, machine = result["settings"], result["machine"]
    base = {level["users"]: level for level in result.get("baseline", [])}
    lines = [
        f"Last run {result['started']}{' (' + result['label'] + ')' if result['label'] else ''}"
        f"{' with BENCH_QUICK=1' if settings['quick'] else ''}: {machine['cpus']} CPUs, "
        f"load average {machine['loadavg_at_start'][0]} at start and "
        f"{machine['loadavg_at_end'][0]} at end; {settings['duration_s']:g} s per level after "
        f"{settings['warmup_s']:g} s warm-up, think time {settings['think_s'][0]:g}–"
        f"{settings['think_s'][1]:g} s, {settings['database']}"
        f"{_env_note(settings.get('env') or {})}. Full figures: `results/{json_name}`.",
        "",
        "| people | turns/s | p50 ms | p95 ms | p99 ms | crisis p95 ms | missing / extra "
        "| plain Rasa turns/s | plain Rasa p95 ms | p95 ratio | CPU s (rasa / gateway) "
        "| peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for level in result.get("ours", []):
        lat, other = level["latency"], base.get(level["users"])
        other_lat = other["latency"] if other else {}
        cpu = level["cpu_s"]
        lines.append(
            f"| {level['users']} | {level['turns_per_s']:g} | {_f(lat['p50_ms'])} "
            f"| {_f(lat['p95_ms'])} | {_f(lat['p99_ms'])} "
            f"| {_f(level['crisis_first_reply']['p95_ms'])} "
            f"| {level['missing_replies']} / {level['extra_replies']} "
            f"| {_f(other['turns_per_s']) if other else '–'} | {_f(other_lat.get('p95_ms'))} "
            f"| {_ratio(lat['p95_ms'], other_lat.get('p95_ms'))} "
            f"| {_f(cpu.get('rasa'))} / {_f(cpu.get('gateway'))} "
            f"| {_f(level['peak_rss_mib']['total'])} |"
        )
    crisis, cold = result["crisis_detection"], result["cold_start"]
    training = result.get("training")
    train_text = "not measured (a full run, or BENCH_TRAIN=1, measures it)"
    if training:
        how = "this run" if training.get("measured") else training.get("from", "an earlier run")
        train_text = f"{training['seconds']:g} s ({how})"
    lines += [
        "",
        f"- Cold start (command to the first reply): {cold['to_first_reply_s']:g} s "
        f"(processes ready after {cold['to_ready_s']:g} s). Training: {train_text}.",
        f"- Crisis rules on a 500-character message: mean {crisis['mean_ms']:g} ms, p99 "
        f"{crisis['p99_ms']:g} ms (target < {crisis['target_ms']:g} ms).",
        *_semantic_line(result.get("crisis_semantic")),
        "- Turn time: the person's message queued at the Bot API → the last expected bubble "
        "received there; crisis: to the first bubble. Plain Rasa: the same people and "
        "messages through Rasa's REST channel, no gateway.",
    ]
    if chart_name:
        lines.append(f"- Chart: `results/{chart_name}` (latency distribution per level).")
    return "\n".join(lines) + "\n"


def _env_note(env: dict[str, str]) -> str:
    """The stack settings a run changed (not the profiler's folder), for the summary line."""
    shown = {k: v for k, v in env.items() if k != "HERSTELGIDS_PROFILE_DIR"}
    return ", with " + ", ".join(f"{k}={v}" for k, v in shown.items()) if shown else ""


def chart(result: dict, path: Path) -> Path | None:
    """Box plots of turn time per level, ours beside plain Rasa (log scale)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    ours = result.get("ours", [])
    base = {level["users"]: level for level in result.get("baseline", [])}
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(ours)), 4.5))
    data, positions, colours = [], [], []
    for index, level in enumerate(ours):
        for offset, source, colour in (
            (-0.2, level, "tab:blue"),
            (0.2, base.get(level["users"]), "tab:orange"),
        ):
            values = (source or {}).get("latencies_ms") or [float("nan")]
            data.append(values)
            positions.append(index + offset)
            colours.append(colour)
    boxes = ax.boxplot(
        data, positions=positions, widths=0.35, whis=(5, 95), showfliers=False, patch_artist=True
    )
    for patch, colour in zip(boxes["boxes"], colours, strict=True):
        patch.set_facecolor(colour)
        patch.set_alpha(0.6)
    ax.set_xticks(range(len(ours)))
    ax.set_xticklabels([f"{level['users']} people" for level in ours])
    ax.set_yscale("log")
    ax.set_ylabel("turn time, ms (box: p25–p75, whiskers: p5–p95)")
    ax.set_title("Herstelgids (blue) vs plain Rasa REST (orange)")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def update_readme(summary: Path, readme: Path, start: str = START, end: str = END) -> None:
    """Put the summary between a pair of markers in the README (the bench's by default)."""
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{readme} has no {start} … {end} markers")
    body = summary.read_text(encoding="utf-8").strip()
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    readme.write_text(pattern.sub(lambda _: f"{start}\n{body}\n{end}", text), encoding="utf-8")


def profiles(workdir: Path, out: Path, stamp: str, top: int = 35) -> dict[str, str]:
    """Top functions by own and cumulative time of every .prof file, as text in results/.

    cProfile counts a coroutine only while it runs, so these are CPU-like figures: time
    spent waiting on Rasa or the network shows up under the event loop's `select`.
    """
    written = {}
    for prof in sorted(workdir.glob("*.prof")):
        buffer = io.StringIO()
        stats = pstats.Stats(str(prof), stream=buffer).strip_dirs()
        buffer.write(f"== {prof.stem}: by own time ==\n")
        stats.sort_stats("tottime").print_stats(top)
        buffer.write(f"== {prof.stem}: by cumulative time ==\n")
        stats.sort_stats("cumulative").print_stats(top)
        target = out / f"profile-{stamp}-{prof.stem}.txt"
        target.write_text(buffer.getvalue())
        shutil.copy(prof, target.with_suffix(".prof"))  # for pstats: callers, other sorts
        written[prof.stem] = target.name
    return written


def _semantic_line(semantic: dict | None) -> list[str]:
    """The semantic crisis layer's cost, when the run measured it."""
    if not semantic:
        return []
    return [
        f"- Crisis layers per message (rules + semantic, with context): p50 "
        f"{semantic['layers_p50_ms']:g} ms, p95 {semantic['layers_p95_ms']:g} ms; added to the "
        f"rules at p50 {semantic['added_p50_ms']:g} ms (target ≤ {semantic['target_ms']:g}); "
        f"memory added {semantic['added_mb']:g} MB (target ≤ {semantic['target_mb']:g})."
    ]
