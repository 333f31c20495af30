"""Bounded refresh: a cap on new entries per feed, back-off for what keeps failing, a time budget.

The clock is a ``FakeClock`` (back-off waits of hours take no time); in the budget tests every HTTP
request the server answers "takes" ten seconds of it.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from retrieval.ingest import ArticleStore, Ingestor, Outcome, RefreshLimits, Status
from tests.ingest_server import RSS, NewsServer, Route, fixture
from tests.retrieval.ingest.conftest import FAST_LIMITS, FakeClock


def story(number: int) -> bytes:
    """An article page whose text is unique to ``number`` (the store keeps one copy of a text)."""
    extra = f"<p>وهذا هو الخبر رقم {number} من سلسلة أخبار المعرض الدولي للكتاب.</p></article>"
    return fixture("news_1.html").replace(b"</article>", extra.encode())


def feed_of(numbers: range, *, etag: str | None = None) -> Route:
    items = "".join(
        f"<item><title>خبر {n}</title><link>{{{{BASE}}}}/story/{n}</link></item>" for n in numbers
    )
    body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>سلسلة</title>{items}</channel></rss>'
    return Route(body.encode(), content_type=RSS, headers={"ETag": etag} if etag else {})


def statuses(outcomes: tuple[Outcome, ...]) -> list[str]:
    return [outcome.status.value for outcome in outcomes]


def bounded(ingestor: Ingestor, **limits: float) -> Ingestor:
    return Ingestor(
        store=ingestor.store,
        client=ingestor.client,
        limits=FAST_LIMITS,
        refresh_limits=RefreshLimits(**limits),  # type: ignore[arg-type]
        clock=ingestor.clock,
    )


def test_at_most_the_cap_of_new_entries_per_refresh_and_the_rest_next_time(
    server: NewsServer, ingestor: Ingestor, store: ArticleStore
) -> None:
    for number in range(1, 8):
        server.routes[f"/story/{number}"] = Route(story(number))
    server.routes["/series.rss"] = feed_of(range(1, 8), etag='"v1"')
    capped = bounded(ingestor, max_new_entries=3)
    capped.follow_feed(server.url("/series.rss"))

    first = capped.refresh()
    assert statuses(first) == ["added"] * 3 + ["skipped"]
    assert first[-1].detail == "4 more new entries left for the next refresh (at most 3 per feed per refresh)"
    assert sorted(path for path in server.hits if path.startswith("/story/")) == [
        "/story/1",
        "/story/2",
        "/story/3",
    ]  # the first entries of the feed (the newest), and nothing beyond the cap was downloaded
    assert store.feeds()[0].etag is None  # entries were left over: no 304 next time

    assert statuses(capped.refresh()) == ["skipped"] * 3 + ["added"] * 3 + ["skipped"]
    assert statuses(capped.refresh()) == ["skipped"] * 6 + ["added"]
    assert store.count() == 7
    assert store.feeds()[0].etag == '"v1"'  # everything dealt with: the validators are kept
    (unchanged,) = capped.refresh()
    assert unchanged.detail == "feed not modified since the last refresh"


def test_a_failing_entry_backs_off_exponentially_and_recovers(
    server: NewsServer, ingestor: Ingestor, store: ArticleStore, clock: FakeClock
) -> None:
    server.routes["/story/1"] = Route(story(1))
    server.routes["/series.rss"] = feed_of(range(1, 3))  # /story/2 does not exist yet
    ingestor.follow_feed(server.url("/series.rss"))
    feed_url = store.feeds()[0].url

    assert statuses(ingestor.refresh()) == ["added", "failed"]
    (failure,) = store.entry_failures(feed_url)
    assert (failure.failures, failure.retry_after) == (1, "2026-01-01T08:30:00+00:00")

    clock.advance(minutes=20)  # still backing off: not downloaded again
    outcomes = ingestor.refresh()
    assert statuses(outcomes) == ["skipped", "skipped"]
    assert outcomes[1].detail == (
        f"backing off after 1 failure in a row (last: HTTP 404 from {server.url('/story/2')});"
        " next try after 2026-01-01T08:30:00+00:00"
    )
    assert server.hits["/story/2"] == 1

    clock.advance(minutes=11)  # 08:31: tried again, failed again, waits twice as long
    assert statuses(ingestor.refresh()) == ["skipped", "failed"]
    (failure,) = store.entry_failures(feed_url)
    assert (failure.failures, failure.retry_after) == (2, "2026-01-01T09:31:00+00:00")

    server.routes["/story/2"] = Route(story(2))
    clock.advance(hours=1)
    assert statuses(ingestor.refresh()) == ["skipped", "added"]
    assert store.entry_failures(feed_url) == ()
    assert server.hits["/story/2"] == 3


@pytest.mark.parametrize(("failures", "wait"), [(1, 0.5), (2, 1), (3, 2), (6, 16), (40, 168), (10**6, 168)])
def test_back_off_doubles_up_to_a_week(failures: int, wait: float, clock: FakeClock) -> None:
    assert RefreshLimits().retry_after(failures, clock()) - clock() == timedelta(hours=wait)


def test_a_failing_feed_backs_off_and_recovers(
    server: NewsServer, ingestor: Ingestor, store: ArticleStore, clock: FakeClock
) -> None:
    server.routes["/series.rss"] = feed_of(range(1, 2))
    server.routes["/story/1"] = Route(story(1))
    ingestor.follow_feed(server.url("/series.rss"))
    server.routes["/series.rss"] = Route(b"down", status=503, content_type="text/plain")

    assert statuses(ingestor.refresh()) == ["failed"]
    clock.advance(minutes=10)
    (skipped,) = ingestor.refresh()
    assert skipped.status is Status.SKIPPED
    assert skipped.detail.startswith("backing off after 1 failure in a row (last: HTTP 503")
    assert server.hits["/series.rss"] == 2  # follow + the first refresh; the back-off sent nothing

    clock.advance(minutes=25)
    assert statuses(ingestor.refresh()) == ["failed"]
    (feed,) = store.feeds()
    assert (feed.failures, feed.retry_after) == (2, "2026-01-01T09:35:00+00:00")

    server.routes["/series.rss"] = feed_of(range(1, 2))
    clock.advance(hours=1)
    assert statuses(ingestor.refresh()) == ["added"]
    (feed,) = store.feeds()
    assert (feed.failures, feed.retry_after, feed.last_error) == (0, None, None)


def test_the_time_budget_stops_a_refresh_and_the_left_over_feed_goes_first_next_time(
    server: NewsServer, store: ArticleStore, client: httpx.Client, clock: FakeClock
) -> None:
    start = clock.now

    def ten_seconds_per_request() -> object:
        return start + timedelta(seconds=10 * sum(server.hits.values()))

    for number in range(1, 5):
        server.routes[f"/story/{number}"] = Route(story(number))
    server.routes["/a.rss"] = feed_of(range(1, 3))
    server.routes["/b.rss"] = feed_of(range(3, 5))
    setup = Ingestor(store=store, client=client, limits=FAST_LIMITS)
    setup.follow_feed(server.url("/a.rss"))
    setup.follow_feed(server.url("/b.rss"))
    server.hits.clear()
    ingestor = Ingestor(
        store=store,
        client=client,
        limits=FAST_LIMITS,
        refresh_limits=RefreshLimits(budget_seconds=25),
        clock=ten_seconds_per_request,  # type: ignore[arg-type]
    )

    first = ingestor.refresh()  # a.rss at 0 s, its entries at 10 s and 20 s; at 30 s the budget is spent
    assert statuses(first) == ["added", "added", "skipped"]
    assert first[-1].detail == "refresh time budget of 25 s used up; 1 feed left for the next refresh"
    assert "/b.rss" not in server.hits

    start = clock.now - timedelta(seconds=10 * sum(server.hits.values()))  # a new refresh, a new budget
    second = ingestor.refresh()  # b.rss first: it waited longest
    assert [outcome.item for outcome in second[:3]] == [
        server.url("/story/3"),
        server.url("/story/4"),
        "refresh",
    ]
    assert store.count() == 4


def test_the_budget_can_end_a_refresh_in_the_middle_of_a_feed(
    server: NewsServer, store: ArticleStore, client: httpx.Client, clock: FakeClock
) -> None:
    for number in range(1, 4):
        server.routes[f"/story/{number}"] = Route(story(number))
    server.routes["/series.rss"] = feed_of(range(1, 4), etag='"v1"')
    Ingestor(store=store, client=client, limits=FAST_LIMITS).follow_feed(server.url("/series.rss"))
    start = clock.now
    offset = sum(server.hits.values())
    ingestor = Ingestor(
        store=store,
        client=client,
        limits=FAST_LIMITS,
        refresh_limits=RefreshLimits(budget_seconds=15),
        clock=lambda: start + timedelta(seconds=10 * (sum(server.hits.values()) - offset)),
    )
    outcomes = ingestor.refresh()  # the feed at 0 s, an entry at 10 s; at 20 s two entries are left
    assert statuses(outcomes) == ["added", "skipped"]
    assert outcomes[-1].detail == "refresh time budget of 15 s used up; 2 entries left for the next refresh"
    assert store.feeds()[0].etag is None


def test_an_entry_that_is_not_an_http_url_fails_without_holding_the_feed_back(
    server: NewsServer, ingestor: Ingestor, store: ArticleStore
) -> None:
    server.routes["/story/1"] = Route(story(1))
    items = "<item><title>بريد</title><link>mailto:desk@example.com</link></item>"
    feed = feed_of(range(1, 2), etag='"v1"')
    server.routes["/series.rss"] = Route(
        feed.body.replace(b"</channel>", items.encode() + b"</channel>"),
        content_type=RSS,
        headers=feed.headers,
    )
    ingestor.follow_feed(server.url("/series.rss"))
    outcomes = ingestor.refresh()
    assert statuses(outcomes) == ["added", "failed"]
    assert outcomes[1].detail == "not an absolute http(s) URL: 'mailto:desk@example.com'"
    assert store.entry_failures(store.feeds()[0].url) == ()
    assert store.feeds()[0].etag == '"v1"'  # nothing to retry: the next refresh may get a 304
