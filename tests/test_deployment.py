"""docker-compose.yml, the Dockerfile and the README agree with the code (no Docker engine here)."""

from __future__ import annotations

import re

import yaml

from bot.cli import _parser
from bot.settings import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
README = (ROOT / "README.md").read_text()


def readme_variables() -> set[str]:
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))


def code_variables() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        source = path.read_text()
        found |= set(
            re.findall(r'(?:_env|_secret|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]+)"', source)
        )
    return found


def test_every_variable_the_code_reads_is_in_the_readme_table():
    missing = code_variables() - readme_variables()
    assert not missing, f"not documented in README: {sorted(missing)}"
    assert {"TELEGRAM_BOT_TOKEN", "DATABASE_URL", "PSEUDONYM_SECRET"} <= code_variables()


def test_compose_services_run_commands_the_cli_accepts():
    parser = _parser()
    for name in ("action-server", "rasa", "rasa-2", "bot", "console"):
        service = COMPOSE["services"][name]
        command = service["command"]
        assert command[:3] == ["python", "-m", "bot"], name
        parser.parse_args(command[3:])  # exits (fails the test) on an unknown command
        check = service["healthcheck"]["test"]
        assert check[:4] == ["CMD", "python", "-m", "bot"], name
        parser.parse_args(check[4:])


def test_compose_has_healthchecks_volumes_and_env_file():
    services = COMPOSE["services"]
    assert set(services) == {"postgres", "action-server", "rasa", "rasa-2", "bot", "console"}
    assert all("healthcheck" in s for s in services.values())
    assert set(COMPOSE["volumes"]) == {"pgdata", "models"}
    assert (ROOT / ".env.example").exists()
    assert COMPOSE["networks"]["internal"]["internal"] is True
    assert services["rasa"]["networks"] == ["internal"]
    # the console is published on the host's loopback only
    assert services["console"]["ports"] == ["127.0.0.1:8090:8090"]


def test_the_replicas_profile_adds_a_second_rasa_the_gateway_can_route_to():
    services = COMPOSE["services"]
    first, second = services["rasa"], services["rasa-2"]
    assert second["profiles"] == ["replicas"] and "profiles" not in first
    for key in ("command", "healthcheck", "environment", "volumes", "networks"):
        assert second[key] == first[key], key
    assert second["depends_on"] == {"rasa": {"condition": "service_healthy"}}
    gateway = services["bot"]
    assert gateway["depends_on"]["rasa-2"] == {"condition": "service_healthy", "required": False}
    assert gateway["environment"]["RASA_URL"] == "${RASA_URL:-http://rasa:5005}"
    assert "RASA_URL=http://rasa:5005,http://rasa-2:5005" in (ROOT / ".env.example").read_text()


def test_compose_environment_is_documented_and_listed_in_env_example():
    env_example = (ROOT / ".env.example").read_text()
    documented = readme_variables()
    for name, service in COMPOSE["services"].items():
        if name == "postgres":
            continue
        for variable in service["environment"]:
            assert variable in documented, f"{name}: {variable} not in README"
    for variable in (
        "TELEGRAM_BOT_TOKEN",
        "PSEUDONYM_SECRET",
        "RASA_AUTH_TOKEN",
        "POSTGRES_PASSWORD",
    ):
        assert f"{variable}=" in env_example


def test_dockerfile_copies_only_what_exists():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for line in dockerfile.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
    assert "python3.10" in dockerfile and "uv sync --frozen" in dockerfile


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in README and "make run" in README
