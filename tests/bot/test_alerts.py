"""Alerts: which follows an addition answers is the engine's business; here, their order and form."""

from bot.alerts import in_rounds, render_alert
from bot.follows import Follow
from bot.layout import MAX_MESSAGE, telegram_length
from retrieval import Answer
from tests.bot import fakes

ARTICLE = fakes.article("a", "استقبل المعرض مئة ألف زائر. وشاركت فيه سبعمئة دار نشر.", source="وكالة")
ANSWER = Answer(question="q", quotes=(fakes.quote(ARTICLE, "استقبل المعرض مئة ألف زائر."),))


def follow(follow_id: int, chat_id: int, question: str = "كم زائرا؟") -> Follow:
    return Follow(id=follow_id, chat_id=chat_id, question=question, created_at="2024-11-28T00:00:00+00:00")


def test_rounds_hold_one_alert_per_chat_in_follow_order() -> None:
    matches = [
        (follow(1, 10), ANSWER),
        (follow(2, 10), ANSWER),
        (follow(3, 20), ANSWER),
        (follow(4, 10), ANSWER),
    ]
    rounds = [[f.id for f, _ in batch] for batch in in_rounds(matches)]
    assert rounds == [[1, 3], [2], [4]]
    assert in_rounds([]) == []


def test_an_alert_names_the_followed_question_then_quotes_with_the_source() -> None:
    text = render_alert(follow(1, 10, "كم زائرا استقبل <المعرض>؟"), ANSWER)
    first_line, rest = text.split("\n", 1)
    assert "🔔" in first_line and "كم زائرا استقبل &lt;المعرض&gt;؟" in first_line
    assert "<blockquote>استقبل المعرض مئة ألف زائر.</blockquote>" in rest and "وكالة" in rest


def test_an_alert_for_a_huge_quote_still_fits_one_message() -> None:
    long_text = "كلمة " * 2000 + "."
    article = fakes.article("b", long_text)
    answer = Answer(question="q", quotes=(fakes.quote(article, long_text),))
    assert telegram_length(render_alert(follow(1, 10, "سؤال " * 60), answer)) <= MAX_MESSAGE
