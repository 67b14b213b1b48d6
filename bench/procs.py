"""CPU seconds and peak memory of the stack's processes (and their children), via psutil."""

from __future__ import annotations

import os
import threading

import psutil


def _tree(pid: int) -> list[psutil.Process]:
    """The process and its children; for this process alone (the stack is its children)."""
    try:
        root = psutil.Process(pid)
        if pid == os.getpid():
            return [root]
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its living children."""
    total = 0.0
    for proc in _tree(pid):
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and its children."""
    total = 0
    for proc in _tree(pid):
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total


class Monitor:
    """Samples memory of named processes in a thread; CPU is read at the edges of a level."""

    def __init__(self, pids: dict[str, int], every: float = 0.25) -> None:
        self.pids = pids
        self.every = every
        self.peak: dict[str, int] = dict.fromkeys(pids, 0)
        self.peak_total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            total = 0
            for name, pid in self.pids.items():
                rss = rss_bytes(pid)
                self.peak[name] = max(self.peak[name], rss)
                total += rss if pid != os.getpid() else 0  # the stack, not the load generator
            self.peak_total = max(self.peak_total, total)

    def start(self) -> Monitor:
        """Begin sampling."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """End sampling."""
        self._stop.set()
        self._thread.join(2)

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far per process (take the difference across a level)."""
        return {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def reset_peaks(self) -> None:
        """Start a new peak measurement (per level)."""
        self.peak = dict.fromkeys(self.pids, 0)
        self.peak_total = 0

    def peaks_mib(self) -> dict[str, float]:
        """Peak resident memory per process and of the stack together (`total`), in MiB."""
        mib = {name: round(value / 2**20, 1) for name, value in self.peak.items()}
        mib["total"] = round(self.peak_total / 2**20, 1)
        return mib
