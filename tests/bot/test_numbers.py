"""Numbers: Arabic-Indic digits, and counted nouns in the form CLDR's Arabic plural rules pick."""

from __future__ import annotations

import pytest

from bot import texts
from bot.numbers import Noun, arabic_number, count


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "٠ مقال"),
        (1, "مقال واحد"),
        (2, "مقالان"),
        (3, "٣ مقالات"),
        (10, "١٠ مقالات"),
        (11, "١١ مقالًا"),
        (99, "٩٩ مقالًا"),
        (100, "١٠٠ مقال"),
        (103, "١٠٣ مقالات"),
        (111, "١١١ مقالًا"),
    ],
)
def test_articles_are_counted_in_the_arabic_plural(number: int, expected: str) -> None:
    assert count(number, texts.ARTICLES) == expected


def test_zero_has_its_own_form_when_a_noun_gives_one() -> None:
    noun = Noun("مقال واحد", "مقالان", "{n} مقالات", "{n} مقالًا", "{n} مقال", zero="لا مقالات")
    assert count(0, noun) == "لا مقالات"


def test_numbers_use_one_digit_system() -> None:
    assert arabic_number(2024) == "٢٠٢٤"
