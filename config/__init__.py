"""Settings read from the environment and .env: the only place that does so."""

from config.settings import (
    DEFAULT_API_URL,
    Settings,
    SettingsError,
    describe_validation_error,
    env_name,
    load_settings,
)

__all__ = [
    "DEFAULT_API_URL",
    "Settings",
    "SettingsError",
    "describe_validation_error",
    "env_name",
    "load_settings",
]
