"""Dates for Arabic readers: weekday, day, month name and year, in Arabic-Indic digits."""

from datetime import date

import pytest

from bot.dates import arabic_date, display_date, range_phrase
from retrieval import DateRange


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(2024, 11, 27), "الأربعاء ٢٧ نوفمبر ٢٠٢٤"),
        (date(2025, 1, 5), "الأحد ٥ يناير ٢٠٢٥"),
        (date(2024, 2, 29), "الخميس ٢٩ فبراير ٢٠٢٤"),
        (date(2023, 9, 11), "الاثنين ١١ سبتمبر ٢٠٢٣"),
    ],
)
def test_a_day_reads_weekday_day_month_year(day: date, shown: str) -> None:
    assert arabic_date(day) == shown


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("2024-11-27", "الأربعاء ٢٧ نوفمبر ٢٠٢٤"),
        ("2024-11-27T23:10:00Z", "الأربعاء ٢٧ نوفمبر ٢٠٢٤"),
        ("خريف 2024", "خريف ٢٠٢٤"),  # not a date we can read: the outlet's words, in the one digit system
        (None, None),
        ("", None),
    ],
)
def test_published_values_are_shown_in_arabic_when_they_are_dates(
    published: str | None, shown: str | None
) -> None:
    assert display_date(published) == shown


def test_a_range_is_one_day_or_from_to() -> None:
    assert range_phrase(DateRange.day(date(2024, 11, 27))) == "يوم الأربعاء ٢٧ نوفمبر ٢٠٢٤"
    week = DateRange(date(2024, 11, 23), date(2024, 11, 28))
    assert range_phrase(week) == "من ٢٣ نوفمبر ٢٠٢٤ إلى ٢٨ نوفمبر ٢٠٢٤"


def test_no_western_digit_is_shown() -> None:
    assert not any(char.isascii() and char.isdigit() for char in arabic_date(date(2019, 10, 10)))
