"""`newsbot sources`: every served article, a named corpus alone, and no store created by reading."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bot.cli.running import REPO, SEED_TEXTS, run
from tests.ingest_server import NewsServer


def test_sources_lists_every_article() -> None:
    status, output = run("sources", "--json")
    assert status == 0
    listed = [json.loads(line) for line in output.splitlines()]
    assert sorted(a["article_id"] for a in listed) == sorted(SEED_TEXTS)
    assert all(a["title"] and a["published"] == "2024-11-27" for a in listed)


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
