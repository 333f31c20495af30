"""Numbers as an Arabic reader expects them: one digit system, counted nouns in the right form.

Arabic chooses the noun's form by the number (CLDR plural categories): «مقال واحد، مقالان،
٣ مقالات، ١١ مقالًا، ١٠٠ مقال». The categories come from Babel's CLDR data rather than
hand-written branches on ``n % 100``; each noun only lists its forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale

_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_ARABIC = Locale("ar")
_PLURAL_FORM = _ARABIC.plural_form


def arabic_number(number: int) -> str:
    """``number`` in Arabic-Indic digits, the one digit system of every composed message."""
    return arabic_digits(str(number))


def arabic_digits(text: str) -> str:
    """``text`` with its ASCII digits in Arabic-Indic digits (dates we compose, never quoted text)."""
    return text.translate(_ARABIC_DIGITS)


@dataclass(frozen=True, slots=True)
class Noun:
    """A counted noun's forms per CLDR category; ``{n}`` is replaced by the number in Arabic digits.

    ``zero`` (0) defaults to ``other`` (the form after 100: «٠ مقال»).
    """

    one: str
    two: str
    few: str
    many: str
    other: str
    zero: str | None = None

    def form(self, category: str) -> str:
        if category == "zero":
            return self.zero if self.zero is not None else self.other
        template: str = getattr(self, category)
        return template


def count(number: int, noun: Noun) -> str:
    """``number`` of ``noun`` in its grammatical form, e.g. ``count(11, ARTICLES)`` -> «١١ مقالًا»."""
    return noun.form(_PLURAL_FORM(abs(number))).format(n=arabic_number(number))
