"""`newsbot feeds` and `newsbot refresh`: follow, list, refresh, a broken feed, remove."""

from __future__ import annotations

from tests.bot.cli.running import run
from tests.ingest_server import NewsServer


def test_feeds_lifecycle(server: NewsServer) -> None:
    assert run("feeds", "list") == (0, "no feeds followed; add one with: newsbot feeds add URL\n")
    code, output = run("feeds", "add", server.url("/feed.rss"))
    assert (code, output.splitlines()[0]) == (
        0,
        f"added    {server.url('/feed.rss')} — أخبار العالم العربي (2 entries)",
    )
    code, output = run("feeds", "list")
    assert output.startswith(f"{server.url('/feed.rss')} — أخبار العالم العربي (never refreshed)")

    code, output = run("refresh")
    assert code == 0
    assert "2 added, 0 skipped, 0 failed" in output
    code, output = run("refresh")
    assert code == 0
    assert "0 added, 2 skipped, 0 failed" in output

    server.routes["/feed.rss"] = server.routes["/feed-broken"]
    code, output = run("refresh")
    assert code == 1
    assert f"failed   {server.url('/feed.rss')} — malformed feed" in output
    assert "2 articles in" in output
    assert "last error: malformed feed" in run("feeds", "list")[1]

    assert run("feeds", "remove", server.url("/feed.rss")) == (0, f"removed  {server.url('/feed.rss')}\n")
    assert run("feeds", "remove", server.url("/feed.rss"))[0] == 1
    assert run("feeds", "add", server.url("/article/utf8"))[0] == 1  # a page is not a feed


def test_feeds_list_shows_back_off_of_failing_feeds_and_entries(server: NewsServer) -> None:
    page = server.routes.pop("/news/2")
    run("feeds", "add", server.url("/feed.rss"))
    code, output = run("refresh")
    assert (code, "1 added, 0 skipped, 1 failed" in output) == (0, True)
    listing = run("feeds", "list")[1].splitlines()
    assert listing[1].startswith(
        f"    failing entry {server.url('/news/2')} — 1 failure in a row, last error: HTTP 404 from"
    )
    assert "next try after" in listing[1]

    code, output = run("refresh")  # within the back-off: the entry is not downloaded again
    assert "backing off after 1 failure in a row" in output
    assert server.hits["/news/2"] == 1

    server.routes["/news/2"] = page
    server.routes["/feed.rss"] = server.routes["/missing"]
    run("feeds", "remove", server.url("/feed.rss"))
    run("feeds", "add", server.url("/feed.atom"))
    server.routes["/feed.atom"] = server.routes["/error"]
    run("refresh")
    (line,) = run("feeds", "list")[1].splitlines()
    assert "last error: HTTP 500" in line and "1 failure in a row, next try after" in line
