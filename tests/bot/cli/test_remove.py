"""`newsbot remove`: the article leaves the store and the answers, and nothing brings it back."""

from __future__ import annotations

import json

from tests.bot.cli.running import SEED_TEXTS, run
from tests.ingest_server import NewsServer, Route, fixture

BOOK_FAIR_QUESTION = "كم زائرا استقبل معرض الكتاب في الرباط؟"


def quoted_ids(question: str) -> list[str]:
    _, output = run("ask", question, "--json")
    return [quote["article_id"] for quote in json.loads(output)["quotes"]]


def stored_id(url_suffix: str) -> str:
    _, output = run("sources", "--json")
    (article,) = [a for a in map(json.loads, output.splitlines()) if (a["url"] or "").endswith(url_suffix)]
    return str(article["article_id"])


def test_a_removed_article_is_not_quoted_and_its_feed_does_not_bring_it_back(server: NewsServer) -> None:
    run("feeds", "add", server.url("/feed.rss"))
    assert "2 added" in run("refresh")[1]
    book_fair = stored_id("/news/1")
    assert quoted_ids(BOOK_FAIR_QUESTION)[0] == book_fair

    code, output = run("remove", book_fair)
    assert code == 0
    assert (
        output.splitlines()[0]
        == f"removed  {book_fair} — مهرجان الكتاب في الرباط يستقبل مئة ألف زائر [{book_fair}]"
    )
    assert "1 removed, 0 added, 0 skipped, 0 failed; 1 articles in" in output
    assert book_fair not in quoted_ids(BOOK_FAIR_QUESTION)
    assert book_fair not in run("sources")[1]

    code, output = run("refresh")
    assert f"skipped  {server.url('/news/1')}?utm_source=rss&utm_medium=feed — removed on " in output
    assert f"({book_fair}); not stored again" in output
    assert server.hits["/news/1"] == 1  # known as removed by its URL: not even downloaded

    # The same text under another URL is recognised after download; an explicit add is refused too.
    server.routes["/mirror"] = Route(fixture("news_1.html"))
    code, output = run("add", server.url("/mirror"), server.url("/news/1"))
    assert code == 0 and output.count("not stored again") == 2
    assert book_fair not in quoted_ids(BOOK_FAIR_QUESTION)


def test_remove_by_url_and_unknown_keys(server: NewsServer) -> None:
    run("add", server.url("/news/2"))
    satellite = stored_id("/news/2")
    seed = next(iter(SEED_TEXTS))
    code, output = run("remove", server.url("/news/2") + "?utm_source=tg#top", "db_0000000000000000", seed)
    assert code == 0  # one of them was removed
    lines = output.splitlines()
    assert (
        lines[0].startswith(f"removed  {server.url('/news/2')}?utm_source=tg#top — ")
        and satellite in lines[0]
    )
    assert lines[1] == "failed   db_0000000000000000 — no stored article has this id or URL"
    assert lines[2] == f"failed   {seed} — no stored article has this id or URL"  # seeds are not in the store
    assert run("remove", satellite)[0] == 1  # already removed: every item failed
