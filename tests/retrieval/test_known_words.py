"""Known words: a restarted analyzer takes the saved analyses of corpus words instead of redoing them."""

from pathlib import Path

import pytest

from retrieval import ArabicAnalyzer, IndexFormatError
from retrieval.analyzer import _Word
from retrieval.known_words import FILE_NAME, KnownWords, save_known_words

TEXT = "وصل الرئيس بوتين إلى كازاخستان في زيارة رسمية عام 2024"


class CountingAnalyzer(ArabicAnalyzer):
    """An analyzer that records the surfaces it analyses itself."""

    def __init__(self) -> None:
        super().__init__()
        self.analysed: list[str] = []

    def _analyze_word(self, surface: str) -> _Word | None:
        self.analysed.append(surface)
        return super()._analyze_word(surface)


def saved(directory: Path) -> ArabicAnalyzer:
    analyzer = ArabicAnalyzer()
    list(analyzer.tokens(TEXT))
    save_known_words(directory, analyzer.known_words())
    return analyzer


def test_known_words_are_the_content_words_first_met_first() -> None:
    analyzer = ArabicAnalyzer()
    list(analyzer.tokens(TEXT))
    content = [t.surface for t in analyzer.tokens(TEXT) if not t.is_stopword]
    assert [surface for surface, _ in analyzer.known_words()] == content
    assert "في" not in dict(analyzer.known_words())  # a stopword is not saved


def test_a_restarted_analyzer_gives_the_same_tokens_without_analysing_content_words(
    tmp_path: Path,
) -> None:
    original = saved(tmp_path)
    restarted = CountingAnalyzer()
    restarted.recall_from(KnownWords(tmp_path))
    assert list(restarted.tokens(TEXT)) == list(original.tokens(TEXT))
    assert restarted.content_terms("كازاخستان") == original.content_terms("كازاخستان")
    # Only the stopwords, which are not saved, were analysed again.
    stopwords = {token.surface for token in original.tokens(TEXT) if token.is_stopword}
    assert set(restarted.analysed) == stopwords == {"إلى", "في", "عام"}


def test_words_not_met_yet_are_saved_again(tmp_path: Path) -> None:
    original = saved(tmp_path)
    restarted = ArabicAnalyzer()
    restarted.recall_from(KnownWords(tmp_path))
    list(restarted.tokens("بوتين"))
    assert dict(restarted.known_words()) == dict(original.known_words())


@pytest.mark.parametrize("content", ["بوتين\tبوتين\n", "بوتين\n", "\xff"])
def test_a_malformed_file_is_an_index_format_error(tmp_path: Path, content: str) -> None:
    (tmp_path / FILE_NAME).write_text(content, encoding="latin-1" if content == "\xff" else "utf-8")
    with pytest.raises(IndexFormatError):
        KnownWords(tmp_path)


def test_a_missing_file_is_an_index_format_error(tmp_path: Path) -> None:
    with pytest.raises(IndexFormatError):
        KnownWords(tmp_path)
