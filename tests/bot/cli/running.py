"""Running ``newsbot`` in-process, as the tests do."""

from __future__ import annotations

import io
from pathlib import Path

from bot.cli.main import main

REPO = Path(__file__).resolve().parents[3]
SEED_TEXTS = {p.stem: p.read_text(encoding="utf-8") for p in (REPO / "seeds").glob("*.txt")}


def run(*argv: str) -> tuple[int, str]:
    """The exit status and standard output of ``newsbot ARGV``."""
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()
