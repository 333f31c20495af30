"""Admin commands: refused to others (nothing ingested), and explained when the corpus is fixed."""

from __future__ import annotations

import pytest

from bot import texts
from bot.access import AccessPolicy
from bot.layout import rtl
from tests.bot.handlers.harness import Harness, message_update

# /add and /refresh run with block=False, as tasks of an application the harness never starts polling;
# replies_after waits for them instead.
pytestmark = pytest.mark.filterwarnings("ignore:Tasks created via `Application.create_task`")


@pytest.mark.parametrize("command", ["/add https://example.test/news/1", "/refresh", "/remove db_1"])
async def test_a_non_admin_is_refused(harness: Harness, command: str) -> None:
    await harness.feed(message_update(command))
    assert await harness.replies_after(1) == [rtl(texts.ADMIN_ONLY)]


async def test_an_admin_is_told_a_fixed_corpus_cannot_grow(harness: Harness) -> None:
    data = harness.app.bot_data
    data.access = AccessPolicy(admin_ids=frozenset({7}))
    data.live = None
    await harness.feed(message_update("/refresh"))
    assert await harness.replies_after(1) == [rtl(texts.FIXED_CORPUS)]


async def test_add_without_urls_shows_the_usage(harness: Harness) -> None:
    harness.app.bot_data.access = AccessPolicy(admin_ids=frozenset({7}))
    await harness.feed(message_update("/add"))
    assert await harness.replies_after(1) == [rtl(texts.ADD_USAGE)]


async def test_remove_without_keys_shows_the_usage(harness: Harness) -> None:
    harness.app.bot_data.access = AccessPolicy(admin_ids=frozenset({7}))
    await harness.feed(message_update("/remove"))
    assert await harness.replies_after(1) == [rtl(texts.REMOVE_USAGE)]
