"""normalize_arabic folds the spelling variants writers and outlets use for the same word."""

import pytest

from retrieval import normalize_arabic


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
