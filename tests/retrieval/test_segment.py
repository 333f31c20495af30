"""segment_sentences: Arabic sentence rules, with offsets that make every sentence verbatim."""

import itertools
from pathlib import Path

import pytest

from retrieval import segment_sentences
from retrieval.records import MAX_QUOTE_CHARS

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصل الرئيس. ثم غادر!", ["وصل الرئيس.", "ثم غادر!"]),
        ("هل وصل؟ نعم وصل.", ["هل وصل؟", "نعم وصل."]),
        # The Arabic comma, semicolon and colon do not end a sentence.
        (
            "قال، بعد وصوله: إن العلاقات جيدة؛ وأضاف أنها ستتحسن.",
            ["قال، بعد وصوله: إن العلاقات جيدة؛ وأضاف أنها ستتحسن."],
        ),
        # Closing quotes stay with the sentence they close.
        ("قال «انتهى الأمر.» ثم غادر.", ["قال «انتهى الأمر.»", "ثم غادر."]),
        ('قال "انتهى الأمر." ثم غادر.', ['قال "انتهى الأمر."', "ثم غادر."]),
        # Numbers and one-letter abbreviations keep their full stop.
        ("بلغ النمو 27.5 في المائة. ثم تراجع.", ["بلغ النمو 27.5 في المائة.", "ثم تراجع."]),
        ("قال د. أحمد إن الوضع مستقر.", ["قال د. أحمد إن الوضع مستقر."]),
        ("بني عام 500 ق.م. في المدينة.", ["بني عام 500 ق.م. في المدينة."]),
        # Line breaks always end a sentence; headline lines stand alone.
        ("العنوان\nالنص الأول. النص الثاني.", ["العنوان", "النص الأول.", "النص الثاني."]),
        # A full stop glued to the next Arabic word (scraped text) still ends the sentence.
        ("في أي لحظة.وصل الرئيس", ["في أي لحظة.", "وصل الرئيس"]),
        ("", []),
        ("  \n - \n", []),
    ],
)
def test_splits_arabic_text(text: str, expected: list[str]) -> None:
    assert [s.text for s in segment_sentences(text)] == expected


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_every_sentence_is_its_own_span_of_the_article(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    sentences = segment_sentences(text, "a")
    assert sentences
    for number, sentence in enumerate(sentences):
        assert sentence.text == text[sentence.start : sentence.end]
        assert sentence.index == number
        assert sentence.text == sentence.text.strip()
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in itertools.pairwise(sentences))


def test_long_sentences_are_cut_at_a_clause_mark_within_the_limit() -> None:
    clause = "وأكد المتحدث أن الحكومة ستواصل العمل على تحسين الخدمات العامة في جميع المحافظات"
    text = "، ".join([clause] * 12) + "."
    pieces = segment_sentences(text, max_chars=200)
    assert len(pieces) > 1
    assert all(len(p.text) <= 200 for p in pieces)
    assert all(p.text == text[p.start : p.end] for p in pieces)
    assert all(p.text.endswith("،") for p in pieces[:-1])
    # Nothing is lost: the pieces cover every word of the sentence.
    assert " ".join(p.text for p in pieces).split() == text.split()


def test_a_sentence_that_fits_in_one_quote_is_not_cut() -> None:
    clause = "وأكد المتحدث أن الحكومة ستواصل العمل على تحسين الخدمات العامة في جميع المحافظات"
    text = "، ".join([clause] * 6) + "."
    assert 400 < len(text) <= MAX_QUOTE_CHARS
    assert [s.text for s in segment_sentences(text)] == [text]
    longer = "، ".join([clause] * 9) + "."
    assert all(len(s.text) <= MAX_QUOTE_CHARS for s in segment_sentences(longer))


def test_a_word_longer_than_the_abbreviation_look_back_is_not_an_abbreviation() -> None:
    # The look-back for abbreviations is bounded (a 100,000-character line must stay linear); a word
    # that starts before the window is a long word, never a one-letter abbreviation.
    long_word = "ب" * 100 + ". وانتهى."
    assert [s.text for s in segment_sentences(long_word)] == ["ب" * 100 + ".", "وانتهى."]
    assert [s.text for s in segment_sentences("قال د. أحمد " + "كلام " * 30 + "انتهى. ثم")] == [
        "قال د. أحمد " + "كلام " * 30 + "انتهى.",
        "ثم",
    ]
