"""One Arabic analyzer shared by the index and the query side.

Each word yields terms in four fields, because no single form serves every need:

* ``stem``: Snowball Arabic stem of the word with its article/conjunction prefix removed;
  conflates inflections (العلاقات / علاقات).
* ``word``: the normalised surface word without that prefix; precise, and safe for
  foreign names that stemmers mangle (Snowball turns بوتين into وتين).
* ``skeleton``: the word without long vowels after its first letter and with the consonants
  that transliterate one foreign sound folded together, so names spelt differently by
  different outlets meet (بوتين/بوتن -> بتن, إزفستيا/إزفيستيا -> ازفست, توغو/توجو -> تج).
* ``root``: the word's root (``retrieval.morphology``), so derivations meet
  (تصريحات / صرح -> صرح); the coarsest field, weighted lowest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import Stemmer

from retrieval.morphology import arabic_root
from retrieval.normalize import has_arabic, normalize_arabic
from retrieval.stopwords import ARABIC_STOPWORDS

FIELDS: Final = ("stem", "word", "skeleton", "root")

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


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the input with its offsets and its terms per field."""

    start: int
    end: int
    surface: str
    terms: tuple[str, str, str, str]
    is_stopword: bool
    is_arabic: bool


class ArabicAnalyzer:
    """Normalise, tokenise, drop stopwords and produce per-field terms."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("arabic")

    def tokens(self, text: str) -> Iterator[Token]:
        """All words of ``text`` in order, stopwords included (flagged), with offsets into ``text``."""
        for match in _TOKEN.finditer(text):
            normalised = normalize_arabic(match.group())
            if not normalised:
                continue
            is_stopword = normalised in ARABIC_STOPWORDS
            bare = _strip_article(normalised)
            stem = self._stem(bare)
            yield Token(
                start=match.start(),
                end=match.end(),
                surface=match.group(),
                terms=(stem, bare, _skeleton(bare), arabic_root(bare)),
                is_stopword=is_stopword,
                is_arabic=has_arabic(normalised),
            )

    def field_terms(self, text: str) -> tuple[list[str], ...]:
        """Content terms of ``text`` per field (``FIELDS`` order), stopwords removed."""
        per_field: tuple[list[str], ...] = tuple([] for _ in FIELDS)
        for token in self.tokens(text):
            if token.is_stopword:
                continue
            for terms, term in zip(per_field, token.terms, strict=True):
                terms.append(term)
        return per_field

    def index_terms(self, text: str) -> list[str]:
        """Stem-field terms of ``text``: the main signal, for callers that need one field."""
        return self.field_terms(text)[0]

    def _stem(self, word: str) -> str:
        if not _ARABIC_LETTER.match(word):
            return word
        # Snowball expects the ta marbuta that normalisation folded into ha.
        stem: str = self._stemmer.stemWord(word[:-1] + "ة" if word.endswith("ه") else word)
        stem = normalize_arabic(stem)
        return stem if len(stem) >= 2 else word


def _strip_article(word: str) -> str:
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def _skeleton(word: str) -> str:
    if len(word) <= 2 or not _ARABIC_LETTER.match(word):
        return word
    return (word[0] + word[1:].translate(_SKELETON_DROP)).translate(_SKELETON_FOLD)
