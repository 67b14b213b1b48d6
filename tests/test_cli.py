"""The peers CLI as a coordinator uses it (documented in the README)."""

from __future__ import annotations

import os
import subprocess
import sys

from bot.settings import ROOT


def cli(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "PSEUDONYM_SECRET": "cli-test",
        "RASA_AUTH_TOKEN": "cli-test",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "peers", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_register_list_and_remove_peers(tmp_path):
    assert "no peers registered" in cli(tmp_path, "list").stdout
    assert cli(tmp_path, "add", "111", "--name", "Anna").returncode == 0
    assert cli(tmp_path, "add", "222", "--name", "Sam", "--role", "coordinator").returncode == 0
    listing = cli(tmp_path, "list").stdout
    assert "111\tpeer\tAnna\toff duty" in listing
    assert "222\tcoordinator\tSam\toff duty" in listing
    assert cli(tmp_path, "remove", "111").returncode == 0
    assert "Anna" not in cli(tmp_path, "list").stdout


def test_removing_someone_unknown_says_so(tmp_path):
    result = cli(tmp_path, "remove", "999")
    assert result.returncode == 1 and "not registered" in result.stderr


def test_an_unknown_role_is_refused(tmp_path):
    result = cli(tmp_path, "add", "333", "--name", "X", "--role", "admin")
    assert result.returncode == 2 and "invalid choice" in result.stderr
