"""Logging set-up: one format, quiet HTTP loggers, and the token scrubbed from every line."""

from __future__ import annotations

import logging
import sys

# httpx logs every request URL at INFO, and the URL contains the bot token.
_NOISY_LOGGERS = ("httpx", "httpcore")


class RedactingFormatter(logging.Formatter):
    """Replace secrets wherever they appear in a formatted record, tracebacks included."""

    def __init__(self, fmt: str, secrets: tuple[str, ...]) -> None:
        super().__init__(fmt)
        self._secrets = tuple(secret for secret in secrets if secret)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[token]")
        return text


def configure_logging(level: int, *, secrets: tuple[str, ...] = ()) -> None:
    """Log to stderr at ``level``; lines never contain ``secrets``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
