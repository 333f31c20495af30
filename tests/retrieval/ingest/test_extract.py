from __future__ import annotations

import pytest

from retrieval import NoArticleError, NotArabicError
from retrieval.ingest import decode_html, extract_article
from tests.ingest_server import fixture


@pytest.mark.parametrize(
    ("name", "title", "source", "published", "sentence"),
    [
        (
            "article_utf8.html",
            "افتتاح محطة لتحلية المياه في العقبة",
            "صحيفة الرافدين",
            "2024-12-03",
            "وقال وزير المياه إن تكلفة المشروع بلغت أربعمئة وخمسين مليون دينار",
        ),
        (
            "article_cp1256.html",
            "ارتفاع صادرات التمور المصرية إلى أوروبا",
            "بوابة النيل",
            "2024-12-05",
            "وأوضح البيان أن ألمانيا وفرنسا وهولندا تصدرت قائمة الدول المستوردة",
        ),
    ],
)
def test_extracts_text_and_metadata(
    name: str, title: str, source: str, published: str, sentence: str
) -> None:
    article = extract_article(decode_html(fixture(name)).text, url="http://127.0.0.1/a")
    assert (article.title, article.source, article.published) == (title, source, published)
    assert sentence in article.text
    assert "جميع الحقوق محفوظة" not in article.text  # boilerplate left out
    assert "الرئيسية" not in article.text


def test_source_falls_back_to_the_host() -> None:
    html = decode_html(fixture("news_1.html")).text.replace('property="og:site_name"', 'property="x"')
    html = html.replace(" | وكالة المغرب العربي", "")
    article = extract_article(html, url="https://www.maghreb.example/news/1")
    assert article.source == "maghreb.example"


@pytest.mark.parametrize(
    ("name", "error"),
    [("english.html", NotArabicError), ("no_article.html", NoArticleError)],
)
def test_refuses_pages_without_an_arabic_article(name: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        extract_article(decode_html(fixture(name)).text, url="http://127.0.0.1/a")
