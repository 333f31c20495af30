"""normalize_arabic folds the spelling variants writers and outlets use for the same word."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import arabic_ratio, has_arabic, normalize_arabic
from retrieval.normalize import _DIACRITICS, _FORMAT_CHARS, _LETTER_MAP, is_arabic_letter


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد", "احمد"),  # hamza on alef
        ("إزفستيا", "ازفستيا"),  # hamza under alef
        ("آسيا", "اسيا"),  # madda
        ("ٱلله", "الله"),  # wasla
        ("مدرسة", "مدرسه"),  # ta marbuta
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مؤتمر", "موتمر"),  # hamza on waw
        ("رئيس", "رييس"),  # hamza on yeh
        ("عَدَّة", "عده"),  # tashkeel
        ("كـــبير", "كبير"),  # tatweel
        ("٢٠٢٤", "2024"),  # Arabic-Indic digits
        ("۱۹۹۰", "1990"),  # Eastern Arabic-Indic digits
        ("ﻻ", "لا"),  # presentation form (NFKC)
        ("بوتين\u200c", "بوتين"),  # zero-width non-joiner
        ("BRICS", "brics"),
    ],
)
def test_folds_variant_to_one_spelling(raw: str, expected: str) -> None:
    assert normalize_arabic(raw) == expected


def _by_definition(text: str) -> str:
    """The folding as first written: NFKC, drop format characters, then diacritics, then translate."""
    text = unicodedata.normalize("NFKC", text)
    text = _FORMAT_CHARS.sub("", text)
    text = _DIACRITICS.sub("", text)
    return text.translate(_LETTER_MAP).lower()


# Every character the folding treats specially, beside plain Arabic and Latin letters.
_FOLDED = (
    "".join(chr(code) for code in _LETTER_MAP)
    + "\u200c\u200f\u202b\u2067\ufeff\u0640\u064b\u0651\u0670\u06d6ﻻﷲ"
)


@given(st.text(alphabet=st.sampled_from(_FOLDED + "ابتثجحخدذرسشصضطظعغفقكلمنهويءAZaz09 .")))
def test_folding_equals_its_definition_on_any_mix_of_variants(text: str) -> None:
    assert normalize_arabic(text) == _by_definition(text)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("خبر عاجل من القاهرة", 1.0, 1.0),
        ("Breaking news from Cairo", 0.0, 0.0),
        ("قال رئيس شركة Apple إن", 0.6, 0.8),
        ("١٢٣ 456 !!!", 0.0, 0.0),  # digits and punctuation are not letters
        ("", 0.0, 0.0),
        ("ﻻ ﺍﻟﺴﻼﻡ", 1.0, 1.0),  # presentation forms from old pages count as Arabic
    ],
)
def test_arabic_ratio(text: str, low: float, high: float) -> None:
    assert low <= arabic_ratio(text) <= high


@pytest.mark.parametrize(
    ("text", "arabic"),
    [
        ("متى وصل الرئيس؟", True),
        ("ما هو GDP مصر؟", True),
        ("ما هو دور Rosatom في كازاخستان؟", True),  # Latin names never make a question non-Arabic
        ("When did the president arrive?", False),
        ("2024 ١٢٣", False),  # digits are not letters
        ("؟ ، ؛", False),  # nor is Arabic punctuation
        ("ﻻ", True),  # presentation forms
    ],
)
def test_has_arabic(text: str, arabic: bool) -> None:
    assert has_arabic(text) is arabic


def test_a_text_has_arabic_exactly_when_one_of_its_characters_is_an_arabic_letter() -> None:
    # Every character of the Basic Multilingual Plane, alone and after a Latin word.
    for code in range(0x10000):
        char = chr(code)
        assert has_arabic(char) is has_arabic(f"word {char}") is is_arabic_letter(char), hex(code)
