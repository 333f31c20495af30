"""Settings tests see no NEWSBOT_*, token or XDG variable and no .env from the developer's machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FOREIGN = ("TELEGRAM_BOT_TOKEN", "XDG_DATA_HOME", "XDG_CACHE_HOME")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("NEWSBOT_") or name in FOREIGN:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
