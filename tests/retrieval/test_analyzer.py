"""ArabicAnalyzer: one analysis for index and query, robust to inflection and to outlets' spellings."""

import re

import pytest

from retrieval import ArabicAnalyzer, Fields, QuestionKind
from retrieval.analyzer import _TOKEN, has_definite_article

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
        ("ألمانيا", "الألمانية"),  # Germany and German: the hamza says «ال» is the word's own
        ("ألمانيا", "وألمانيا"),
        ("ألعاب", "للألعاب"),
    ],
)
def test_variants_meet_in_some_field(a: str, b: str) -> None:
    assert shares_a_term(a, b)


@pytest.mark.parametrize(("a", "b"), [("بوتين", "روسيا"), ("كازاخستان", "أوكرانيا"), ("صاروخ", "طائرة")])
def test_different_words_stay_apart(a: str, b: str) -> None:
    assert not shares_a_term(a, b)


@pytest.mark.parametrize(
    ("written", "word"),
    [
        ("ألمانيا", "المانيا"),
        ("وألقى", "القي"),
        ("الألعاب", "العاب"),
        ("الكتاب", "كتاب"),
        ("وبالكتاب", "كتاب"),
    ],
)
def test_the_article_is_stripped_but_an_al_under_a_hamza_is_the_words_own(written: str, word: str) -> None:
    terms = analyzer.one_content_word(written)
    assert terms is not None and terms.word == word


def test_snowball_and_isri_read_the_hamza_of_a_words_own_al() -> None:
    games = analyzer.one_content_word("ألعاب")
    assert games is not None and (games.stem, games.root) == ("العاب", "لعب")


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


@pytest.mark.parametrize(
    "text",
    ["وصلَ الرئيسُ «بوتين» إلى أستانا عام ٢٠٢٤.", "قال ـــ إن الوزير في 27.5 Putin\u200c", "من في على", ""],
)
def test_word_spans_are_the_offsets_of_the_tokens_stopwords_included(text: str) -> None:
    # A fresh analyzer: the words are met for the first time, as a restarted bot meets them.
    assert ArabicAnalyzer().word_spans(text) == [(token.start, token.end) for token in analyzer.tokens(text)]
    assert analyzer.word_spans(text) == [(token.start, token.end) for token in analyzer.tokens(text)]


def test_word_spans_up_to_a_count_are_the_first_ones() -> None:
    text = "قال ـــ إن الوزير في 27.5 Putin"
    spans = analyzer.word_spans(text)
    assert len(spans) == 6
    for count in range(8):
        assert ArabicAnalyzer().word_spans(text, count) == spans[:count]


def test_stopwords_are_the_terms_of_the_tokens_flagged_as_stopwords() -> None:
    text = "قال إن الوزير في العاصمة عليهم ـــ من"
    expected = [token.terms for token in analyzer.tokens(text) if token.is_stopword]
    assert list(ArabicAnalyzer().stopwords(text)) == expected
    assert list(analyzer.stopwords(text)) == expected
    assert len(expected) == 4


@pytest.mark.parametrize(("text", "is_arabic"), [("بوتين", True), ("Putin", False), ("2024", False)])
def test_flags_arabic_words(text: str, is_arabic: bool) -> None:
    (token,) = list(analyzer.tokens(text))
    assert token.is_arabic is is_arabic


def test_terms_are_named_by_field() -> None:
    (token,) = list(analyzer.tokens("والعلاقات"))
    assert token.terms.word == "علاقات"
    assert token.terms == (token.terms.stem, token.terms.word, token.terms.skeleton, token.terms.root)


def test_a_repeated_word_keeps_its_own_offsets() -> None:
    text = "بوتين قابل بوتين"
    assert [(t.start, t.end) for t in analyzer.tokens(text)] == [(0, 5), (6, 10), (11, 16)]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("متى وصل بوتين إلى كازاخستان؟", QuestionKind.TIME),
        ("في أي عام تأسست الجامعة؟", QuestionKind.TIME),
        ("في أي سنة تأسست الجامعة؟", QuestionKind.TIME),
        ("كم عدد سكان المدينة؟", QuestionKind.NUMBER),
        ("بكم بيعت اللوحة؟", QuestionKind.NUMBER),
        ("أين تقع المدينة؟", QuestionKind.PLACE),
        ("من هو رئيس الوزراء؟", QuestionKind.PERSON),
        ("لماذا طردت روسيا الصحافيين؟", QuestionKind.REASON),
        ("ما هي مجموعة بريكس؟", QuestionKind.OTHER),
        # "من" inside a question is the preposition "from", not "who"; "ما نسبة" asks for a number.
        ("ما نسبة إنتاج كازاخستان من اليورانيوم؟", QuestionKind.NUMBER),
        ("ما هي أسباب الأزمة من وجهة نظرك؟", QuestionKind.REASON),
        # "When" counts wherever it stands.
        ("ما هو الحدث الذي وقع ومنذ متى بدأ؟", QuestionKind.TIME),
    ],
)
def test_question_kind_says_what_is_asked(question: str, kind: QuestionKind) -> None:
    assert analyzer.analyze_question(question).kind is kind


@pytest.mark.parametrize(
    ("kind", "wants_number"),
    [
        (QuestionKind.TIME, True),
        (QuestionKind.NUMBER, True),
        (QuestionKind.PLACE, False),
        (QuestionKind.PERSON, False),
        (QuestionKind.REASON, False),
        (QuestionKind.OTHER, False),
    ],
)
def test_only_time_and_number_questions_want_a_number(kind: QuestionKind, wants_number: bool) -> None:
    assert kind.wants_number is wants_number


def test_a_question_keeps_its_content_words_once_each() -> None:
    question = analyzer.analyze_question("متى وصل بوتين؟ متى وصل بوتين إلى كازاخستان؟")
    assert [t.surface for t in question.tokens] == ["وصل", "بوتين", "وصل", "بوتين", "كازاخستان"]
    assert [word.word for word in question.words] == ["وصل", "بوتين", "كازاخستان"]
    assert question.terms.word == ("وصل", "بوتين", "كازاخستان")
    assert question.has_arabic


def test_a_question_without_content_words_has_no_terms() -> None:
    question = analyzer.analyze_question("ما هو؟")
    assert question.tokens == () and question.words == ()
    assert question.terms == Fields(stem=(), word=(), skeleton=(), root=())


def test_a_remembered_analysis_is_used_instead_of_analysing_the_word_again() -> None:
    analyzer = ArabicAnalyzer()
    made_elsewhere = Fields(stem="s", word="w", skeleton="k", root="r")
    analyzer.remember("كلمة", made_elsewhere)
    [token] = analyzer.tokens("كلمة")
    assert token.terms == made_elsewhere and not token.is_stopword and token.is_arabic


@pytest.mark.parametrize(
    "text", ["وصل الرئيس بوتين إلى كازاخستان في زيارة رسمية عام 2024", "في من إلى", "", "ـــ Putin ٤٣"]
)
def test_content_words_are_the_tokens_that_are_not_stopwords_with_their_ordinals(text: str) -> None:
    expected = [(ordinal, t.terms) for ordinal, t in enumerate(analyzer.tokens(text)) if not t.is_stopword]
    assert list(ArabicAnalyzer().content_words(text)) == expected


@pytest.mark.parametrize(
    ("surface", "definite"),
    [
        ("اليابان", True),
        ("واليابان", True),
        ("باليابان", True),
        ("لليابان", True),  # «ل» + «ال», the alef dropped
        ("مالي", False),
        ("ألمانيا", False),  # an «ال» under a hamza is the word's own
        ("وألمانيا", False),
    ],
)
def test_the_definite_article_is_told_as_the_analysis_strips_it(surface: str, definite: bool) -> None:
    assert has_definite_article(surface) is definite


# The word pattern as first written, one alternation per character: the reference for the faster one.
_REFERENCE_TOKEN = re.compile(
    r"[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,\u066b\u066c][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
    r"|[^\W\d_](?:[^\W\d_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c])*"
)


@pytest.mark.parametrize(
    "text",
    [
        "وَصَلَ الرَّئِيسُ إلى أستانا",  # marks after every letter
        "ـــ مـــرحبا \u064b\u064bقال",  # tatweel runs, marks before any letter
        "لا\u200cيمكن x\u200c y\u200c\u200c",  # ZWNJ inside and at the end of words
        "في 27.5 و7,500 و٢٠٢٤. 1.2.3 a_b c1d",  # numbers, underscores, digits inside words
        "",
    ],
)
def test_the_word_pattern_finds_what_the_reference_pattern_finds(text: str) -> None:
    assert [m.span() for m in _TOKEN.finditer(text)] == [m.span() for m in _REFERENCE_TOKEN.finditer(text)]
