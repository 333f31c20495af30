"""Question words that news articles say differently, searched also in the words articles use.

A reader asks «امتى بوتين راح كازاخستان؟» or «متى ذهب بوتين إلى كازاخستان؟» while the wire report
says «وصل الرئيس الروسي فلاديمير بوتين إلى كازاخستان»: a dialect verb, or an everyday verb of going,
for the verb news reports the event with. No stemmer or root brings these together. A small table
(``retrieval/data/synonyms.tsv``) lists such question words with their news words; a news word
the corpus holds is added to the question word as another spelling, exactly as the Arabic forms
of a Latin name are (``retrieval.aliases``): it is searched, and a sentence holding it holds the
question word. The question word itself is still searched, so nothing is lost when the reader's
word is also the corpus's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType

from retrieval.aliases import Vocabulary
from retrieval.analyzer import ArabicAnalyzer, FieldTerms, Question
from retrieval.normalize import normalize_arabic

# An «ال» after at most one proclitic: the article, or (with a hamza) the start of the word.
_HAMZA_ALEFS = "أإآ"
_ARTICLE_AT = re.compile(rf"^[وفبكل]?[ا{_HAMZA_ALEFS}]ل")
# A conjunction written onto the question word («وراح», «فشاف») does not change it.
_CONJUNCTIONS = ("و", "ف")


def _key(word: str) -> str:
    return normalize_arabic(word.strip())


@dataclass(frozen=True, slots=True)
class SynonymTable:
    """Question words (normalised) -> the words news reports them with, most common first."""

    words: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def bundled(cls) -> SynonymTable:
        """The table shipped with the library (``retrieval/data/synonyms.tsv``), read once."""
        return _bundled()

    @classmethod
    def parse(cls, text: str, *, name: str = "synonyms") -> SynonymTable:
        """A table from ``WORD<TAB>NEWS_WORD[|NEWS_WORD...]`` lines; ``#`` starts a comment line.

        Raises ``ValueError`` naming ``name`` and the line for a line that is not of that form.
        """
        pairs: list[tuple[str, str]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            word, tab, others = line.partition("\t")
            news_words = [other.strip() for other in others.split("|") if other.strip()]
            if (
                not tab
                or len(word.split()) != 1
                or not news_words
                or any(len(w.split()) != 1 for w in news_words)
            ):
                raise ValueError(
                    f"{name}, line {number}: expected WORD<TAB>NEWS_WORD[|NEWS_WORD...], one word each"
                )
            pairs += [(word, news_word) for news_word in news_words]
        return cls().with_synonyms(pairs)

    def with_synonyms(self, pairs: Iterable[tuple[str, str]]) -> SynonymTable:
        """A new table with these ``(question word, news word)`` pairs added after those known."""
        merged = {word: list(others) for word, others in self.words.items()}
        for word, news_word in pairs:
            known = merged.setdefault(_key(word), [])
            if news_word.strip() not in known:
                known.append(news_word.strip())
        return SynonymTable(MappingProxyType({word: tuple(others) for word, others in merged.items()}))

    def lookup(self, surface: str) -> tuple[str, ...]:
        """The news words for the question word ``surface`` (a leading «و»/«ف» ignored), or ()."""
        key = _key(surface)
        found = self.words.get(key)
        if found is None and len(key) > 3 and key.startswith(_CONJUNCTIONS):
            found = self.words.get(key[1:])
        return found or ()


@cache
def _bundled() -> SynonymTable:
    data = resources.files("retrieval") / "data" / "synonyms.tsv"
    return SynonymTable.parse(data.read_text(encoding="utf-8"), name="retrieval/data/synonyms.tsv")


def add_hamza_spellings(question: Question, analyzer: ArabicAnalyzer, vocabulary: Vocabulary) -> Question:
    """``question`` with the other reading of its words that start with «ال», where the corpus holds it.

    The analyzer keeps an «ال» whose alef carries a hamza (ألمانيا، ألقى) and strips it as the
    article otherwise. Readers often skip the hamza («المانيا», «القى») or add a wrong one
    («إلتقى»), while articles are edited: each such question word is also searched as written
    the other way.
    """

    def other_reading(surface: str, word: FieldTerms) -> list[FieldTerms]:
        start = _ARTICLE_AT.match(surface)
        if start is None:
            return []
        alef = start.end() - 2
        other = "ا" if surface[alef] in _HAMZA_ALEFS else "أ"
        terms = analyzer.one_content_word(surface[:alef] + other + surface[alef + 1 :])
        if terms is not None and terms != word and vocabulary.holds_term("word", terms.word):
            return [terms]
        return []

    return _respelled(question, other_reading)


def add_synonyms(
    question: Question, table: SynonymTable, analyzer: ArabicAnalyzer, vocabulary: Vocabulary
) -> Question:
    """``question`` with the news words of its words that the corpus holds, as their other spellings."""

    def news_words(surface: str, word: FieldTerms) -> list[FieldTerms]:
        found = [
            terms
            for news_word in table.lookup(surface)
            if (terms := analyzer.one_content_word(news_word)) is not None
            and terms != word
            and (vocabulary.holds_term("stem", terms.stem) or vocabulary.holds_term("word", terms.word))
        ]
        return list(dict.fromkeys(found))

    return _respelled(question, news_words)


def _respelled(question: Question, spell: Callable[[str, FieldTerms], list[FieldTerms]]) -> Question:
    """``question`` with ``spell(surface, terms)`` added to each word, read as first written."""
    surfaces: dict[FieldTerms, str] = {}
    for token in question.tokens:
        surfaces.setdefault(token.terms, token.surface)
    alternatives = {
        number: found
        for number, word in enumerate(question.words)
        if word in surfaces and (found := spell(surfaces[word], word))
    }
    return question.respelled(alternatives) if alternatives else question
