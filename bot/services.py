"""The three processes of Herstelgids and how to start them.

`python -m bot serve rasa|actions|gateway` is the one way each is started, by `make run`
(through `run_all`) and by docker-compose alike, so both run the same commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from bot import db
from bot.crisis.model_file import ensure_model as ensure_crisis_model
from bot.directory.coordinators import seed_starter
from bot.logs import setup_logging
from bot.model import ensure_model, model_path
from bot.settings import ROOT, VAR, Settings
from bot.tracker_check import probe_sender, tracker_store_persists

log = logging.getLogger(__name__)
READY_TIMEOUT_SECONDS = 240.0
TRACKER_WAIT_SECONDS = 120.0


def rasa_listen() -> tuple[str, int]:
    """Interface and port for Rasa (127.0.0.1 locally; Compose sets 0.0.0.0 on its network)."""
    return os.environ.get("RASA_LISTEN", "127.0.0.1"), int(os.environ.get("RASA_PORT", "5005"))


def action_listen() -> tuple[str, int]:
    """Interface and port for the action server."""
    return os.environ.get("ACTIONS_LISTEN", "127.0.0.1"), int(
        os.environ.get("ACTIONS_PORT", "5055")
    )


def service_env(settings: Settings) -> dict[str, str]:
    """Environment for Rasa's endpoints.yml (tracker store and action server URLs)."""
    return {
        # TensorFlow's default thread pools (one thread per core each, spinning while they
        # wait) fight the gateway for two cores: with the gateway handling updates
        # concurrently, Rasa's turn p50 went from 36 to 102 ms at 30 people. One
        # thread each is faster here; set these in the environment to override.
        "TF_INTRA_OP_PARALLELISM_THREADS": "1",
        "TF_INTER_OP_PARALLELISM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        **os.environ,
        "RASA_TRACKER_URL": settings.tracker_database_url,
        "ACTION_SERVER_URL": settings.action_server_url,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }


def _profile_file(name: str) -> Path | None:
    """<dir>/<name>.prof when HERSTELGIDS_PROFILE_DIR is set (`make bench --profile`)."""
    folder = os.environ.get("HERSTELGIDS_PROFILE_DIR")
    return Path(folder) / f"{name}.prof" if folder else None


def profiler(name: str) -> list[str]:
    """`-m cProfile -o <dir>/<name>.prof` for a child process, when profiling."""
    path = _profile_file(name)
    return ["-m", "cProfile", "-o", str(path)] if path else []


@contextlib.contextmanager
def _profiled(name: str) -> Iterator[None]:
    """Profile this process into <dir>/<name>.prof, when profiling."""
    path = _profile_file(name)
    if path is None:
        yield
        return
    import cProfile

    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(str(path))


def rasa_argv(settings: Settings) -> list[str]:
    """`rasa run` (REST channel only, API behind a token) via bot.rasa_main; trains if needed."""
    model = ensure_model(settings.model_dir)
    if settings.tracker_database_url.startswith("sqlite:///"):
        Path(settings.tracker_database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    # Rasa would silently start with an in-memory tracker store if its database is not there.
    db.wait_for(settings.tracker_database_url, timeout=TRACKER_WAIT_SECONDS)
    host, port = rasa_listen()
    return [
        "-m",
        "bot.rasa_main",
        "run",
        "--model",
        str(model),
        "--enable-api",
        "--auth-token",
        settings.rasa_auth_token,
        "--interface",
        host,
        "--port",
        str(port),
        "--credentials",
        "credentials.yml",
        "--endpoints",
        "endpoints.yml",
    ]


def serve_rasa(settings: Settings) -> None:
    """Exec the Rasa server on the configured interface (`make bench` may profile it)."""
    argv = [sys.executable, *profiler("rasa"), *rasa_argv(settings)]
    os.chdir(ROOT)
    os.execve(sys.executable, argv, service_env(settings))


def serve_actions(settings: Settings) -> None:
    """Exec the rasa-sdk action server for the `actions` package."""
    host, port = action_listen()
    env = {**service_env(settings), "SANIC_HOST": host}
    os.chdir(ROOT)
    os.execve(
        sys.executable,
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        env,
    )


def prepare_database(settings: Settings) -> None:
    """Migrations, then the referral directory's national options (once; examples only local)."""
    db.upgrade(settings.database_url)
    seed_starter(settings.database_url, examples=settings.local)


def serve_gateway(settings: Settings) -> None:
    """Telegram when a token is set, otherwise the terminal chat."""
    prepare_database(settings)
    # The semantic crisis layer is trained here when its data changed (about a minute), so no
    # person's message ever waits for training; Compose keeps it on the models volume.
    ensure_crisis_model(settings.model_dir)
    _run_gateway(settings)


def serve_console(settings: Settings) -> None:
    """The team console on CONSOLE_LISTEN:CONSOLE_PORT, 127.0.0.1:8090 by default."""
    db.upgrade(settings.database_url)
    from bot.console.server import serve_console as run

    run(settings)


def _run_gateway(settings: Settings) -> None:
    """The gateway on a prepared database."""
    if settings.telegram_bot_token:
        from bot.telegram_app import run_telegram

        with _profiled("gateway"):
            run_telegram(settings)
    else:
        from bot.terminal import chat

        asyncio.run(chat(settings))


def _pump(stream: IO[bytes], name: str, sink: IO[str]) -> None:
    for raw in iter(stream.readline, b""):
        sink.write(f"[{name}] {raw.decode(errors='replace')}")
        sink.flush()


def start(name: str, log_to_file: bool) -> subprocess.Popen[bytes]:
    """Start `python -m bot serve NAME`, its lines prefixed with the name."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", name],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    sink: IO[str] = sys.stdout
    if log_to_file:
        (VAR / "log").mkdir(parents=True, exist_ok=True)
        sink = (VAR / "log" / f"{name}.log").open("a", encoding="utf-8")
    assert proc.stdout is not None
    threading.Thread(target=_pump, args=(proc.stdout, name, sink), daemon=True).start()
    return proc


def wait_ready(
    url: str, proc: subprocess.Popen[bytes], timeout: float = READY_TIMEOUT_SECONDS
) -> None:
    """Poll a health URL until it answers; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} process exited with {proc.returncode}")
        if _answers(url):
            return
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not become ready in {timeout:.0f} s")


def _answers(url: str) -> bool:
    """Whether a URL of ours answers 200 within a few seconds."""
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def healthy(service: str, settings: Settings) -> bool:
    """Whether a process can do its work: its HTTP endpoint, or for the gateway DB and Rasa."""
    if service == "rasa":
        local = f"http://127.0.0.1:{rasa_listen()[1]}"
        sender = probe_sender("health", local)  # not the gateway's probe conversation
        return (
            _answers(f"{local}/")
            and tracker_store_persists(
                local, settings.rasa_auth_token, settings.tracker_database_url, sender
            )
            is True
        )
    if service == "actions":
        return _answers(f"http://127.0.0.1:{action_listen()[1]}/health")
    if service == "console":
        return _answers(f"http://127.0.0.1:{settings.console_port}/health")
    try:
        db.ping(settings.database_url)
    except Exception:
        return False
    return all(_answers(f"{url}/") for url in settings.rasa_urls)


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """Stop children politely, then firmly."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_all(settings: Settings) -> None:
    """`make run`: migrations, model, Rasa and action server, then the gateway in front."""
    terminal = not settings.telegram_bot_token
    if terminal:
        setup_logging("gateway", settings.log_level, VAR / "log" / "gateway.log")
        print(f"Logs go to {VAR / 'log'}/. Starting Rasa and the action server (about 20 s)...")
    prepare_database(settings)  # before Rasa starts, so a broken database stops us early
    if not model_path(settings.model_dir).exists():
        print("Training the model: 1-2 minutes, only when the training data changed.")
    ensure_model(settings.model_dir)
    ensure_crisis_model(settings.model_dir)  # the gateway's semantic crisis layer, ~1 min
    procs = [start("actions", terminal), start("rasa", terminal), start("console", terminal)]
    try:
        rasa_host, rasa_port = rasa_listen()
        act_host, act_port = action_listen()
        wait_ready(f"http://{act_host}:{act_port}/health", procs[0])
        wait_ready(f"http://{rasa_host}:{rasa_port}/", procs[1])
        wait_ready(f"http://127.0.0.1:{settings.console_port}/health", procs[2])
        print(f"Team console: {settings.console_public_url} (log in with /console in Telegram)")
        _run_gateway(settings)
    except KeyboardInterrupt:
        pass
    finally:
        stop(procs)
