"""`newsbot export`: the store as a .jsonl corpus that `newsbot add` restores without loss."""

from __future__ import annotations

import json
import os
from pathlib import Path

from retrieval import Article, load_corpus
from retrieval.ingest import ArticleStore
from tests.bot.cli.running import run
from tests.ingest_server import FIXTURES, NewsServer


def stored(db: Path) -> tuple[Article, ...]:
    with ArticleStore.open(db) as store:
        return store.records()


def fill_store(server: NewsServer) -> None:
    run(
        "add",
        server.url("/news/1"),
        server.url("/article/cp1256-meta"),
        str(FIXTURES / "articles.jsonl"),
        str(FIXTURES / "article.md"),
        str(FIXTURES / "article.txt"),
    )


def test_export_then_add_restores_every_field(server: NewsServer, tmp_path: Path) -> None:
    fill_store(server)
    db = Path(os.environ["NEWSBOT_DB"])
    original = stored(db)
    count = len(original)
    assert count == 6 and all(article.id.startswith("db_") for article in original)
    assert {article.source for article in original} >= {"وكالة المغرب العربي", "بوابة النيل", None}
    backup = tmp_path / "backup.jsonl"

    assert run("export", str(backup)) == (0, f"exported {count} articles to {backup}\n")
    restored_db = tmp_path / "restored.sqlite3"
    code, output = run("add", str(backup), "--db", str(restored_db))
    assert code == 0 and f"{count} added, 0 skipped, 0 failed" in output
    # ids, titles, texts, outlets, URLs and dates, in the same order
    assert stored(restored_db) == original
    assert run("export", "--db", str(restored_db))[1] == backup.read_text(encoding="utf-8")
    # The backup is a corpus in its own right, with the same ids.
    assert load_corpus(backup).articles == original


def test_export_writes_json_lines_to_stdout() -> None:
    assert run("export") == (0, "")
    run("add", str(FIXTURES / "article.md"))
    _, output = run("export")
    (record,) = [json.loads(line) for line in output.splitlines()]
    assert set(record) == {"id", "title", "text", "source", "url", "published"}
    assert (record["source"], record["published"]) == ("وكالة الأنباء المحلية", "2024-12-15")


def test_remove_export_and_re_import_keep_the_removal(server: NewsServer, tmp_path: Path) -> None:
    fill_store(server)
    before = tmp_path / "before.jsonl"
    run("export", str(before))
    (first, *rest) = stored(Path(os.environ["NEWSBOT_DB"]))
    run("remove", first.id)
    after = tmp_path / "after.jsonl"
    run("export", str(after))
    assert load_corpus(after).articles == tuple(rest)

    # Restoring the older backup into the same store leaves the removed article out.
    code, output = run("add", str(before))
    assert code == 0 and f"0 added, {len(rest) + 1} skipped" in output and "not stored again" in output
    assert stored(Path(os.environ["NEWSBOT_DB"])) == tuple(rest)


def test_export_to_an_unwritable_place_is_one_line() -> None:
    from io import StringIO

    from bot.cli.main import main

    code = main(["export", "/nonexistent-dir/backup.jsonl"], out=StringIO())
    assert code == 2
