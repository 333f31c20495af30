"""Telegram id lists as written in the environment: "123, 456" or "123 456"."""

from __future__ import annotations

from typing import Any


def split_id_list(value: Any) -> Any:
    """Parse a comma/space-separated string of ids; other values (already a set) pass through."""
    if isinstance(value, str):
        try:
            return frozenset(int(part) for part in value.replace(",", " ").split())
        except ValueError:
            raise ValueError("expected numeric user or chat ids separated by commas") from None
    return value
