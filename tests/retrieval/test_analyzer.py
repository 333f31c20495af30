"""ArabicAnalyzer: one analysis for index and query, robust to inflection and to outlets' spellings."""

import pytest

from retrieval import ArabicAnalyzer

analyzer = ArabicAnalyzer()


def shares_a_term(a: str, b: str) -> bool:
    """True when two words meet in at least one field (stem, word or skeleton)."""
    (ta,) = list(analyzer.tokens(a))
    (tb,) = list(analyzer.tokens(b))
    return any(x == y for x, y in zip(ta.terms, tb.terms, strict=True))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("بوتين", "بوتن"),  # two outlets' transliterations of Putin
        ("إزفستيا", "إزفيستيا"),  # Izvestia, with and without the long vowel
        ("توكاييف", "توكايف"),
        ("العلاقات", "علاقات"),  # definite article
        ("والعلاقات", "العلاقات"),  # conjunction + article
        ("كازاخستان", "بكازاخستان"),  # preposition clitic
        ("الكازاخستانية", "كازاخستانية"),
        ("زيارة", "الزيارة"),
        ("مدرسة", "مدرسه"),  # ta marbuta typed as ha
        ("أعلنت", "اعلنت"),  # hamza dropped
        ("٤٣", "43"),
        ("توغو", "توجو"),  # Togo: g written غ or ج
        ("غوغل", "جوجل"),  # Google
        ("بطرسبورغ", "بترسبورج"),  # ط/ت and غ/ج at once
        ("فولفو", "ڤولڤو"),  # v written ف or ڤ
    ],
)
def test_variants_meet_in_some_field(a: str, b: str) -> None:
    assert shares_a_term(a, b)


@pytest.mark.parametrize(("a", "b"), [("بوتين", "روسيا"), ("كازاخستان", "أوكرانيا"), ("صاروخ", "طائرة")])
def test_different_words_stay_apart(a: str, b: str) -> None:
    assert not shares_a_term(a, b)


def test_stopwords_and_punctuation_yield_no_terms() -> None:
    assert analyzer.field_terms("ما هو الذي في على؟! ... «»") == ([], [], [], [])


def test_question_words_are_dropped_content_words_kept() -> None:
    stems, words, *_ = analyzer.field_terms("متى وصل بوتين إلى كازاخستان؟")
    assert words == ["وصل", "بوتين", "كازاخستان"]
    assert len(stems) == 3


def test_token_offsets_point_into_the_original_text() -> None:
    text = "وصلَ الرئيسُ «بوتين» إلى أستانا عام ٢٠٢٤."
    for token in analyzer.tokens(text):
        assert text[token.start : token.end] == token.surface
    assert [t.surface for t in analyzer.tokens(text)][:3] == ["وصلَ", "الرئيسُ", "بوتين"]


@pytest.mark.parametrize(("text", "is_arabic"), [("بوتين", True), ("Putin", False), ("2024", False)])
def test_flags_arabic_words(text: str, is_arabic: bool) -> None:
    (token,) = list(analyzer.tokens(text))
    assert token.is_arabic is is_arabic
