"""Inline mode: quotes a page at a time up to Telegram's 50 results; the newest headlines for an empty query."""

from __future__ import annotations

from typing import Any

from bot.handlers import inline
from tests.bot import fakes
from tests.bot.handlers.harness import (
    QUOTES,
    USER,
    Harness,
    ids,
)


async def ask_inline(harness: Harness, query: str, offset: str = "") -> dict[str, Any]:
    update = {"id": f"iq{next(ids)}", "from": USER, "query": query, "offset": offset}
    await harness.feed({"update_id": next(ids), "inline_query": update})
    return harness.request.sent("answerInlineQuery")[-1]


async def test_inline_query_offers_each_quote_once(harness: Harness) -> None:
    answer = await ask_inline(harness, "متى وصل الرئيس؟")
    results = answer["results"]
    assert len(results) == len(QUOTES) and len({r["id"] for r in results}) == len(QUOTES)
    assert all("<blockquote>" in r["input_message_content"]["message_text"] for r in results)
    assert harness.engine.calls == [("متى وصل الرئيس؟", inline.INLINE_PAGE, 0)]
    assert not answer.get("next_offset")


async def test_inline_quotes_page_with_next_offset_up_to_fifty(harness: Harness) -> None:
    article = fakes.article("many", " ".join(f"جملة رقم {i} عن الرئيس." for i in range(70)))
    harness.engine.quotes = tuple(
        fakes.quote(article, f"جملة رقم {i} عن الرئيس.", sentence=i) for i in range(70)
    )
    offsets, seen = [""], []
    while True:
        answer = await ask_inline(harness, "الرئيس", offsets[-1])
        seen += [r["id"] for r in answer["results"]]
        if not answer.get("next_offset"):
            break
        offsets.append(answer["next_offset"])
    assert offsets == ["", "10", "20", "30", "40"]
    assert len(seen) == len(set(seen)) == 50


async def test_an_empty_inline_query_offers_the_newest_headlines(harness: Harness) -> None:
    articles = tuple(
        fakes.article(f"a{i}", "نص.", title=f"عنوان {i:02d}", published=f"2024-11-{i + 1:02d}")
        for i in range(12)
    )
    harness.engine.articles = articles
    harness.app.bot_data.engine = harness.engine
    first = await ask_inline(harness, "")
    titles = [r["title"] for r in first["results"]]
    assert titles == [f"عنوان {i:02d}" for i in range(11, 1, -1)]
    assert first["next_offset"] == "10"
    rest = await ask_inline(harness, "", first["next_offset"])
    assert [r["title"] for r in rest["results"]] == ["عنوان 01", "عنوان 00"]
    assert "عنوان 11" in first["results"][0]["input_message_content"]["message_text"]
    assert harness.engine.calls == []
