"""`newsbot add`: one line per item, failure only when all fail, duplicates, a broken store, a kill mid-way."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retrieval.ingest import ArticleStore, content_hash
from tests.bot.cli.running import REPO, run
from tests.ingest_server import FIXTURES, NewsServer


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


def test_add_refuses_private_addresses_unless_allowed(
    server: NewsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_FETCH_ALLOW_PRIVATE", "false")
    code, output = run("add", server.url("/news/1"))
    assert code == 1
    assert f"failed   {server.url('/news/1')} — address is loopback: 127.0.0.1" in output
    assert not server.hits  # refused before anything was sent
