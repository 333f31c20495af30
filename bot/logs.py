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


class BootstrapTracebackFilter(logging.Filter):
    """Drop the traceback python-telegram-bot logs when start-up fails.

    ``bot.app.run`` reports that outcome itself in one line (rejected token, unreachable
    API); the library's traceback would only bury it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram.ext") and "Network Retry Loop (Bootstrap" in record.getMessage():
            record.exc_info = None
            record.exc_text = None
        return True


def configure_logging(level: int, *, secrets: tuple[str, ...] = ()) -> None:
    """Log to stderr at ``level``; lines never contain ``secrets``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    handler.addFilter(BootstrapTracebackFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
