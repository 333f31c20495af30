"""Logging: the token is scrubbed from every line, tracebacks included; httpx stays quiet."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest

from bot.logs import (
    BootstrapTracebackFilter,
    RedactingFormatter,
    ShutdownPollFilter,
    configure_logging,
    quiet_library_logs,
)

TOKEN = "123456:SECRET-TOKEN"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def format_record(record: logging.LogRecord) -> str:
    return RedactingFormatter("%(name)s: %(message)s", (TOKEN,)).format(record)


def test_token_is_redacted_in_messages_arguments_and_tracebacks() -> None:
    try:
        raise ValueError(f"The token `{TOKEN}` was rejected")
    except ValueError as error:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "url %s",
            (f"/bot{TOKEN}/getMe",),
            (ValueError, error, error.__traceback__),
        )
    text = format_record(record)
    assert TOKEN not in text and text.count("[token]") >= 2


def test_configure_logging_keeps_httpx_at_warning(restore_logging: None) -> None:
    configure_logging(logging.DEBUG, secrets=(TOKEN,))
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("httpcore").level == logging.WARNING
    assert logging.getLogger().level == logging.DEBUG


def test_library_debug_lines_with_the_url_are_scrubbed(restore_logging: None) -> None:
    configure_logging(logging.DEBUG, secrets=(TOKEN,))
    stream = io.StringIO()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    logging.getLogger("telegram.Bot").debug("Set Bot API URL: %s", f"https://api.telegram.org/bot{TOKEN}")
    assert "Set Bot API URL" in stream.getvalue() and TOKEN not in stream.getvalue()


def test_bootstrap_failures_lose_only_their_traceback() -> None:
    try:
        raise RuntimeError("x")
    except RuntimeError as error:
        exc_info = (RuntimeError, error, error.__traceback__)
    record = logging.LogRecord(
        "telegram.ext",
        logging.ERROR,
        __file__,
        1,
        "%s Invalid token. Aborting retry loop.",
        ("Network Retry Loop (Bootstrap Initialize Application):",),
        exc_info,
    )
    assert BootstrapTracebackFilter().filter(record) and record.exc_info is None
    other = logging.LogRecord("bot.handlers", logging.ERROR, __file__, 1, "boom", (), exc_info)
    assert BootstrapTracebackFilter().filter(other) and other.exc_info is not None


def updater_shutdown_record() -> logging.LogRecord:
    """What python-telegram-bot logs when the last poll at shutdown fails (``_LOGGER.exception``)."""
    try:
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except ConnectionRefusedError as cause:
            raise RuntimeError("httpx.ConnectError: All connection attempts failed") from cause
    except RuntimeError:
        return logging.getLogger("telegram.ext.Updater").makeRecord(
            "telegram.ext.Updater",
            logging.ERROR,
            __file__,
            1,
            "Error while calling `get_updates` one more time to mark all fetched updates. "
            "Suppressing error to ensure graceful shutdown.",
            (),
            sys.exc_info(),
        )


def test_a_failed_last_poll_at_shutdown_is_one_warning_line_without_traceback() -> None:
    record = updater_shutdown_record()
    assert ShutdownPollFilter().filter(record)
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "ConnectError" in record.getMessage() and "\n" not in record.getMessage()


def test_other_library_errors_keep_their_traceback() -> None:
    record = updater_shutdown_record()
    record.msg = "Something went wrong processing the data received from Telegram."
    ShutdownPollFilter().filter(record)
    assert record.levelno == logging.ERROR and record.exc_info is not None


def test_the_filter_sits_on_the_library_logger_once() -> None:
    quiet_library_logs()
    quiet_library_logs()
    updater_filters = logging.getLogger("telegram.ext.Updater").filters
    assert sum(isinstance(f, ShutdownPollFilter) for f in updater_filters) == 1
