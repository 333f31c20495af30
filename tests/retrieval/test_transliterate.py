"""Latin -> Arabic consonant spellings: each rule on a name whose Arabic spelling is known."""

import pytest

from retrieval import ArabicAnalyzer
from retrieval.transliterate import MAX_SPELLINGS, arabic_consonants, latin_letters

analyzer = ArabicAnalyzer()


def skeleton(arabic: str) -> str:
    (token,) = analyzer.tokens(arabic)
    return token.terms.skeleton


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("rosatom", "روساتوم"),  # vowels inside the word are dropped, as the skeleton drops them
        ("putin", "بوتين"),  # p is written ب
        ("tokayev", "توكاييف"),  # v is written ف, y inside a word is a vowel
        ("kazakhstan", "كازاخستان"),  # kh is one letter, خ
        ("ushakov", "أوشاكوف"),  # an opening vowel is ا; sh is ش
        ("zakharova", "زاخاروفا"),
        ("izvestia", "إزفستيا"),
        ("macron", "ماكرون"),  # c before a consonant or a, o, u is ك
        ("iraq", "العراق"),  # an opening vowel may be ع; q may be ق; the article is the analyzer's
        ("google", "غوغل"),  # g may be غ ...
        ("google", "جوجل"),  # ... or ج; a doubled letter is one
        ("italia", "إيطاليا"),  # t may be ط
    ],
)
def test_the_arabic_spelling_of_a_name_is_among_its_transliterations(latin: str, arabic: str) -> None:
    assert skeleton(arabic) in {skeleton(spelling) for spelling in arabic_consonants(latin)}


def test_the_most_common_consonants_come_first() -> None:
    assert arabic_consonants("putin")[0] == "بتن"
    assert arabic_consonants("cecil")[0] == "سسل"  # c before e or i is س


def test_ambiguous_letters_give_a_bounded_number_of_spellings() -> None:
    spellings = arabic_consonants("gagagagagaga")
    assert len(spellings) == len(set(spellings)) <= MAX_SPELLINGS


@pytest.mark.parametrize(
    ("word", "folded"),
    [("Rosatom", "rosatom"), ("NATO", "nato"), ("Erdoğan", "erdogan"), ("Zürich", "zurich")],
)
def test_latin_words_are_folded_to_lowercase_ascii(word: str, folded: str) -> None:
    assert latin_letters(word) == folded


@pytest.mark.parametrize("word", ["بوتين", "COP29", "x-ray", "", "Ελλάδα"])
def test_a_word_that_is_not_only_latin_letters_is_not_transliterated(word: str) -> None:
    assert latin_letters(word) is None
