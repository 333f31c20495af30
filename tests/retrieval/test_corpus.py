"""The article file reader and load_corpus: one reading of .txt/.md/.jsonl, bad files and lines reported by name."""

import json
from pathlib import Path

import pytest

from retrieval import Article, CorpusError, load_corpus
from retrieval.corpus import read_article_file

SEEDS = Path(__file__).parents[2] / "seeds"


def test_bundled_seeds_load_byte_for_byte_with_their_metadata() -> None:
    loaded = load_corpus(SEEDS)
    assert loaded.problems == ()
    assert len(loaded.articles) == 2
    for article in loaded.articles:
        assert article.text == (SEEDS / f"{article.id}.txt").read_bytes().decode("utf-8")
        assert article.published == "2024-11-27"
        assert article.title and article.title != article.id


def test_jsonl_ids_are_the_article_ids_and_bad_lines_are_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    good = {"id": "a1", "title": "عنوان", "text": "نص الخبر.", "source": "وكالة", "url": "https://x.test/a"}
    lines = [
        json.dumps(good, ensure_ascii=False).encode(),
        b"{not json",
        json.dumps({"id": "a2", "title": "t"}).encode(),  # no text
        json.dumps({"id": "a1", "text": "نص آخر."}, ensure_ascii=False).encode(),  # duplicate id
        b'{"id": "a3", "text": "\xff\xfe"}',  # invalid UTF-8
        json.dumps({"id": "a4", "text": "خبر", "url": 5}).encode(),  # mistyped field
        b"",
        json.dumps({"id": "a5", "text": "خبر ثان."}, ensure_ascii=False).encode(),
    ]
    corpus.write_bytes(b"\n".join(lines))
    loaded = load_corpus(corpus)
    assert [a.id for a in loaded.articles] == ["a1", "a5"]
    assert loaded.articles[0].source == "وكالة"
    assert loaded.articles[1].title == "خبر ثان."  # the first line stands in for a missing title
    reasons = {p.location: p.reason for p in loaded.problems}
    assert set(reasons) == {f"{corpus}:{n}" for n in (2, 3, 4, 5, 6)}
    assert "invalid JSON" in reasons[f"{corpus}:2"]
    assert "text" in reasons[f"{corpus}:3"]
    assert "duplicate" in reasons[f"{corpus}:4"]
    assert "UTF-8" in reasons[f"{corpus}:5"]
    assert "url" in reasons[f"{corpus}:6"]


def test_directory_reads_front_matter_sidecars_and_reports_bad_files(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text(
        "---\ntitle: خبر أول\nsource: صحيفة\npublished: 2024-11-27\nurl: https://x.test/1\n---\nنص الخبر الأول.",
        encoding="utf-8",
    )
    (tmp_path / "two.txt").write_text("نص الخبر الثاني.", encoding="utf-8")
    (tmp_path / "two.meta.json").write_text('{"title": "خبر ثان", "source": "وكالة"}', encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes("خبر".encode("cp1256"))
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    loaded = load_corpus(tmp_path)
    by_id = {a.id: a for a in loaded.articles}
    assert set(by_id) == {"one", "two"}
    assert by_id["one"].text == "نص الخبر الأول."
    assert (by_id["one"].title, by_id["one"].source, by_id["one"].url) == (
        "خبر أول",
        "صحيفة",
        "https://x.test/1",
    )
    assert (by_id["two"].title, by_id["two"].source) == ("خبر ثان", "وكالة")
    problems = {Path(p.location).name: p.reason for p in loaded.problems}
    assert set(problems) == {"broken.txt", "empty.txt", "image.png"}
    assert "UTF-8" in problems["broken.txt"]


@pytest.mark.parametrize("name", ["missing", "missing.jsonl"])
def test_missing_corpus_is_a_clear_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(CorpusError, match="not found"):
        load_corpus(tmp_path / name)


def test_empty_directory_loads_nothing(tmp_path: Path) -> None:
    assert load_corpus(tmp_path).articles == ()


def test_sidecar_overrides_front_matter_key_by_key(tmp_path: Path) -> None:
    (tmp_path / "story.md").write_text(
        "---\nid: fm-id\ntitle: عنوان المقدمة\nsource: صحيفة\npublished: 2024-01-01\n---\nنص الخبر.\n",
        encoding="utf-8",
    )
    # null gives nothing: the front matter's source stays; the sidecar's title and date win.
    (tmp_path / "story.meta.json").write_text(
        '{"title": "عنوان الملف", "published": "2024-02-02", "source": null}', encoding="utf-8"
    )
    (item,) = read_article_file(tmp_path / "story.md")
    assert item.article == Article(
        id="fm-id", title="عنوان الملف", text="نص الخبر.\n", source="صحيفة", published="2024-02-02"
    )


def test_what_a_file_does_not_say_comes_from_its_name_and_first_line(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("\n# عنوان الخبر\nنص الخبر.", encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text('\n{"text": "سطر أول\\nسطر ثان"}\n', encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert [(a.id, a.title, a.text) for a in loaded.articles] == [
        ("lines:2", "سطر أول", "سطر أول\nسطر ثان"),
        ("notes", "عنوان الخبر", "\n# عنوان الخبر\nنص الخبر."),  # the text stays as written
    ]


@pytest.mark.parametrize(
    ("sidecar", "reason"),
    [("{not json", "unreadable metadata file a.meta.json"), ('{"title": 5}', '"title" must be a string')],
)
def test_a_bad_sidecar_skips_its_article(tmp_path: Path, sidecar: str, reason: str) -> None:
    (tmp_path / "a.txt").write_text("نص الخبر.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(sidecar, encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert loaded.articles == ()
    (problem,) = loaded.problems
    assert problem.location == str(tmp_path / "a.txt")
    assert reason in problem.reason
