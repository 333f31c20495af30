"""load_or_build: a persisted index is reused when its key matches and rebuilt when it is not usable."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from retrieval import BM25Index, content_key, load_or_build
from retrieval.index_cache import cache_entry

CORPUS = [["خبر", "عاجل"], ["خبر", "اقتصاد"], ["رياضة"]]


class CountingBuilder:
    def __init__(self, corpus: list[list[str]]) -> None:
        self.corpus = corpus
        self.calls = 0

    def __call__(self) -> BM25Index:
        self.calls += 1
        return BM25Index.build(self.corpus)


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["b", "a"], False),  # order matters
        (["ab", "c"], ["a", "bc"], False),  # part boundaries matter
        ([], [""], False),
        (["نص"], ["نص"], True),
    ],
)
def test_content_key(left: list[str], right: list[str], equal: bool) -> None:
    assert (content_key(left) == content_key(right)) is equal
    assert len(content_key(left)) == 64


def test_builds_once_then_loads(tmp_path: Path) -> None:
    builder = CountingBuilder(CORPUS)
    first = load_or_build(tmp_path, "v1", builder)
    second = load_or_build(tmp_path, "v1", builder)
    assert builder.calls == 1
    np.testing.assert_array_equal(second.scores(["خبر"]), first.scores(["خبر"]))
    assert second.document_frequency("خبر") == 2


def test_a_new_key_rebuilds_and_drops_the_old_entry(tmp_path: Path) -> None:
    load_or_build(tmp_path, "v1", CountingBuilder(CORPUS))
    builder = CountingBuilder([*CORPUS, ["سياسة"]])
    index = load_or_build(tmp_path, "v2", builder)
    assert builder.calls == 1 and index.doc_count == 4
    assert [p.name for p in tmp_path.iterdir()] == [cache_entry(tmp_path, "v2").name]


def _truncate_weights(entry: Path) -> None:
    (entry / "weights.npy").write_bytes(b"\x93NUMPY")


def _remove_meta(entry: Path) -> None:
    (entry / "meta.json").unlink()


def _empty_directory(entry: Path) -> None:
    for path in entry.iterdir():
        path.unlink()


@pytest.mark.parametrize("damage", [_truncate_weights, _remove_meta, _empty_directory])
def test_a_corrupt_entry_is_reported_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: Callable[[Path], None]
) -> None:
    load_or_build(tmp_path, "v1", CountingBuilder(CORPUS))
    damage(cache_entry(tmp_path, "v1"))
    builder = CountingBuilder(CORPUS)
    with caplog.at_level(logging.WARNING, logger="retrieval.index_cache"):
        index = load_or_build(tmp_path, "v1", builder)
    assert builder.calls == 1 and index.doc_count == 3
    assert "unusable" in caplog.text
    reloaded = CountingBuilder(CORPUS)
    load_or_build(tmp_path, "v1", reloaded)  # the rebuilt entry is valid again
    assert reloaded.calls == 0


def test_a_failed_save_still_returns_the_index(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: BM25Index, directory: Path) -> None:
        raise PermissionError("read-only cache")

    monkeypatch.setattr(BM25Index, "save", refuse)
    with caplog.at_level(logging.WARNING, logger="retrieval.index_cache"):
        index = load_or_build(tmp_path, "v1", CountingBuilder(CORPUS))
    assert index.doc_count == 3
    assert "Could not save" in caplog.text
