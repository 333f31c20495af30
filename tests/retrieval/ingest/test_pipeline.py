from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
import pytest

from retrieval.ingest import ArticleStore, Ingestor, Outcome, Status, all_failed
from tests.ingest_server import FIXTURES, RSS, NewsServer, Route, rss_feed
from tests.retrieval.ingest.conftest import FAST_LIMITS, FakeClock


def _statuses(outcomes: tuple[Outcome, ...]) -> list[str]:
    return [outcome.status.value for outcome in outcomes]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_add_url_stores_the_article(server: NewsServer, ingestor: Ingestor, store: ArticleStore) -> None:
    (outcome,) = ingestor.add([server.url("/article/utf8")])
    assert outcome.status is Status.ADDED
    assert outcome.title == "افتتاح محطة لتحلية المياه في العقبة"
    stored = store.get(outcome.article_id or "")
    assert stored is not None
    assert stored.url == server.url("/article/utf8")
    assert (stored.source, stored.published) == ("صحيفة الرافدين", "2024-12-03")
    assert "أربعمئة وخمسين مليون دينار" in stored.text


def test_add_windows_1256_page(server: NewsServer, ingestor: Ingestor, store: ArticleStore) -> None:
    (outcome,) = ingestor.add([server.url("/article/cp1256-detect")])
    assert outcome.status is Status.ADDED
    assert "ألمانيا وفرنسا وهولندا" in store.articles()[0].text


def test_redirected_page_is_stored_under_its_final_url(
    server: NewsServer, ingestor: Ingestor, store: ArticleStore
) -> None:
    first, second = ingestor.add([server.url("/redirect/1"), server.url("/redirect/target?utm_source=x")])
    assert (first.status, second.status) == (Status.ADDED, Status.SKIPPED)
    assert store.articles()[0].url == server.url("/redirect/target")
    assert server.hits["/redirect/target"] == 1  # the second was known by URL, not downloaded again


def test_duplicates_are_skipped_with_a_reason(
    server: NewsServer, ingestor: Ingestor, store: ArticleStore
) -> None:
    outcomes = ingestor.add(
        [
            server.url("/article/utf8"),
            server.url("/article/utf8?utm_source=tg&fbclid=1#top"),  # same URL once normalised
            server.url("/article/cp1256-meta"),
            server.url("/article/cp1256-header"),  # same text at another URL
        ]
    )
    assert _statuses(outcomes) == ["added", "skipped", "added", "skipped"]
    assert "same URL" in outcomes[1].detail
    assert "same text" in outcomes[3].detail
    assert outcomes[3].article_id == outcomes[2].article_id
    assert store.count() == 2
    assert server.hits["/article/utf8"] == 1


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/error", "HTTP 500"),
        ("/slow", "timed out"),
        ("/image.png", "unsupported content type image/png"),
        ("/empty", "no article text"),
        ("/english", "not an Arabic article"),
        ("/huge", "over the 200,000-byte limit"),
        ("/redirect/loop", "redirects"),
    ],
)
def test_bad_pages_fail_alone(
    server: NewsServer, ingestor: Ingestor, store: ArticleStore, path: str, reason: str
) -> None:
    ingestor.add([server.url("/news/1")])
    before = store.articles()
    outcomes = ingestor.add([server.url(path), server.url("/news/2")])
    assert _statuses(outcomes) == ["failed", "added"]
    assert reason in outcomes[0].detail
    assert store.articles()[1:] == before  # nothing already stored was touched


def test_unreachable_and_invalid_inputs(ingestor: Ingestor, tmp_path: Path) -> None:
    outcomes = ingestor.add(
        [f"http://127.0.0.1:{_closed_port()}/a", "not-a-url", str(tmp_path / "missing.txt")]
    )
    assert _statuses(outcomes) == ["failed", "failed", "failed"]
    assert "cannot reach" in outcomes[0].detail
    assert "not a URL or an existing file" in outcomes[1].detail
    assert all_failed(outcomes)


def test_add_files(ingestor: Ingestor, store: ArticleStore) -> None:
    names = [
        "article.md",
        "article.txt",
        "article_cp1256.txt",
        "article_utf8.html",
        "articles.jsonl",
        "feed.rss.xml",
    ]
    outcomes = ingestor.add([str(FIXTURES / name) for name in names])
    by_item = {Path(o.item).name: o for o in outcomes}
    assert by_item["article.md"].status is Status.ADDED
    assert by_item["article.md"].title == "مجلس الوزراء يقر موازنة العام المقبل"
    assert by_item["article.txt"].title == "انطلاق حملة وطنية لزراعة مليون شجرة"
    assert "not UTF-8" in by_item["article_cp1256.txt"].detail
    assert by_item["article_utf8.html"].status is Status.ADDED
    assert "unsupported file type .xml" in by_item["feed.rss.xml"].detail
    # One outcome per .jsonl line: two outlets on one story are two articles; bad lines fail alone.
    assert [(by_item[f"articles.jsonl:{n}"].status.value) for n in (1, 2, 3, 4)] == [
        "added",
        "added",
        "failed",
        "failed",
    ]
    assert "invalid JSON" in by_item["articles.jsonl:3"].detail
    assert "not an Arabic article" in by_item["articles.jsonl:4"].detail
    md = next(a for a in store.articles() if a.title.startswith("مجلس الوزراء"))
    assert (md.source, md.published, md.url) == (
        "وكالة الأنباء المحلية",
        "2024-12-15",
        "https://news.example/budget-2025",
    )
    assert not md.text.startswith("---")
    assert not all_failed(outcomes)
    # Adding the same files again stores nothing new.
    again = ingestor.add([str(FIXTURES / name) for name in names])
    assert Status.ADDED not in {o.status for o in again}
    assert store.count() == 5


def test_add_reads_files_like_the_corpus_loader(
    ingestor: Ingestor, store: ArticleStore, tmp_path: Path
) -> None:
    # The same reader as load_corpus, so the same precedence: the sidecar overrides front matter.
    article = tmp_path / "story.md"
    article.write_text(
        "---\nsource: صحيفة المقدمة\ntitle: عنوان\n---\nافتتحت البلدية حديقة عامة جديدة.", "utf-8"
    )
    (tmp_path / "story.meta.json").write_text('{"source": "وكالة الملف"}', encoding="utf-8")
    (outcome,) = ingestor.add([str(article)])
    stored = store.get(outcome.article_id or "")
    assert stored is not None
    assert (stored.title, stored.source) == ("عنوان", "وكالة الملف")


def test_follow_and_refresh_feeds(server: NewsServer, ingestor: Ingestor, store: ArticleStore) -> None:
    followed = [
        ingestor.follow_feed(server.url(p)) for p in ("/feed.rss", "/feed.atom", "/feed.rss?utm_source=x")
    ]
    assert _statuses(tuple(followed)) == ["added", "added", "skipped"]
    assert followed[0].detail == "2 entries"
    assert store.count() == 0  # following only checks the feed; refresh fetches the pages

    first = ingestor.refresh()
    assert _statuses(first) == ["added", "added", "added"]
    assert {o.title for o in first} >= {
        "مهرجان الكتاب في الرباط يستقبل مئة ألف زائر",
        "بدء موسم قطف الزيتون في نابلس",
    }
    stored = store.find_url(server.url("/news/1"))
    assert stored is not None and stored.url == server.url("/news/1")  # utm_* from the feed link is gone

    second = ingestor.refresh()
    assert Status.ADDED not in {o.status for o in second}
    assert store.count() == 3
    assert server.hits["/news/1"] == 1  # entries already stored are not downloaded again

    server.routes["/feed.rss"] = Route(rss_feed(extra=True), content_type=RSS)
    third = ingestor.refresh()
    assert [o.item for o in third if o.status is Status.ADDED] == [server.url("/news/3")]
    assert store.count() == 4


def test_a_broken_feed_leaves_the_store_as_it_was(
    server: NewsServer, ingestor: Ingestor, store: ArticleStore
) -> None:
    ingestor.follow_feed(server.url("/feed.rss"))
    ingestor.refresh()
    before = store.articles()
    server.routes["/feed.rss"] = server.routes["/feed-broken"]
    (outcome,) = ingestor.refresh()
    assert outcome.status is Status.FAILED
    assert "malformed feed" in outcome.detail
    assert store.articles() == before
    assert store.feeds()[0].last_error == outcome.detail
    assert ingestor.follow_feed(server.url("/feed-broken")).status is Status.FAILED
    assert len(store.feeds()) == 1


def test_unchanged_feed_is_not_downloaded_again(server: NewsServer, ingestor: Ingestor) -> None:
    server.routes["/feed.atom"] = Route(
        server.routes["/feed.atom"].body, content_type="application/atom+xml", headers={"ETag": '"v1"'}
    )
    ingestor.follow_feed(server.url("/feed.atom"))
    assert _statuses(ingestor.refresh()) == ["added"]
    (outcome,) = ingestor.refresh()
    assert (outcome.status, outcome.detail) == (Status.SKIPPED, "feed not modified since the last refresh")


def test_a_failed_entry_is_retried_once_its_back_off_has_passed(
    server: NewsServer, ingestor: Ingestor, store: ArticleStore, clock: FakeClock
) -> None:
    server.routes["/feed.rss"] = Route(rss_feed(), content_type=RSS, headers={"ETag": '"v1"'})
    page = server.routes.pop("/news/2")
    ingestor.follow_feed(server.url("/feed.rss"))
    assert _statuses(ingestor.refresh()) == ["added", "failed"]
    server.routes["/news/2"] = page
    clock.advance(minutes=31)  # the first failure waits half an hour
    assert _statuses(ingestor.refresh()) == ["skipped", "added"]
    assert store.count() == 2


def test_progress_is_reported_once_per_outcome(
    server: NewsServer, store: ArticleStore, client: httpx.Client
) -> None:
    seen: list[Outcome] = []
    ingestor = Ingestor(store=store, client=client, limits=FAST_LIMITS, report=seen.append)
    added = ingestor.add([server.url("/news/1"), server.url("/missing"), str(FIXTURES / "articles.jsonl")])
    ingestor.follow_feed(server.url("/feed.rss"))
    refreshed = ingestor.refresh()
    assert len(seen) == len(added) + 1 + len(refreshed)
    assert tuple(seen[: len(added)]) == added
    assert tuple(seen[len(added) + 1 :]) == refreshed


def test_file_lines_the_store_cannot_keep_fail_by_name(
    ingestor: Ingestor, store: ArticleStore, tmp_path: Path
) -> None:
    text = "وصل الرئيس الروسي بوتين إلى أستانا عاصمة كازاخستان في زيارة رسمية تستغرق يومين."
    path = tmp_path / "odd.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"title": "ت", "text": text, "url": "ftp://example.com/x"}),
                '{"title": "ت", "text": "'
                + text.replace("بوتين", "\\ud800")
                + '"}',  # a lone surrogate escape
                json.dumps({"title": "ت", "text": text}),
            ]
        ),
        encoding="utf-8",
    )
    outcomes = ingestor.add([str(path)])
    assert [(o.status, o.detail) for o in outcomes] == [
        (Status.FAILED, "not an absolute http(s) URL: 'ftp://example.com/x'"),
        (Status.FAILED, "the text is not valid Unicode (a lone surrogate at character 18)"),
        (Status.ADDED, ""),
    ]
    assert store.count() == 1
