from tests.bot.handlers.harness import harness

__all__ = ["harness"]  # the fixture, for every handler test
