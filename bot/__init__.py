"""Telegram adapter and command-line entry points of the Arabic news bot."""
