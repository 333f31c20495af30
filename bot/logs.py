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


class ShutdownPollFilter(logging.Filter):
    """Turn python-telegram-bot's failed last poll at shutdown into one WARNING line.

    When the updater stops it calls getUpdates once more to confirm the updates it fetched; when the
    Bot API is unreachable (the usual reason to restart) that call fails and the library logs an ERROR
    with three chained tracebacks, though nothing is wrong with the bot. Installed on the library's
    logger itself (``quiet_library_logs``), so every handler (and pytest's caplog) sees the one line.
    """

    MARKER = "Error while calling `get_updates` one more time"

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and str(record.msg).startswith(self.MARKER):
            error = record.exc_info[1]
            record.msg = (
                "could not confirm the last updates while stopping (%s); they may be fetched again on restart"
            )
            record.args = (f"{type(error).__name__}: {error}",)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


_UPDATER_LOGGER = "telegram.ext.Updater"


def quiet_library_logs() -> None:
    """Install ``ShutdownPollFilter`` on python-telegram-bot's updater logger (once per process)."""
    updater_logger = logging.getLogger(_UPDATER_LOGGER)
    if not any(isinstance(existing, ShutdownPollFilter) for existing in updater_logger.filters):
        updater_logger.addFilter(ShutdownPollFilter())


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
