"""The bot's settings: environment variables with the prefix NEWSBOT_ and an optional .env file.

This is the only module that reads the environment. Invalid values surface as one
``SettingsError`` line naming the variable, so entry points can print it and exit 2
without a traceback. The token is a ``SecretStr``: it never appears in a repr or an error.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as _SourceError

from config.ids import split_id_list
from config.storage import StorageSettings

ENV_PREFIX = "NEWSBOT_"
DEFAULT_API_URL = "https://api.telegram.org/bot"
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class SettingsError(ValueError):
    """A setting is missing or invalid; the message is one line naming the variable."""


class Settings(BaseSettings):
    """Everything the bot can be configured with; tests pass values as keyword arguments."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        frozen=True,
    )

    # TELEGRAM_BOT_TOKEN is what most hosting guides and other bots use; ours wins when both are set.
    telegram_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("NEWSBOT_TELEGRAM_TOKEN", "TELEGRAM_BOT_TOKEN", "telegram_token"),
    )
    # python-telegram-bot's form: the token is appended, e.g. http://127.0.0.1:8081/bot
    telegram_api_url: str = DEFAULT_API_URL
    # None means the seeds bundled with the project.
    corpus: Path | None = None
    top_k: int = Field(default=3, ge=1, le=10)
    # Empty means everyone may use the bot; otherwise user ids or chat ids (groups are negative).
    allowed_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: LogLevel = "INFO"
    # How much newer articles are preferred among near-equal quotes (retrieval.RecencyPreference):
    # the bonus of an article published today, halved every NEWSBOT_RECENCY_HALF_LIFE_DAYS. Small by
    # default so it orders near-ties and never outweighs relevance; 0 turns it off.
    recency_weight: float = Field(default=0.05, ge=0, le=10)
    recency_half_life_days: float = Field(default=7.0, gt=0)
    # Long-poll timeout of getUpdates in seconds; shutdown does not wait for it.
    poll_timeout: float = Field(default=30.0, ge=0, le=60)
    # How long a chat's last question stays the topic of a follow-up («وماذا عن…»), in minutes.
    followup_minutes: float = Field(default=10.0, gt=0, le=24 * 60)
    # Questions one user may ask per minute (a burst of this many, then one every 60/N seconds); 0: no limit.
    questions_per_minute: int = Field(default=20, ge=0, le=10_000)
    # The article store, ingestion and admins (NEWSBOT_DB, NEWSBOT_ADMIN_IDS, ...): read with the rest.
    storage: StorageSettings = Field(default_factory=StorageSettings)

    @field_validator("telegram_token")
    @classmethod
    def _token_not_blank(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        return SecretStr(value.get_secret_value().strip())

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url_is_http(cls, value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) URL such as https://api.telegram.org/bot")
        if "{" not in value and not value.rstrip("/").endswith("/bot"):
            # A bare server address: the Bot API serves methods under /bot<token>/.
            return value.rstrip("/") + "/bot"
        return value if "{" in value else value.rstrip("/")

    @field_validator("corpus")
    @classmethod
    def _corpus_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.exists():
            raise ValueError("no such file or directory")
        return value

    @field_validator("allowed_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        return split_id_list(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


_SECRET_FIELDS = frozenset({"telegram_token"})


def env_name(field: str) -> str:
    """The environment variable that sets ``field``."""
    return f"{ENV_PREFIX}{field.upper()}"


def _describe(error: Any) -> str:
    loc = error.get("loc") or ("",)
    field = str(loc[0])
    if field.startswith(ENV_PREFIX) or field == "TELEGRAM_BOT_TOKEN":
        field = field.removeprefix(ENV_PREFIX).lower() if field != "TELEGRAM_BOT_TOKEN" else "telegram_token"
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if field in _SECRET_FIELDS:
        return f"{env_name(field)}: {message}"
    return f"{env_name(field)}: {message} (got {error.get('input')!r})"


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming each invalid variable (NEWSBOT_*), the token's value never included."""
    return "; ".join(_describe(error) for error in exc.errors())


def load_settings(**overrides: Any) -> Settings:
    """Read the settings from the environment and .env; raise SettingsError with one clear line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc)) from None
    except _SourceError as exc:
        # Raised by a settings source before validation, e.g. an unreadable .env file.
        raise SettingsError(str(exc).splitlines()[0]) from None
