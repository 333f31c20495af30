"""One Arabic analyzer shared by the index and the query side, and what a question asks for.

Each word yields terms in four fields, because no single form serves every need:

* ``stem``: Snowball Arabic stem of the word with its article/conjunction prefix removed;
  conflates inflections (العلاقات / علاقات).
* ``word``: the normalized surface word without that prefix; precise, and safe for
  foreign names that stemmers mangle (Snowball turns بوتين into وتين).
* ``skeleton``: the word without long vowels after its first letter and with the consonants
  that transliterate one foreign sound folded together, so names spelt differently by
  different outlets meet (بوتين/بوتن -> بتن, إزفستيا/إزفيستيا -> ازفست, توغو/توجو -> تج).
* ``root``: the word's root (``retrieval.morphology``), so derivations meet
  (تصريحات / صرح -> صرح); the coarsest field, weighted lowest.

Question words (MSA and dialect, ``retrieval.interrogatives``) are not content words of a
question: they set its ``QuestionKind``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain, islice
from typing import Final, Generic, NamedTuple, Protocol, TypeVar

import Stemmer

from retrieval.interrogatives import QUESTION_WORDS, QuestionKind, question_kind
from retrieval.morphology import arabic_root
from retrieval.normalize import has_arabic, normalize_arabic
from retrieval.stopwords import ARABIC_STOPWORDS

T = TypeVar("T")


class Fields(NamedTuple, Generic[T]):
    """One value per analysis field: a word's terms, a field's weight, a sentence's BM25 per field."""

    stem: T
    word: T
    skeleton: T
    root: T


FieldTerms = Fields[str]
"""A word's term in each field."""

FIELDS: Final = Fields._fields

# Letters of any script with the Arabic marks (tashkeel, tatweel, ZWNJ) that may sit inside
# a word, or a number with inner separators (27.5, 7,500, ٢٠٢٤). A word is a letter, then runs
# of letters and of marks: the same maximal run as ``[^\W\d_](?:[^\W\d_]|marks)*`` (the classes
# are disjoint), without an alternation tried at every character (~25% faster to scan).
_TOKEN = re.compile(
    r"[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,\u066b\u066c][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
    r"|[^\W\d_]+(?:[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c]+[^\W\d_]*)*"
)
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
# Characters normalization never removes: Arabic letters (not the tatweel), ASCII letters, digits.
_KEPT_CHARACTER = re.compile("[\u0621-\u063f\u0641-\u064aA-Za-z0-9]")
# Proclitic combinations that precede the definite article, longest first.
_ARTICLE_PREFIXES: Final = ("وبال", "وكال", "وال", "بال", "كال", "فال", "لل", "ال")
_SKELETON_DROP = str.maketrans("", "", "اويه")
# Consonants that transliterations of one foreign sound vary between (g: غ ج ق ك, as in توغو/توجو/
# توقو; t: ت ط; s: س ص ث; z: ز ذ ظ; d: د ض; v: ف ڤ; p: ب پ), folded to one letter in the skeleton.
_SKELETON_FOLD = str.maketrans(
    {
        "غ": "ج",
        "ق": "ج",
        "ك": "ج",
        "گ": "ج",
        "چ": "ج",
        "ط": "ت",
        "ص": "س",
        "ث": "س",
        "ذ": "ز",
        "ظ": "ز",
        "ض": "د",
        "ڤ": "ف",
        "پ": "ب",
    }
)
# Distinct surface words whose analysis is remembered. A corpus's frequent words come first,
# so keeping the first ones and analysing rarer words afresh bounds memory in a long-running bot.
_MEMO_LIMIT: Final = 200_000
# Analysed sentences kept for composition (about 50 candidates per question, each read several
# times). A sentence's tokens take ~7 KB: 20,000 of them were ~140 MB of a serving process's memory,
# for sentences rarely asked about again beyond a few dozen questions.
_SENTENCE_MEMO_LIMIT: Final = 2_000


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the input with its offsets and its terms per field."""

    start: int
    end: int
    surface: str
    terms: FieldTerms
    is_stopword: bool
    is_arabic: bool


class _Word(NamedTuple):
    """A surface word's analysis, as the memo keeps it (a named tuple: a build makes one per
    distinct word, and a frozen dataclass's ``__init__`` costs ~2 us more)."""

    terms: FieldTerms
    is_stopword: bool
    is_arabic: bool


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
        """This question with more spellings for some words (keyed by position in ``words``), searched too.

        They come after the spellings the question already has (a Latin name's, then a synonym's).
        """
        known = self.alternatives or tuple(() for _ in self.words)
        per_word = tuple(
            tuple(dict.fromkeys((*known[number], *alternatives.get(number, ()))))
            for number in range(len(self.words))
        )
        every = [*self.words, *(spelling for others in per_word for spelling in others)]
        if not every:
            return self
        terms = Fields(*(tuple(dict.fromkeys(field)) for field in zip(*every, strict=True)))
        return replace(self, alternatives=per_word, terms=terms)


class WordSource(Protocol):
    """Content words analysed elsewhere, each handed over once (the analyzer's memo keeps it)."""

    def take(self, surface: str) -> FieldTerms | None:
        """The terms of ``surface``, or None when the source does not know it."""
        ...

    def remaining(self) -> Iterator[tuple[str, FieldTerms]]:
        """The words not taken yet, with their terms."""
        ...


class ArabicAnalyzer:
    """Normalize, tokenize, drop stopwords and produce per-field terms."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("arabic")
        self._memo: dict[str, _Word | None] = {}
        self._sentences: dict[str, tuple[Token, ...]] = {}
        self._source: WordSource | None = None

    def tokens(self, text: str) -> Iterator[Token]:
        """All words of ``text`` in order, stopwords included (flagged), with offsets into ``text``."""
        memo = self._memo
        for match in _TOKEN.finditer(text):
            surface = match.group()
            try:
                word = memo[surface]
            except KeyError:
                word = self._learn(surface)
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

    def content_words(self, text: str) -> Iterator[tuple[int, FieldTerms]]:
        """Each content word of ``text`` as (its ordinal among :meth:`tokens`, its terms).

        For callers that need neither offsets nor surfaces (the re-ranker's neighbour sentences):
        building a ``Token`` per word costs more than looking the word up.
        """
        memo = self._memo
        ordinal = 0
        for surface in _TOKEN.findall(text):
            try:
                word = memo[surface]
            except KeyError:
                word = self._learn(surface)
            if word is None:
                continue
            if not word.is_stopword:
                yield ordinal, word.terms
            ordinal += 1

    def stopwords(self, text: str) -> Iterator[FieldTerms]:
        """The terms of the stopwords of ``text`` in order (the words :meth:`tokens` flags as such).

        A word met for the first time is only normalized: a stopword is known by its normalized
        form, and analysing a content word (stem, root) is not needed to tell it is not one.
        """
        memo = self._memo
        for surface in _TOKEN.findall(text):
            word = memo.get(surface)
            if word is None:
                if surface in memo or normalize_arabic(surface) not in ARABIC_STOPWORDS:
                    continue
                word = self._learn(surface)
            if word is not None and word.is_stopword:
                yield word.terms

    def word_spans(self, text: str, count: int | None = None) -> list[tuple[int, int]]:
        """The offsets of the words :meth:`tokens` yields (stopwords included), without analysing them;
        with ``count``, of the first ``count`` only (the text after them is not scanned).

        A word unknown to the memo is only normalized: it is left out exactly when it normalizes
        away, as :meth:`tokens` leaves it out.
        """
        memo = self._memo
        spans: list[tuple[int, int]] = []
        if count is not None and count <= 0:
            return spans
        for match in _TOKEN.finditer(text):
            surface = match.group()
            word = memo.get(surface)
            if word is None and (surface in memo or not _is_word(surface)):
                continue
            spans.append(match.span())
            if len(spans) == count:
                break
        return spans

    def words(self, text: str) -> list[str]:
        """The surface words of ``text`` in order (what :meth:`tokens` analyses), without offsets."""
        return _TOKEN.findall(text)

    def content_terms(self, surface: str) -> FieldTerms | None:
        """A surface word's terms per field, or None for a stopword or a word that normalizes away."""
        word = self._memo[surface] if surface in self._memo else self._learn(surface)
        return None if word is None or word.is_stopword else word.terms

    def content_terms_unkept(self, surface: str) -> FieldTerms | None:
        """:meth:`content_terms` for a word its caller meets only once (a build worker's share of
        a batch's distinct words): found in the memo or the source, else analysed, and not kept
        (keeping it would only take memory)."""
        word = self._memo.get(surface)
        if word is None and surface not in self._memo:
            word = self._recall(surface)
        return None if word is None or word.is_stopword else word.terms

    def _learn(self, surface: str) -> _Word | None:
        """A word not in the memo: recalled or analysed, then kept while the memo has room."""
        word = self._recall(surface)
        if len(self._memo) < _MEMO_LIMIT:
            self._memo[surface] = word
        return word

    def remember(self, surface: str, terms: FieldTerms) -> None:
        """Take a content word's analysis made elsewhere (a build's worker process) into the memo,
        so questions about the corpus do not analyse its words again in this process."""
        if surface not in self._memo and len(self._memo) < _MEMO_LIMIT:
            self._memo[surface] = _content_word(surface, terms)

    def recall_from(self, source: WordSource) -> None:
        """Take words analysed by an earlier process (saved with an index) from ``source`` when
        they are first met, instead of analysing them again."""
        self._source = source

    def known_words(self) -> Iterator[tuple[str, FieldTerms]]:
        """The content words analysed or remembered so far with their terms, first met first, then
        those a source still holds (at most the memo's limit); saved with an index, so that a
        restarted process need not analyse the corpus words again."""
        known = (
            (surface, word.terms)
            for surface, word in self._memo.items()
            if word is not None and not word.is_stopword
        )
        held = () if self._source is None else self._source.remaining()
        return islice(chain(known, held), _MEMO_LIMIT)

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
        per_field: Fields[list[str]] = Fields([], [], [], [])
        for token in self.tokens(text):
            if token.is_stopword:
                continue
            for terms, term in zip(per_field, token.terms, strict=True):
                terms.append(term)
        return per_field

    def one_content_word(self, text: str) -> FieldTerms | None:
        """The terms of ``text`` when it is exactly one content word, else None."""
        words = [token.terms for token in self.tokens(text) if not token.is_stopword]
        return words[0] if len(words) == 1 else None

    def analyze_question(self, text: str) -> Question:
        """The question's content words and what it asks for."""
        # Interrogatives and fillers say what kind of answer is wanted, not what it is about.
        tokens = tuple(
            token
            for token in self.tokens(text)
            if not token.is_stopword and token.terms.word not in QUESTION_WORDS
        )
        words = tuple(dict.fromkeys(token.terms for token in tokens))
        return Question(
            text=text,
            tokens=tokens,
            kind=question_kind(text),
            words=words,
            terms=Fields(*(tuple(dict.fromkeys(terms)) for terms in zip(*words, strict=True)))
            if words
            else Fields((), (), (), ()),
        )

    def _recall(self, surface: str) -> _Word | None:
        terms = None if self._source is None else self._source.take(surface)
        if terms is None:
            return self._analyze_word(surface)
        return _content_word(surface, terms)

    def _analyze_word(self, surface: str) -> _Word | None:
        normalized = normalize_arabic(surface)
        if not normalized:
            return None
        bare = _strip_article(normalized, surface)
        # A hamza on an initial alef says the «ال» is the word's own (ألمانيا، ألقى), which
        # Snowball and ISRI also read that from the hamza: they get the word with it.
        own = bare.startswith("ال") and _hamza_alef_at(surface, len(normalized) - len(bare))
        written = "أ" + bare[1:] if own else bare
        return _Word(
            # ``Fields``, not ``FieldTerms``: calling the subscripted alias goes through typing (~3 us).
            terms=Fields(
                stem=self._stem(written), word=bare, skeleton=_skeleton(bare), root=arabic_root(written)
            ),
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


def _content_word(surface: str, terms: FieldTerms) -> _Word:
    """A content word whose terms were analysed elsewhere (a build worker, a saved index)."""
    return _Word(terms=terms, is_stopword=False, is_arabic=has_arabic(surface))


def _is_word(surface: str) -> bool:
    """Whether ``surface`` does not normalize away: it holds a plain letter or digit, which
    normalization keeps (the cheap test that settles nearly every word), or it normalizes to something."""
    return _KEPT_CHARACTER.search(surface) is not None or bool(normalize_arabic(surface))


def has_definite_article(surface: str) -> bool:
    """Whether the word is written with the definite article (after its proclitics: «واليابان»،
    «لليابان»), as the analysis strips it; not an «ال» under a hamza («ألمانيا»), which is the word's."""
    word = normalize_arabic(surface)
    bare = _strip_article(word, surface)
    stripped = word[: len(word) - len(bare)]
    return stripped.endswith(("ال", "لل"))  # «لل»: «ل» + «ال», its alef dropped


def _strip_article(word: str, surface: str = "") -> str:
    """``word`` (normalized) without a definite article and the proclitics before it.

    The article's alef never carries a hamza: in «ألمانيا» or «وألقى» (as written in ``surface``)
    the «ال» belongs to the word and is kept.
    """
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            if _hamza_alef_at(surface, len(prefix) - 2):
                return word[len(prefix) - 2 :]
            return word[len(prefix) :]
    return word


def _hamza_alef_at(surface: str, index: int) -> bool:
    """True when the ``index``-th letter of ``surface`` (diacritics skipped) is an alef with a hamza or madda."""
    letters = [char for char in surface if char.isalpha()]
    return 0 <= index < len(letters) and letters[index] in "أإآ"


def _skeleton(word: str) -> str:
    if len(word) <= 2 or not _ARABIC_LETTER.match(word):
        return word
    return (word[0] + word[1:].translate(_SKELETON_DROP)).translate(_SKELETON_FOLD)
