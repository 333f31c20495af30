"""A small hostile corpus, built into an engine once per test module (indexing per example would be slow)."""

from __future__ import annotations

from pathlib import Path

from retrieval import AnswerEngine, Article, load_corpus
from tests.fuzz.strategies import SPECIALS

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def hostile_articles() -> list[Article]:
    """The seeds plus articles whose text and metadata hold markup, direction controls, emoji, NUL
    and lone surrogates next to ordinary Arabic sentences that questions can match."""
    noise = "".join(SPECIALS)
    return [
        *load_corpus(SEEDS).articles,
        Article(
            id="<b>markup</b>",
            title='عنوان <a href="javascript:alert(1)">رابط</a> & "اقتباس"',
            text=(
                "وصل الرئيس <b>بوتين</b> إلى أستانا &amp; التقى نظيره. </blockquote>\n"
                "وقال إن نسبة إنتاج اليورانيوم بلغت 27.5 في المئة <i>هذا العام</i>.\n"
                f"{noise}\n"
                "وأضاف أن المعرض استقبل مئة ألف زائر 😀 في الرباط."
            ),
            source="<script>وكالة</script>",
            url="javascript:alert(1)",
            published="2024-13-45",
        ),
        Article(
            id="rtl\u202e\x00",
            title="\u202eعنوان معكوس\u200f\ud800",
            text=(
                "\u200fوصل\u0651 الوفد\u064e إلى\u0640\u0640 كازاخستان\u202e في زيارة\u2066 رسمية\u2069؟\n"
                "\x00بلغ الإنتاج\ud83d مئة ألف طن من اليورانيوم\udfff هذا العام.\n"
                "👨‍👩‍👧 متى وصل الرئيس؟ وصل يوم الأحد 🇸🇦."
            ),
            source="\u202aوكالة\u202c",
            url="https://example.com/news?id=1&x=<y>",
            published="2024-11-27",
        ),
        Article(id="long", title="طويل", text="وصل بوتين إلى كازاخستان " * 400 + ".", source=None),
    ]


def hostile_engine() -> AnswerEngine:
    return AnswerEngine.from_articles(hostile_articles())
