"""parse_time_expression: Arabic time words as a date range relative to a given day."""

from datetime import date

import pytest

from retrieval import DateRange, parse_time_expression, published_day

# A Thursday; the week (Saturday first) began on Saturday 23 November.
TODAY = date(2024, 11, 28)


@pytest.mark.parametrize(
    ("question", "first", "last", "remainder"),
    [
        ("ماذا قال بوتين اليوم؟", date(2024, 11, 28), date(2024, 11, 28), "ماذا قال بوتين؟"),
        ("أخبار اليوم", date(2024, 11, 28), date(2024, 11, 28), "أخبار"),
        ("ماذا قال بوتين أمس؟", date(2024, 11, 27), date(2024, 11, 27), "ماذا قال بوتين؟"),
        ("ماذا حدث يوم امس", date(2024, 11, 27), date(2024, 11, 27), "ماذا حدث"),
        ("ماذا جرى البارحة؟", date(2024, 11, 27), date(2024, 11, 27), "ماذا جرى؟"),
        ("ماذا حدث أول أمس", date(2024, 11, 26), date(2024, 11, 26), "ماذا حدث"),
        ("ماذا حدث هذا الأسبوع؟", date(2024, 11, 23), date(2024, 11, 28), "ماذا حدث؟"),
        ("أخبار الأسبوع الماضي", date(2024, 11, 16), date(2024, 11, 22), "أخبار"),
        ("الاقتصاد خلال الاسبوع المنصرم", date(2024, 11, 16), date(2024, 11, 22), "الاقتصاد"),
        ("ما أخبار النفط هذا الشهر", date(2024, 11, 1), date(2024, 11, 28), "ما أخبار النفط"),
        ("ماذا حدث في الشهر الماضي؟", date(2024, 10, 1), date(2024, 10, 31), "ماذا حدث؟"),
        ("ماذا جرى في نوفمبر 2024؟", date(2024, 11, 1), date(2024, 11, 30), "ماذا جرى؟"),
        ("قمة في تشرين الثاني ٢٠٢٣", date(2023, 11, 1), date(2023, 11, 30), "قمة"),
        ("زيارة 27 نوفمبر 2024", date(2024, 11, 27), date(2024, 11, 27), "زيارة"),
        ("ماذا حدث في مارس", date(2024, 3, 1), date(2024, 3, 31), "ماذا حدث"),
        # A month later in the year than today is last year's.
        ("ماذا حدث في ديسمبر", date(2023, 12, 1), date(2023, 12, 31), "ماذا حدث"),
        ("الميزانية هذا العام", date(2024, 1, 1), date(2024, 11, 28), "الميزانية"),
        ("الميزانية في السنة الماضية", date(2023, 1, 1), date(2023, 12, 31), "الميزانية"),
        ("الشهر الماضي", date(2024, 10, 1), date(2024, 10, 31), ""),
    ],
)
def test_time_words_name_a_range_and_leave_the_rest_of_the_question(
    question: str, first: date, last: date, remainder: str
) -> None:
    found = parse_time_expression(question, today=TODAY)
    assert found is not None
    assert found.published == DateRange(first, last)
    assert found.remainder == remainder
    assert found.phrase in question


@pytest.mark.parametrize(
    "question",
    [
        "متى وصل بوتين إلى كازاخستان؟",
        "يمارس الرياضة كل صباح",  # «مارس» inside another word
        "مارس الضغط على الحكومة",  # «مارس» the verb, with no «في» or year
        "كم عدد سكان مصر 100 مليون",  # a number is not a year
        "يوميات الحرب",  # «يوم» inside another word
        "ما هو اليوم الوطني السعودي؟",  # a named day, not today
        # A bare year is the topic of a history question, not when the article was published.
        "ما نتائج الانتخابات عام 2020؟",
        "ماذا حدث في 2020",
        "متى يحتفل العالم باليوم العالمي للمرأة؟",
    ],
)
def test_questions_without_time_words_name_no_range(question: str) -> None:
    assert parse_time_expression(question, today=TODAY) is None


def test_a_day_the_month_lacks_means_the_whole_month() -> None:
    found = parse_time_expression("زيارة 31 نوفمبر 2024", today=TODAY)
    assert found is not None and found.published == DateRange.month(2024, 11)


def test_january_last_month_is_the_previous_december() -> None:
    found = parse_time_expression("الشهر الماضي", today=date(2025, 1, 10))
    assert found is not None and found.published == DateRange(date(2024, 12, 1), date(2024, 12, 31))


def test_a_range_holds_its_days_and_refuses_to_be_empty() -> None:
    week = DateRange(date(2024, 11, 23), date(2024, 11, 28))
    assert date(2024, 11, 23) in week and date(2024, 11, 28) in week
    assert date(2024, 11, 22) not in week and None not in week
    with pytest.raises(ValueError):
        DateRange(date(2024, 11, 28), date(2024, 11, 23))


@pytest.mark.parametrize(
    ("published", "day"),
    [
        ("2024-11-27", date(2024, 11, 27)),
        ("2024-11-27T10:00:00Z", date(2024, 11, 27)),
        ("27/11/2024", None),
        ("", None),
        (None, None),
    ],
)
def test_published_day_reads_iso_dates_only(published: str | None, day: date | None) -> None:
    assert published_day(published) == day
