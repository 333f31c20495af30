"""Time words in a question («أمس»، «الشهر الماضي»، «في نوفمبر 2024») as a date range.

Pure: the caller passes ``today`` (the bot its clock, tests a fixed day); nothing here reads the
time. :func:`parse_time_expression` returns the range the words name and the question without them,
so the rest is searched as usual and only articles published in the range can answer.

Conventions, chosen to match how Arabic news readers speak:

* A week starts on Saturday (the working week in most Arab countries); «هذا الأسبوع» is from the
  last Saturday through today, «الأسبوع الماضي» the seven days before that.
* A month named without a year is its latest occurrence not after today («في مارس» in January
  means last March). A month name alone is not a time expression unless «في»/«خلال»/«شهر» or a
  year goes with it: «مارس» is also a verb and «آب» a word.
* Gregorian month names in both the Egyptian/Gulf (يناير…ديسمبر) and the Levantine/Iraqi
  (كانون الثاني…كانون الأول) series; Western and Arabic-Indic digits.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

WEEK_START: Final = calendar.SATURDAY

_ALEF = "[اأإآ]"
_TA = "[ةه]"
_YA = "[يى]"
_DIGITS = "[0-9\u0660-\u0669\u06f0-\u06f9]"
_TO_ASCII_DIGITS = str.maketrans(
    {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
)

# Month number -> its names (regex fragments), longest first within the alternation below.
_MONTH_NAMES: Final[dict[int, tuple[str, ...]]] = {
    1: ("يناير", "كانون الثاني"),
    2: ("فبراير", "شباط"),
    3: ("مارس", f"{_ALEF}ذار"),
    4: (f"{_ALEF}بريل", "نيسان"),
    5: ("مايو", f"{_ALEF}يار"),
    6: ("يونيو", f"يوني{_TA}", "حزيران"),
    7: ("يوليو", f"يولي{_TA}", "تموز"),
    8: (f"{_ALEF}غسطس", f"{_ALEF}ب"),
    9: ("سبتمبر", f"{_ALEF}يلول"),
    10: (f"{_ALEF}كتوبر", f"تشرين {_ALEF}ل{_ALEF}ول"),
    11: ("نوفمبر", f"تشرين {_ALEF}لثاني"),
    12: ("ديسمبر", f"كانون {_ALEF}ل{_ALEF}ول"),
}
_MONTH_PATTERNS: Final = tuple(
    (number, re.compile(f"^(?:{'|'.join(names)})$")) for number, names in _MONTH_NAMES.items()
)
_ANY_MONTH = "|".join(
    sorted((name for names in _MONTH_NAMES.values() for name in names), key=len, reverse=True)
)

_BEFORE = r"(?<![\w])"
_AFTER = r"(?![\w])"
# A preposition that belongs to the time expression and goes with it: «ماذا حدث في الشهر الماضي».
_PREPOSITION = r"(?:(?:في|خلال|طوال)\s+)?"
_THIS_M = f"(?:هذا|{_ALEF}لحالي|{_ALEF}لجاري)"  # masculine: الأسبوع، الشهر، العام
_LAST_M = f"(?:{_ALEF}لماض{_YA}|{_ALEF}لمنصرم|{_ALEF}لفائت|{_ALEF}لسابق)"
_THIS_F = f"(?:هذه|{_ALEF}لحالي{_TA}|{_ALEF}لجاري{_TA})"  # feminine: السنة
_LAST_F = f"(?:{_ALEF}لماضي{_TA}|{_ALEF}لمنصرم{_TA}|{_ALEF}لفائت{_TA}|{_ALEF}لسابق{_TA})"
_WEEK = f"{_ALEF}ل{_ALEF}سبوع"
_MONTH = f"{_ALEF}لشهر"
_YEAR_M = f"{_ALEF}لعام"
_YEAR_F = f"{_ALEF}لسن{_TA}"


@dataclass(frozen=True, slots=True)
class DateRange:
    """The days from ``first`` through ``last``, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"empty date range: {self.first} > {self.last}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    @classmethod
    def day(cls, day: date) -> DateRange:
        return cls(day, day)

    @classmethod
    def month(cls, year: int, month: int) -> DateRange:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def year(cls, year: int) -> DateRange:
        return cls(date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """Time words found in a question: the range they name, the words, and the question without them."""

    published: DateRange
    phrase: str
    remainder: str


def published_day(published: str | None) -> date | None:
    """The day of an ISO date or timestamp ("2024-11-27", "2024-11-27T10:00:00Z"), or None."""
    if not published or len(published) < 10:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _week_start(today: date) -> date:
    return today - timedelta(days=(today.weekday() - WEEK_START) % 7)


def _previous_month(today: date) -> DateRange:
    last = today.replace(day=1) - timedelta(days=1)
    return DateRange.month(last.year, last.month)


def _month_number(name: str) -> int:
    for number, pattern in _MONTH_PATTERNS:
        if pattern.match(name):
            return number
    raise ValueError(f"not a month name: {name!r}")


def _number(digits: str) -> int:
    return int(digits.translate(_TO_ASCII_DIGITS))


def _named_month(match: re.Match[str], today: date) -> DateRange | None:
    month = _month_number(" ".join(match["month"].split()))
    # A month without a year is its latest occurrence up to today.
    latest = today.year if month <= today.month else today.year - 1
    year = _number(match["year"]) if match["year"] else latest
    day = _number(match["day"]) if match["day"] else 0
    if 1 <= day <= calendar.monthrange(year, month)[1]:
        return DateRange.day(date(year, month, day))
    return DateRange.month(year, month)  # no day, or one the month lacks (a typo): the whole month


_Resolver = Callable[[re.Match[str], date], DateRange | None]

# Tried in order; the first that matches anywhere in the question wins. Longer phrases come
# before the shorter ones they contain («أول أمس» before «أمس»).
_RULES: Final[tuple[tuple[re.Pattern[str], _Resolver], ...]] = tuple(
    (re.compile(_BEFORE + _PREPOSITION + pattern + _AFTER), resolve)
    for pattern, resolve in (
        (
            rf"(?:(?P<day>{_DIGITS}{{1,2}})\s+)?(?:شهر\s+)?(?P<month>{_ANY_MONTH})(?:\s+(?:عام|سن{_TA})?\s*(?P<year>(?:19|20|١٩|٢٠){_DIGITS}{{2}}))",
            _named_month,
        ),
        (
            rf"(?:(?P<day>{_DIGITS}{{1,2}})\s+|(?<=في\s)|(?<=خلال\s)|شهر\s+)(?P<month>{_ANY_MONTH})(?P<year>)",
            _named_month,
        ),
        (
            f"(?:{_ALEF}ول\\s+(?:من\\s+)?{_ALEF}مس|{_ALEF}مس\\s+{_ALEF}ل{_ALEF}ول)",
            lambda m, today: DateRange.day(today - timedelta(days=2)),
        ),
        (
            f"(?:يوم\\s+)?(?:{_ALEF}مس|{_ALEF}ل{_ALEF}مس|{_ALEF}لبارح{_TA})",
            lambda m, today: DateRange.day(today - timedelta(days=1)),
        ),
        # «اليوم الوطني»، «اليوم العالمي للمرأة» name a day, not today.
        (f"(?:هذا\\s+)?{_ALEF}ليوم(?!\\s+{_ALEF}ل)", lambda m, today: DateRange.day(today)),
        (
            f"(?:{_THIS_M}\\s+{_WEEK}|{_WEEK}\\s+{_THIS_M})",
            lambda m, today: DateRange(_week_start(today), today),
        ),
        (
            f"{_WEEK}\\s+{_LAST_M}",
            lambda m, today: DateRange(
                _week_start(today) - timedelta(days=7), _week_start(today) - timedelta(days=1)
            ),
        ),
        (
            f"(?:{_THIS_M}\\s+{_MONTH}|{_MONTH}\\s+{_THIS_M})",
            lambda m, today: DateRange(today.replace(day=1), today),
        ),
        (f"{_MONTH}\\s+{_LAST_M}", lambda m, today: _previous_month(today)),
        (
            f"(?:{_THIS_M}\\s+{_YEAR_M}|{_YEAR_M}\\s+{_THIS_M}|{_THIS_F}\\s+{_YEAR_F}|{_YEAR_F}\\s+{_THIS_F})",
            lambda m, today: DateRange(date(today.year, 1, 1), today),
        ),
        (
            f"(?:{_YEAR_M}\\s+{_LAST_M}|{_YEAR_F}\\s+{_LAST_F})",
            lambda m, today: DateRange.year(today.year - 1),
        ),
    )
)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([؟?!.,،؛:])")


def parse_time_expression(text: str, *, today: date) -> TimeExpression | None:
    """The first time expression in ``text`` relative to ``today``, or None when it names no time."""
    for pattern, resolve in _RULES:
        for match in pattern.finditer(text):
            published = resolve(match, today)
            if published is None:
                continue
            remainder = " ".join((text[: match.start()] + " " + text[match.end() :]).split())
            return TimeExpression(
                published=published,
                phrase=match.group().strip(),
                remainder=_SPACE_BEFORE_PUNCTUATION.sub(r"\1", remainder),
            )
    return None
