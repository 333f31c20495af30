"""The `newsbot` entry point: one-line errors with exit 2, settings read once."""

from __future__ import annotations

import subprocess
import sys

import pytest

import bot.app
from config import Settings
from tests.bot.cli.running import REPO, run


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", "سؤال", "--corpus", "/nonexistent/corpus"], "corpus not found"),
        (["ask", "سؤال", "--top-k", "0"], "--top-k"),
        (["ask", "سؤال", "--top-k", "many"], "--top-k"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_errors_are_one_line_and_exit_2(argv: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_bad_setting_is_one_line_naming_it_before_the_command_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBOT_FEEDS_REFRESH_MINUTES", "0")
    assert run("sources") == (2, "")
    err = capsys.readouterr().err
    assert err.startswith("newsbot: NEWSBOT_FEEDS_REFRESH_MINUTES: ") and err.count("\n") == 1


def test_run_options_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_TOP_K", "4")
    started: list[Settings] = []

    def fake_run(settings: Settings) -> int:
        started.append(settings)
        return 0

    monkeypatch.setattr(bot.app, "run", fake_run)
    assert run("run", "--top-k", "7", "--corpus", str(REPO / "seeds")) == (0, "")
    [settings] = started
    assert (settings.top_k, settings.corpus) == (7, REPO / "seeds")
    assert run("run") == (0, "")
    assert started[1].top_k == 4 and started[1].corpus is None
