"""Commands: /start counts the articles, /help shows the admin part to admins only, /sources lists them."""

from __future__ import annotations

from bot import texts
from bot.access import AccessPolicy
from tests.bot.handlers.harness import Harness, message_update


async def test_help_shows_admin_commands_only_to_admins(harness: Harness) -> None:
    await harness.feed(message_update("/help"))
    assert "/add" not in harness.replies()[-1]
    harness.app.bot_data.access = AccessPolicy(admin_ids=frozenset({7}))
    await harness.feed(message_update("/help"))
    assert texts.ADMIN_HELP.strip().splitlines()[0] in harness.replies()[-1]


async def test_start_counts_the_articles_with_the_arabic_plural(harness: Harness) -> None:
    await harness.feed(message_update("/start"))
    assert "لديّ الآن مقال واحد؛" in harness.replies()[-1]


async def test_sources_lists_the_articles_as_a_reply(harness: Harness) -> None:
    update = message_update("/sources")
    await harness.feed(update)
    [sent] = harness.request.sent()
    assert "زيارة رسمية" in str(sent["text"])
    assert sent["reply_parameters"]["message_id"] == update["message"]["message_id"]
