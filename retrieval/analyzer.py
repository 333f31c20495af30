"""One Arabic analyzer shared by the index and the query side, and what a question asks for.

Each word yields terms in three fields, because no single form serves every need:

* ``stem``: Snowball Arabic stem of the word with its article/conjunction prefix removed;
  conflates inflections (العلاقات / علاقات).
* ``word``: the normalized surface word without that prefix; precise, and safe for
  foreign names that stemmers mangle (Snowball turns بوتين into وتين).
* ``skeleton``: the word without long vowels after its first letter, so transliterated
  names spelt differently by different outlets meet (بوتين/بوتن -> بتن,
  إزفستيا/إزفيستيا -> ازفست).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Final, Generic, NamedTuple, TypeVar

import Stemmer

from retrieval.normalize import has_arabic, normalize_arabic
from retrieval.stopwords import ARABIC_STOPWORDS

T = TypeVar("T")


class Fields(NamedTuple, Generic[T]):
    """One value per analysis field: a word's terms, a field's weight, a sentence's BM25 per field."""

    stem: T
    word: T
    skeleton: T


FieldTerms = Fields[str]
"""A word's term in each field."""

FIELDS: Final = Fields._fields

# Letters of any script with the Arabic marks (tashkeel, tatweel, ZWNJ) that may sit inside
# a word, or a number with inner separators (27.5, 7,500, ٢٠٢٤).
_TOKEN = re.compile(
    r"[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,\u066b\u066c][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
    r"|[^\W\d_](?:[^\W\d_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c])*"
)
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
# Proclitic combinations that precede the definite article, longest first.
_ARTICLE_PREFIXES: Final = ("وبال", "وكال", "وال", "بال", "كال", "فال", "لل", "ال")
_SKELETON_DROP = str.maketrans("", "", "اويه")
# Distinct surface words whose analysis is remembered. A corpus's frequent words come first,
# so keeping the first ones and analysing rarer words afresh bounds memory in a long-running bot.
_MEMO_LIMIT: Final = 200_000
# Analysed sentences kept for composition (about 50 candidates per question).
_SENTENCE_MEMO_LIMIT: Final = 20_000


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the input with its offsets and its terms per field."""

    start: int
    end: int
    surface: str
    terms: FieldTerms
    is_stopword: bool
    is_arabic: bool


@dataclass(frozen=True, slots=True)
class _Word:
    terms: FieldTerms
    is_stopword: bool
    is_arabic: bool


class QuestionKind(Enum):
    """What a question asks for, read from its question word."""

    TIME = "time"  # متى، في أي عام / سنة / يوم ...
    NUMBER = "number"  # كم، بكم
    PLACE = "place"  # أين
    PERSON = "person"  # من, when it opens the question
    REASON = "reason"  # لماذا
    OTHER = "other"

    @property
    def wants_number(self) -> bool:
        """True when the answer is likely a number or a date (a sentence holding one is favoured)."""
        return self in (QuestionKind.TIME, QuestionKind.NUMBER)


# On the normalized question. "When" and "how many" count wherever they stand as a word, even
# after another question word ("ما هو ... ومنذ متى"), because the number bonus depends on them.
_ASKS_FOR_TIME = re.compile(r"(?:^|[\s\-])(?:متي|اي (?:عام|سنه|تاريخ|يوم|شهر|قرن))(?:\s|$)")
_ASKS_FOR_NUMBER = re.compile(r"(?:^|[\s\-])(?:كم|بكم)(?:\s|$)")
# "من" is also the preposition "from", so it means "who" only as the first word.
_OPENING_QUESTION_WORDS: Final = {"اين": QuestionKind.PLACE, "من": QuestionKind.PERSON}
_QUESTION_WORDS: Final = {"اين": QuestionKind.PLACE, "لماذا": QuestionKind.REASON}


@dataclass(frozen=True, slots=True)
class Question:
    """An analysed question: its content words, their terms per field, and what it asks for."""

    text: str
    tokens: tuple[Token, ...]  # content words in order, stopwords removed
    kind: QuestionKind
    # Each distinct word once, in order: a question repeats a word only by accident, and a
    # repeated word would count twice in BM25.
    words: tuple[FieldTerms, ...]
    terms: Fields[tuple[str, ...]]  # distinct terms per field, in order, other spellings included
    # Per word of ``words``, other spellings the corpus uses for it (the Arabic forms of a Latin
    # name); empty when none was looked up. A passage holds a word when it holds any spelling.
    alternatives: tuple[tuple[FieldTerms, ...], ...] = ()

    @property
    def has_arabic(self) -> bool:
        return any(token.is_arabic for token in self.tokens)

    def spellings(self) -> tuple[tuple[FieldTerms, ...], ...]:
        """Each word of ``words`` followed by its other spellings."""
        if not self.alternatives:
            return tuple((word,) for word in self.words)
        return tuple((word, *others) for word, others in zip(self.words, self.alternatives, strict=True))

    def respelled(self, alternatives: Mapping[int, Sequence[FieldTerms]]) -> Question:
        """This question with other spellings for some words (keyed by position in ``words``), searched too."""
        per_word = tuple(tuple(alternatives.get(number, ())) for number in range(len(self.words)))
        every = [*self.words, *(spelling for others in per_word for spelling in others)]
        if not every:
            return self
        terms = Fields(*(tuple(dict.fromkeys(field)) for field in zip(*every, strict=True)))
        return replace(self, alternatives=per_word, terms=terms)


class ArabicAnalyzer:
    """Normalize, tokenize, drop stopwords and produce per-field terms."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("arabic")
        self._memo: dict[str, _Word | None] = {}
        self._sentences: dict[str, tuple[Token, ...]] = {}

    def tokens(self, text: str) -> Iterator[Token]:
        """All words of ``text`` in order, stopwords included (flagged), with offsets into ``text``."""
        memo = self._memo
        for match in _TOKEN.finditer(text):
            surface = match.group()
            try:
                word = memo[surface]
            except KeyError:
                word = self._analyze_word(surface)
                if len(memo) < _MEMO_LIMIT:
                    memo[surface] = word
            if word is None:
                continue
            yield Token(
                start=match.start(),
                end=match.end(),
                surface=surface,
                terms=word.terms,
                is_stopword=word.is_stopword,
                is_arabic=word.is_arabic,
            )

    def words(self, text: str) -> list[str]:
        """The surface words of ``text`` in order (what :meth:`tokens` analyses), without offsets."""
        return _TOKEN.findall(text)

    def content_terms(self, surface: str) -> FieldTerms | None:
        """A surface word's terms per field, or None for a stopword or a word that normalizes away."""
        word = self._memo.get(surface)
        if word is None and surface not in self._memo:
            word = self._analyze_word(surface)
            if len(self._memo) < _MEMO_LIMIT:
                self._memo[surface] = word
        return None if word is None or word.is_stopword else word.terms

    def sentence_tokens(self, text: str) -> tuple[Token, ...]:
        """``tuple(self.tokens(text))``, remembered for recently asked sentences.

        Composition reads a candidate's words several times (coverage, same fact, highlights);
        this analyses each candidate once, and a sentence quoted again is not analysed again.
        """
        try:
            return self._sentences[text]
        except KeyError:
            pass
        if len(self._sentences) >= _SENTENCE_MEMO_LIMIT:
            self._sentences.clear()  # cheap bound; the next questions refill it
        tokens = tuple(self.tokens(text))
        self._sentences[text] = tokens
        return tokens

    def field_terms(self, text: str) -> Fields[list[str]]:
        """Content terms of ``text`` per field, stopwords removed."""
        stems: list[str] = []
        words: list[str] = []
        skeletons: list[str] = []
        for token in self.tokens(text):
            if token.is_stopword:
                continue
            stems.append(token.terms.stem)
            words.append(token.terms.word)
            skeletons.append(token.terms.skeleton)
        return Fields(stem=stems, word=words, skeleton=skeletons)

    def analyze_question(self, text: str) -> Question:
        """The question's content words and what it asks for."""
        tokens = tuple(token for token in self.tokens(text) if not token.is_stopword)
        words = tuple(dict.fromkeys(token.terms for token in tokens))
        return Question(
            text=text,
            tokens=tokens,
            kind=question_kind(text),
            words=words,
            terms=Fields(*(tuple(dict.fromkeys(terms)) for terms in zip(*words, strict=True)))
            if words
            else Fields((), (), ()),
        )

    def _analyze_word(self, surface: str) -> _Word | None:
        normalized = normalize_arabic(surface)
        if not normalized:
            return None
        bare = _strip_article(normalized)
        return _Word(
            terms=FieldTerms(stem=self._stem(bare), word=bare, skeleton=_skeleton(bare)),
            is_stopword=normalized in ARABIC_STOPWORDS,
            is_arabic=has_arabic(normalized),
        )

    def _stem(self, word: str) -> str:
        if not _ARABIC_LETTER.match(word):
            return word
        # Snowball expects the ta marbuta that normalization folded into ha.
        stem: str = self._stemmer.stemWord(word[:-1] + "ة" if word.endswith("ه") else word)
        stem = normalize_arabic(stem)
        return stem if len(stem) >= 2 else word


def question_kind(text: str) -> QuestionKind:
    """What ``text`` asks for: a time or a number wherever its word stands, else by its question word."""
    normalized = normalize_arabic(text)
    found = [
        (match.start(), kind)
        for pattern, kind in ((_ASKS_FOR_TIME, QuestionKind.TIME), (_ASKS_FOR_NUMBER, QuestionKind.NUMBER))
        if (match := pattern.search(normalized)) is not None
    ]
    if found:
        return min(found, key=lambda start_kind: start_kind[0])[1]
    words = re.findall(r"\w+", normalized)
    if words and words[0] in _OPENING_QUESTION_WORDS:
        return _OPENING_QUESTION_WORDS[words[0]]
    for word in words:
        if word in _QUESTION_WORDS:
            return _QUESTION_WORDS[word]
    return QuestionKind.OTHER


def _strip_article(word: str) -> str:
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def _skeleton(word: str) -> str:
    if len(word) <= 2 or not _ARABIC_LETTER.match(word):
        return word
    return word[0] + word[1:].translate(_SKELETON_DROP)
