from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from retrieval.ingest import ArticleStore, content_hash
from tests.ingest_server import FIXTURES, NewsServer

REPO = Path(__file__).resolve().parents[2]
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("NEWSBOT_DB", str(tmp_path / "articles.sqlite3"))
    monkeypatch.setenv("NEWSBOT_FETCH_TIMEOUT_SECONDS", "0.5")
    for name in PROXY_VARIABLES:  # requests go to 127.0.0.1 directly, never through a proxy
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[NewsServer]:
    with NewsServer() as news_server:
        yield news_server


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_add_then_ask_quotes_the_new_article_with_its_url(server: NewsServer) -> None:
    status, output = run("add", server.url("/article/utf8"), str(FIXTURES / "article.md"))
    assert status == 0
    assert output.count("added") >= 2
    assert "افتتاح محطة لتحلية المياه في العقبة" in output
    assert "2 added, 0 skipped, 0 failed; 2 articles in" in output

    status, answer = run("ask", "كم بلغت تكلفة محطة تحلية المياه في العقبة؟")
    assert status == 0
    first_quote = answer.split("\n\n")[0]
    assert "تكلفة المشروع بلغت أربعمئة وخمسين مليون دينار" in first_quote
    assert server.url("/article/utf8") in first_quote

    status, sources = run("sources", "--json")
    urls = [json.loads(line)["url"] for line in sources.splitlines()]
    assert server.url("/article/utf8") in urls
    assert "https://news.example/budget-2025" in urls


def test_a_named_corpus_replaces_seeds_and_store(server: NewsServer) -> None:
    run("add", server.url("/article/utf8"))
    _, served = run("sources")
    status, named = run("sources", "--corpus", str(REPO / "seeds"))
    assert status == 0
    assert server.url("/article/utf8") in served
    assert server.url("/article/utf8") not in named
    assert len(served.splitlines()) == len(named.splitlines()) + 1


def test_asking_before_any_add_does_not_create_the_store(tmp_path: Path) -> None:
    status, _ = run("sources")
    assert status == 0
    assert not (tmp_path / "articles.sqlite3").exists()


@pytest.mark.parametrize(
    ("paths", "status", "lines"),
    [
        (
            ["/article/utf8", "/missing"],
            0,
            ["added", "failed   {base}/missing — HTTP 404 from {base}/missing"],
        ),
        (
            ["/missing", "/english"],
            1,
            ["failed   {base}/missing — HTTP 404", "failed   {base}/english — not an Arabic"],
        ),
        (["/slow"], 1, ["failed   {base}/slow — timed out after 0.5 s"]),
    ],
)
def test_add_reports_each_item_and_fails_only_when_all_fail(
    server: NewsServer, paths: list[str], status: int, lines: list[str]
) -> None:
    code, output = run("add", *[server.url(path) for path in paths])
    assert code == status
    for line in lines:
        assert line.format(base=server.base) in output


def test_add_twice_skips_the_duplicate(server: NewsServer) -> None:
    run("add", server.url("/news/1"))
    code, output = run("add", server.url("/news/1?utm_source=telegram"))
    assert code == 0
    assert output.startswith(
        f"skipped  {server.url('/news/1?utm_source=telegram')} — duplicate: same URL as db_"
    )


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


def test_unusable_database_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_bytes(b"x" * 4096)
    code, _ = run("add", str(FIXTURES / "article.txt"), "--db", str(not_a_db))
    assert code == 2
    assert "is not a usable article database" in capsys.readouterr().err
    assert not_a_db.read_bytes() == b"x" * 4096


def test_killed_mid_ingest_the_store_stays_consistent(tmp_path: Path) -> None:
    """SIGKILL during a long `newsbot add`: every stored article is whole, and a rerun completes the batch."""
    count = 400
    batch = tmp_path / "batch.jsonl"
    paragraph = "أعلنت وزارة الاقتصاد عن خطة جديدة لدعم الشركات الصغيرة والمتوسطة في المحافظات. " * 40
    with batch.open("w", encoding="utf-8") as file:
        for number in range(count):
            record = {
                "title": f"خبر رقم {number}",
                "text": f"{paragraph} الخبر رقم {number}.",
                "source": "وكالة",
            }
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
    db = tmp_path / "kill.sqlite3"
    command = [sys.executable, "-m", "bot.cli", "add", str(batch), "--db", str(db)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    reported = 0
    deadline = time.monotonic() + 20
    while reported < 25 and time.monotonic() < deadline:
        if process.stdout.readline().startswith("added"):
            reported += 1
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert reported == 25, "the ingest never got going"

    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with ArticleStore.open(db) as store:
        stored = store.articles()
        # Every article reported as added survived, and none is half-written.
        assert reported <= len(stored) < count
        assert all(article.content_hash == content_hash(article.text) for article in stored)
        assert all(article.text.endswith(".") and article.title.startswith("خبر رقم") for article in stored)

    rerun = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0
    assert f"{count - len(stored)} added, {len(stored)} skipped, 0 failed; {count} articles" in rerun.stdout
