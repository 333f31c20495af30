"""Dates as an Arabic reader expects them: «الأربعاء ٢٧ نوفمبر ٢٠٢٤», in the bot's one digit system.

Month names are the Gregorian series used by most Arab outlets (يناير … ديسمبر); digits are
Arabic-Indic like every other number the bot shows (``bot.numbers``).
"""

from __future__ import annotations

from datetime import date

from bot.numbers import arabic_digits
from retrieval import DateRange, published_day

MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")  # date.weekday() order


def arabic_date(day: date, *, weekday: bool = True) -> str:
    """«الأربعاء ٢٧ نوفمبر ٢٠٢٤» (without the weekday: «٢٧ نوفمبر ٢٠٢٤»)."""
    text = arabic_digits(f"{day.day} {MONTHS[day.month - 1]} {day.year}")
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def display_date(published: str | None) -> str | None:
    """An article's ``published`` value for display: an ISO date in Arabic, anything else in its own
    words with the bot's one digit system («خريف 2024» → «خريف ٢٠٢٤»)."""
    if not published:
        return None
    day = published_day(published)
    return arabic_date(day) if day is not None else arabic_digits(published)


def range_phrase(published: DateRange) -> str:
    """«يوم الأربعاء ٢٧ نوفمبر ٢٠٢٤» for one day, «من ٢٣ نوفمبر ٢٠٢٤ إلى ٢٨ نوفمبر ٢٠٢٤» for several.

    Either reads right after «أخبار» or «منشورة».
    """
    if published.first == published.last:
        return f"يوم {arabic_date(published.first)}"
    first = arabic_date(published.first, weekday=False)
    return f"من {first} إلى {arabic_date(published.last, weekday=False)}"
