"""The bot as a new user runs it: ``python -m bot`` in a clean environment, stopped by a signal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import ALICE, ALICE_CHAT, TOKEN
from tests.e2e.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "متى وصل بوتين إلى كازاخستان؟"


def clean_env(**variables: str) -> dict[str, str]:
    """Only what a user would set: no NEWSBOT_* leaking in from the test runner."""
    return {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8", **variables}


def start_bot(api: FakeBotApi, tmp_path: Path) -> subprocess.Popen[str]:
    env = clean_env(
        NEWSBOT_TELEGRAM_TOKEN=api.token,
        NEWSBOT_TELEGRAM_API_URL=api.base_url,
        NEWSBOT_CORPUS=str(ROOT / "seeds"),
    )
    # cwd is an empty folder: no .env from the developer's checkout is read.
    return subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_python_m_bot_answers_then_stops_cleanly_on_a_signal(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    with FakeBotApi(TOKEN) as api:
        process = start_bot(api, tmp_path)
        try:
            question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
            api.wait_until_sync(
                lambda: bool(api.replies_to(ALICE_CHAT.id, question["message_id"])), timeout=30
            )
            api.wait_until_sync(api.is_polling)
            process.send_signal(stop_signal)
            stdout, stderr = process.communicate(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, stderr
        [answer] = api.replies_to(ALICE_CHAT.id, question["message_id"])
        assert "<blockquote>" in answer.html
        assert api.pending_updates() == 0  # the final getUpdates confirmed what was handled
    assert TOKEN not in stdout + stderr
    assert "TEST-TOKEN" not in stdout + stderr
    assert "Traceback" not in stderr
    assert "polling as @arabic_news_test_bot" in stderr


def test_without_a_token_it_explains_how_to_get_one_and_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "@BotFather" in result.stderr and "newsbot ask" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NEWSBOT_TOP_K", "zero"),
        ("NEWSBOT_TELEGRAM_API_URL", "api.telegram.org"),
        ("NEWSBOT_CORPUS", "/no/such/corpus"),
        ("NEWSBOT_ALLOWED_IDS", "alice,bob"),
        ("NEWSBOT_LOG_LEVEL", "chatty"),
    ],
)
def test_an_invalid_setting_is_one_line_naming_the_variable_exit_2(
    tmp_path: Path, variable: str, value: str
) -> None:
    env = clean_env(NEWSBOT_TELEGRAM_TOKEN=TOKEN, **{variable: value})
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0]
    assert TOKEN not in result.stderr


def test_a_rejected_token_is_reported_without_the_token(tmp_path: Path) -> None:
    with FakeBotApi(TOKEN) as api:
        env = clean_env(NEWSBOT_TELEGRAM_TOKEN="999:WRONG-TOKEN", NEWSBOT_TELEGRAM_API_URL=api.base_url)
        result = subprocess.run(
            [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30
        )
    assert result.returncode == 2
    assert "rejected the token" in result.stderr
    assert "WRONG-TOKEN" not in result.stderr
