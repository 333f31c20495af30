"""What's new: which messages ask for the news, which articles are listed, and how a page looks."""

from datetime import date

import pytest

from bot import latest, texts
from bot.latest import NewsRequest
from retrieval import DateRange
from tests.bot import fakes

TODAY = date(2024, 11, 28)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("آخر الأخبار", None),
        ("ما هي آخر الأخبار؟", None),
        ("اخر الاخبار من فضلك", None),
        ("أحدث الأخبار", None),
        ("ما الجديد؟", None),
        ("الأخبار", None),
        ("أخبار اليوم", DateRange.day(TODAY)),
        ("أخبار أمس", DateRange.day(date(2024, 11, 27))),
        ("ماذا حدث أمس؟", DateRange.day(date(2024, 11, 27))),
        ("ما الجديد اليوم", DateRange.day(TODAY)),
        ("أخبار الأسبوع الماضي", DateRange(date(2024, 11, 16), date(2024, 11, 22))),
    ],
)
def test_requests_for_the_news(text: str, published: DateRange | None) -> None:
    assert latest.news_request(text, today=TODAY) == NewsRequest(published)
    assert latest.is_news_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "متى وصل بوتين إلى كازاخستان؟",
        "آخر أخبار بوتين",  # a topic: a question, answered with quotes
        "ماذا حدث في كازاخستان أمس؟",
        "أخبار بوتين اليوم",
    ],
)
def test_questions_are_not_requests_for_the_news(text: str) -> None:
    assert latest.news_request(text, today=TODAY) is None
    assert not latest.is_news_request(text)


def test_newest_first_undated_last_and_a_range_keeps_only_its_days() -> None:
    articles = [
        fakes.article("old", "نص.", published="2024-11-20"),
        fakes.article("undated", "نص.", published=None),
        fakes.article("new", "نص.", published="2024-11-28T08:00:00Z"),
        fakes.article("mid", "نص.", published="2024-11-27"),
    ]
    assert [a.id for a in latest.newest(articles)] == ["new", "mid", "old", "undated"]
    week = DateRange(date(2024, 11, 23), date(2024, 11, 28))
    assert [a.id for a in latest.newest(articles, week)] == ["new", "mid"]


@pytest.mark.parametrize("published", [None, DateRange(date(2024, 11, 23), date(2024, 11, 28))])
def test_page_buttons_carry_their_offset_and_range(published: DateRange | None) -> None:
    data = latest.page_data(10, published)
    assert len(data.encode()) <= 64
    assert latest.parse_page_data(data) == (10, published)


@pytest.mark.parametrize("data", ["news", "news:x", "news:-5", "news:1:2", "more:1:2", "news:0:1:9999999999"])
def test_other_or_forged_data_is_not_a_page(data: str) -> None:
    assert latest.parse_page_data(data) is None


def test_a_page_numbers_items_and_quotes_each_lead_verbatim() -> None:
    article = fakes.article(
        "a", "ارتفع <الذهب> اليوم. ثم هبط.", title="الذهب", source="وكالة", published="2024-11-27"
    )
    page = latest.render_page([(article, "ارتفع <الذهب> اليوم.")], offset=5, total=6, published=None)
    assert "(٦–٦ من ٦)" in page and "<b>٦.</b>" in page
    assert "<blockquote>ارتفع &lt;الذهب&gt; اليوم.</blockquote>" in page
    assert "الأربعاء ٢٧ نوفمبر ٢٠٢٤" in page and "وكالة" in page


def test_an_empty_period_says_so() -> None:
    page = latest.render_page([], offset=0, total=0, published=DateRange.day(date(2024, 11, 27)))
    assert "يوم الأربعاء ٢٧ نوفمبر ٢٠٢٤" in page and "/latest" in page


@pytest.mark.parametrize(
    ("offset", "total", "labels"),
    [
        (0, 3, []),
        (0, 12, [texts.BUTTON_OLDER]),
        (5, 12, [texts.BUTTON_OLDER, texts.BUTTON_NEWER]),
        (10, 12, [texts.BUTTON_NEWER]),
    ],
)
def test_buttons_go_to_older_and_newer_pages_where_they_exist(
    offset: int, total: int, labels: list[str]
) -> None:
    keyboard = latest.page_keyboard(offset=offset, total=total, published=None)
    shown = [button.text for row in keyboard.inline_keyboard for button in row] if keyboard else []
    assert shown == labels
