"""Inline mode: each quote offered once, as a message with its source."""

from __future__ import annotations

from bot.handlers import inline
from tests.bot.handlers.harness import (
    QUOTES,
    USER,
    Harness,
    ids,
)


async def test_inline_query_offers_each_quote_once(harness: Harness) -> None:
    await harness.feed(
        {
            "update_id": next(ids),
            "inline_query": {"id": "iq", "from": USER, "query": "متى وصل الرئيس؟", "offset": ""},
        }
    )
    [answer] = harness.request.sent("answerInlineQuery")
    results = answer["results"]
    assert len(results) == len(QUOTES) and len({r["id"] for r in results}) == len(QUOTES)
    assert all("<blockquote>" in r["input_message_content"]["message_text"] for r in results)
    assert harness.engine.calls == [("متى وصل الرئيس؟", inline.INLINE_RESULTS, 0)]
