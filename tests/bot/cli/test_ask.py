"""`newsbot ask`: answers as text or JSON, batch mode, a named corpus, the index cache, added news."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from retrieval import has_arabic
from tests.bot.cli.running import SEED_TEXTS, run
from tests.ingest_server import FIXTURES, NewsServer


def test_ask_json_has_the_documented_shape_and_verbatim_quotes() -> None:
    status, output = run("ask", "متى وصل بوتين إلى كازاخستان؟", "--json")
    assert status == 0
    answer = json.loads(output)
    assert answer["question"] == "متى وصل بوتين إلى كازاخستان؟"
    assert answer["answered"] is True
    assert 1 <= len(answer["quotes"]) <= 3
    for quote in answer["quotes"]:
        assert set(quote) >= {"text", "article_id", "title", "source", "url", "published", "score"}
        assert isinstance(quote["score"], float)
        assert quote["text"] in SEED_TEXTS[quote["article_id"]]
        for other in quote["also_reported_by"]:
            assert other["text"] in SEED_TEXTS[other["article_id"]]
    scores = [q["score"] for q in answer["quotes"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_top_k_bounds_the_number_of_quotes() -> None:
    _, output = run("ask", "ما العلاقات بين روسيا وكازاخستان؟", "--json", "--top-k", "1")
    assert len(json.loads(output)["quotes"]) == 1


def test_ask_text_output_shows_quote_and_source() -> None:
    status, output = run("ask", "ما نسبة إنتاج كازاخستان من اليورانيوم؟")
    assert status == 0
    assert "43" in output
    assert "الأربعاء ٢٧ نوفمبر ٢٠٢٤" in output


def test_off_topic_question_says_so() -> None:
    status, output = run("ask", "ما هي عاصمة فرنسا؟", "--json")
    assert status == 0
    assert json.loads(output) == {"question": "ما هي عاصمة فرنسا؟", "answered": False, "quotes": []}
    _, text = run("ask", "ما هي عاصمة فرنسا؟")
    # The terminal is the operator's: the bot's own words there are English.
    assert text.startswith("no answer") and not has_arabic(text)


def test_batch_mode_answers_one_line_per_question(monkeypatch: pytest.MonkeyPatch) -> None:
    questions = ["متى وصل بوتين إلى كازاخستان؟", "", "ما هي عاصمة فرنسا؟", "ماذا قالت زاخاروفا؟"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(questions) + "\n"))
    status, output = run("ask", "--json")
    assert status == 0
    answers = [json.loads(line) for line in output.splitlines()]
    assert [a["question"] for a in answers] == [q for q in questions if q]
    assert [a["answered"] for a in answers] == [True, False, True]


def test_corpus_flag_reads_a_jsonl_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    record = {
        "id": "n1",
        "title": "خبر",
        "text": "افتتح الوزير محطة الطاقة الشمسية الجديدة في أسوان.",
        "url": "https://x.test/1",
    }
    corpus.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    _, output = run("ask", "من افتتح محطة الطاقة الشمسية في أسوان؟", "--json", "--corpus", str(corpus))
    quote = json.loads(output)["quotes"][0]
    assert (quote["article_id"], quote["url"]) == ("n1", "https://x.test/1")


def test_empty_corpus_directory_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe\x00")
    status, _ = run("ask", "سؤال", "--corpus", str(tmp_path))
    assert status == 2
    err = capsys.readouterr().err
    assert "broken.txt" not in err or "UTF-8" in err
    assert "no usable article" in err


def test_a_second_ask_with_unchanged_news_loads_the_cached_index(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from retrieval.search import SentenceIndex

    monkeypatch.setenv("NEWSBOT_INDEX_CACHE", str(tmp_path / "index"))
    builds: list[int] = []
    original = SentenceIndex.build.__func__  # type: ignore[attr-defined]

    def counting_build(cls: type[SentenceIndex], /, *args: object, **kwargs: object) -> SentenceIndex:
        builds.append(1)
        return original(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(SentenceIndex, "build", classmethod(counting_build))
    question = "متى وصل بوتين إلى كازاخستان؟"
    with caplog.at_level("INFO", logger="retrieval.index_cache"):
        first = run("ask", "--json", question)
        assert builds == [1] and "Loaded cached index" not in caplog.text
        second = run("ask", "--json", question)
    assert builds == [1]  # not built again
    assert "Loaded cached index" in caplog.text
    assert first == second and first[0] == 0


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
