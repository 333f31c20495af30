"""Articles saved beside the index come back field for field, decoded only when read."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from retrieval.errors import IndexFormatError
from retrieval.records import Article
from retrieval.stored_articles import ArticleList, StoredArticles, article_ids, published_dates, save_articles

ARTICLES = (
    Article(
        "a1", "عنوان", "نص الخبر الأول.", source="وكالة", url="https://example.com/1", published="2024-11-27"
    ),
    Article("a2", "", "نص \ud800 فيه بديل منفرد", source="", url=None, published=None),  # empty is not None
    Article("a3", "ثالث", "x" * 10_000),
)


def test_saved_articles_read_back_equal_with_none_and_empty_kept_apart(tmp_path: Path) -> None:
    save_articles(tmp_path, ARTICLES)
    stored = StoredArticles(tmp_path)
    assert len(stored) == 3
    assert list(stored) == list(ARTICLES)
    assert stored[-1] == ARTICLES[2]
    assert stored[1:] == ARTICLES[1:]
    assert article_ids(stored) == ("a1", "a2", "a3")
    assert published_dates(stored) == ["2024-11-27", None, None]
    with pytest.raises(IndexError):
        stored[3]


def test_ids_and_dates_lead_the_blob_so_reading_them_touches_no_text(tmp_path: Path) -> None:
    save_articles(tmp_path, ARTICLES)
    blob = (tmp_path / "articles.utf16").read_bytes()
    assert blob.startswith("a1a2a32024-11-27عنوان".encode("utf-16-le"))


def test_articles_saved_from_stored_ones_and_new_ones_read_back_equal(tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    save_articles(old, ARTICLES[:2])
    joined = ArticleList.joined(StoredArticles(old), ARTICLES[2:])
    save_articles(tmp_path, joined)
    assert list(StoredArticles(tmp_path)) == list(ARTICLES)


def test_no_articles_and_a_truncated_blob(tmp_path: Path) -> None:
    save_articles(tmp_path, ())
    assert list(StoredArticles(tmp_path)) == []
    save_articles(tmp_path, ARTICLES)
    blob = tmp_path / "articles.utf16"
    blob.write_bytes(blob.read_bytes()[:-5])
    with pytest.raises(IndexFormatError):
        StoredArticles(tmp_path)


def test_articles_joined_after_stored_ones_are_one_sequence(tmp_path: Path) -> None:
    save_articles(tmp_path, ARTICLES[:2])
    new = Article("n1", "جديد", "خبر جديد.")
    joined = ArticleList.joined(ArticleList.joined(StoredArticles(tmp_path), [ARTICLES[2]]), [new])
    assert list(joined) == [*ARTICLES, new]
    assert [joined[i] for i in range(-4, 4)] == [*ARTICLES, new] * 2
    assert article_ids(joined) == ("a1", "a2", "a3", "n1")
    assert published_dates(joined) == ["2024-11-27", None, None, None]
    assert ArticleList.joined(ARTICLES[:1], [new]) == (ARTICLES[0], new)  # plain tuples stay tuples


def test_a_surrogate_pair_written_as_two_code_points_is_kept_in_a_utf8_blob(tmp_path: Path) -> None:
    # UTF-16 would read "\ud83d\ude00" back as the one character it encodes.
    pair = Article("p1", "", "وجه \ud83d\ude00 هنا")
    save_articles(tmp_path, ARTICLES)
    save_articles(tmp_path, (*ARTICLES, pair))
    assert not (tmp_path / "articles.utf16").exists()
    assert list(StoredArticles(tmp_path)) == [*ARTICLES, pair]
    save_articles(tmp_path, ARTICLES)
    assert not (tmp_path / "articles.utf8").exists()
    assert list(StoredArticles(tmp_path)) == list(ARTICLES)


def test_a_utf8_blob_of_an_earlier_cache_reads_back_equal(tmp_path: Path) -> None:
    save_articles(tmp_path, ARTICLES)
    texts = (tmp_path / "articles.utf16").read_bytes().decode("utf-16-le", "surrogatepass")
    utf8 = texts.encode("utf-8", "surrogatepass")
    bounds = np.load(tmp_path / "article_bounds.npy")
    # Earlier caches: the same slots, UTF-8, offsets in its bytes.
    values = [texts[a // 2 : b // 2] for a, b in pairwise(bounds.tolist())]
    offsets = np.cumsum([0] + [len(v.encode("utf-8", "surrogatepass")) for v in values])
    (tmp_path / "articles.utf16").unlink()
    (tmp_path / "articles.utf8").write_bytes(utf8)
    np.save(tmp_path / "article_bounds.npy", offsets.astype(np.int64))
    assert list(StoredArticles(tmp_path)) == list(ARTICLES)
