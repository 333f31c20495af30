"""``newsbot``: the parser built from each subcommand's ``register``, settings read once, errors as one line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from bot.cli import add, ask, evaluate, export, feeds, refresh, remove, run, sources
from bot.cli.options import CommandError, Parser
from config import SettingsError, load_settings

Registration = Callable[[Any], None]
# Each command module contributes register(subparsers); this order is the --help order.
REGISTRATIONS: tuple[Registration, ...] = (
    ask.register,
    sources.register,
    evaluate.register,
    add.register,
    remove.register,
    export.register,
    feeds.register,
    refresh.register,
    run.register,
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="newsbot",
        description="Arabic news question answering: quotes source sentences verbatim, with their sources.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for register in REGISTRATIONS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Options such as `run --corpus` override the environment; every other setting comes from it.
    names: tuple[str, ...] = getattr(args, "settings_overrides", ())
    overrides = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    try:
        settings = load_settings(**overrides)
        status: int = args.func(args, settings, out or sys.stdout)
    except SettingsError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return 2
    except CommandError as error:
        print(f"newsbot: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
