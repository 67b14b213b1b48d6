"""One typed settings object, read from the environment once.

Every environment variable the code reads is named here and in the README's configuration
table. In local mode (the default) secrets that are missing are generated once and kept under
`var/`, so `make run` works on a new machine; in production mode they are required.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PLACEHOLDERS = {"", "changeme", "change-me", "secret", "xxx"}


class SettingsError(RuntimeError):
    """A setting is missing or unsafe for the chosen mode."""


def _local_secret(name: str, make: Callable[[], str] | None = None) -> str:
    """Return a secret kept under var/ for local mode, creating it on first use."""
    path = VAR / f"{name}.secret"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(make() if make else secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _sqlite_url(name: str) -> str:
    return f"sqlite:///{VAR / name}"


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; see the README's configuration table for each field."""

    mode: str = "local"
    database_url: str = field(default_factory=lambda: _sqlite_url("herstelgids.db"))
    tracker_database_url: str = field(default_factory=lambda: _sqlite_url("rasa_tracker.db"))
    pseudonym_secret: str = ""
    rasa_urls: tuple[str, ...] = ("http://127.0.0.1:5005",)  # replicas: RASA_URL=a,b
    rasa_auth_token: str = ""
    rasa_timeout_seconds: float = 5.0
    check_every_seconds: float = 30.0  # tracker-store probe, kept messages, waiting tickets
    action_server_url: str = "http://127.0.0.1:5055/webhook"
    telegram_bot_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str = ""
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8443
    telegram_messages_per_second: float = 30.0  # Telegram's limit per bot (see README)
    replica_name: str = "gateway"  # which gateway replica this is (claims: bot/claims.py)
    peer_group_chat_id: int | None = None
    peer_reannounce_minutes: float = 5.0
    retention_days: int = 90
    log_level: str = "INFO"
    model_dir: Path = ROOT / "models"
    # plan: Fernet key(s) for the signaleringsplan, newest first ("new,old" rotates)
    plan_encryption_key: str = ""
    # team console: where it listens, and the address its login links point to
    console_listen: str = "127.0.0.1"
    console_port: int = 8090
    console_public_url: str = "http://127.0.0.1:8090"

    @property
    def local(self) -> bool:
        """Local mode allows generated secrets and the terminal chat."""
        return self.mode == "local"


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def _url_list(value: str) -> tuple[str, ...]:
    """Comma-separated base URLs (several Rasa replicas), without trailing slashes."""
    return tuple(url.strip().rstrip("/") for url in value.split(",") if url.strip())


def _secret(name: str, *, local: bool, make: Callable[[], str] | None = None) -> str:
    value = _env(name)
    if value is not None and value.lower() in PLACEHOLDERS:
        value = None
    if value is None:
        if not local:
            raise SettingsError(f"{name} must be set to a real secret outside local mode")
        return _local_secret(name.lower(), make)
    return value


def load_settings() -> Settings:
    """Read the environment once; raise SettingsError with a clear message when unusable."""
    mode = (_env("HERSTELGIDS_MODE") or "local").lower()
    if mode not in {"local", "production"}:
        raise SettingsError("HERSTELGIDS_MODE must be 'local' or 'production'")
    local = mode == "local"
    database_url = _env("DATABASE_URL") or _sqlite_url("herstelgids.db")
    default_tracker = database_url if not database_url.startswith("sqlite") else None
    token = _env("TELEGRAM_BOT_TOKEN")
    webhook_url = _env("TELEGRAM_WEBHOOK_URL")
    group = _env("PEER_GROUP_CHAT_ID")
    return Settings(
        mode=mode,
        database_url=database_url,
        tracker_database_url=_env("RASA_TRACKER_DATABASE_URL")
        or default_tracker
        or _sqlite_url("rasa_tracker.db"),
        pseudonym_secret=_secret("PSEUDONYM_SECRET", local=local),
        rasa_urls=_url_list(_env("RASA_URL") or "http://127.0.0.1:5005"),
        rasa_auth_token=_secret("RASA_AUTH_TOKEN", local=local),
        rasa_timeout_seconds=float(_env("RASA_TIMEOUT_SECONDS") or 5.0),
        check_every_seconds=float(_env("CHECK_EVERY_SECONDS") or 30.0),
        action_server_url=_env("ACTION_SERVER_URL") or "http://127.0.0.1:5055/webhook",
        telegram_bot_token=token,
        telegram_api_base_url=_env("TELEGRAM_API_BASE_URL") or "https://api.telegram.org/bot",
        telegram_webhook_url=webhook_url,
        telegram_webhook_secret=_secret("TELEGRAM_WEBHOOK_SECRET", local=local)
        if webhook_url
        else "",
        telegram_webhook_listen=_env("TELEGRAM_WEBHOOK_LISTEN") or "127.0.0.1",
        telegram_webhook_port=int(_env("TELEGRAM_WEBHOOK_PORT") or 8443),
        telegram_messages_per_second=float(_env("TELEGRAM_MESSAGES_PER_SECOND") or 30.0),
        replica_name=_env("REPLICA_NAME") or socket.gethostname(),
        peer_group_chat_id=int(group) if group else None,
        peer_reannounce_minutes=float(_env("PEER_REANNOUNCE_MINUTES") or 5.0),
        retention_days=int(_env("RETENTION_DAYS") or 90),
        log_level=(_env("LOG_LEVEL") or "INFO").upper(),
        model_dir=Path(_env("RASA_MODEL_DIR") or ROOT / "models"),
        plan_encryption_key=_plan_key(
            _secret("PLAN_ENCRYPTION_KEY", local=local, make=_new_fernet_key)
        ),
        console_listen=_env("CONSOLE_LISTEN") or "127.0.0.1",
        console_port=int(_env("CONSOLE_PORT") or 8090),
        console_public_url=(
            _env("CONSOLE_PUBLIC_URL") or f"http://127.0.0.1:{_env('CONSOLE_PORT') or 8090}"
        ).rstrip("/"),
    )


# --- plan --------------------------------------------------------------------------


def _new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _plan_key(value: str) -> str:
    """Refuse a PLAN_ENCRYPTION_KEY that is not one or more Fernet keys (comma-separated)."""
    from cryptography.fernet import Fernet

    try:
        for key in value.split(","):
            Fernet(key.strip())
    except ValueError as error:
        raise SettingsError(
            'PLAN_ENCRYPTION_KEY must be a Fernet key (python -c "from cryptography.fernet '
            'import Fernet; print(Fernet.generate_key().decode())"), or several, newest first'
        ) from error
    return value


# --- end plan --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process, read once."""
    return load_settings()
