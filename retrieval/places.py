"""Places a question names, and whether the corpus ever mentions them.

A question about a country or a city that no article mentions («من هو رئيس وزراء اليابان؟» asked of
news that never name Japan) cannot be answered from the corpus, however well its other words
(«رئيس»، «وزراء») match: quoting them would answer another question. The learned abstention cannot
see this (ARCD's questions name the places of their own paragraphs), so it is a rule.

The names are Unicode CLDR's Arabic names of countries and territories and of its exemplar cities
(time-zone cities: capitals and large cities), read through Babel, which the project already
depends on: maintained, reviewed names in the forms news use («روسيا»، «الولايات المتحدة»،
«القاهرة»), not a hand-written list. Regions and continents (numeric CLDR codes: «العالم»،
«أوروبا») are left out: they are words, not places a question is about.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from babel import Locale

from retrieval.analyzer import FIELDS, ArabicAnalyzer, FieldTerms, Question, has_definite_article
from retrieval.left_out import IndexedSentences, LeftOut

# The fields in which a sentence mentions a place: the word itself, its stem («اليابانية» holds
# «اليابان»'s stem) or its consonant skeleton (another transliteration: «توجو» for «توغو»). Not
# the root field, which conflates far too much for a name.
_MENTION_FIELDS: Final = tuple(FIELDS.index(name) for name in ("stem", "word", "skeleton"))


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # as CLDR writes it
    words: tuple[FieldTerms, ...]  # its content words, analysed
    definite: tuple[bool, ...]  # per word, whether the name writes it with «ال»


class PlaceNames:
    """Place names, matched against a question's content words."""

    def __init__(self, names: Iterable[str], analyzer: ArabicAnalyzer) -> None:
        by_words: dict[tuple[str, ...], Place] = {}
        for name in names:
            tokens = analyzer.analyze_question(name).tokens
            if tokens:
                place = Place(
                    name,
                    tuple(t.terms for t in tokens),
                    tuple(has_definite_article(t.surface) for t in tokens),
                )
                by_words.setdefault(tuple(w.word for w in place.words), place)
        self._by_words = by_words
        self._longest = max((len(key) for key in by_words), default=0)

    @classmethod
    def cldr(cls, analyzer: ArabicAnalyzer) -> PlaceNames:
        """CLDR's Arabic country, territory and city names (analysed once per analyzer: ~0.1 s)."""
        return _cldr_places(analyzer)

    def __len__(self) -> int:
        return len(self._by_words)

    def named_in(self, question: Question) -> list[Place]:
        """The places the question's content words name, longest name first where they overlap."""
        words = [token.terms.word for token in question.tokens]
        definite = [has_definite_article(token.surface) for token in question.tokens]
        found: list[Place] = []
        start = 0
        while start < len(words):
            for length in range(min(self._longest, len(words) - start), 0, -1):
                place = self._by_words.get(tuple(words[start : start + length]))
                # «مالي» names a country, «المالي» means financial: the article must match too.
                if place is not None and place.definite == tuple(definite[start : start + length]):
                    found.append(place)
                    start += length
                    break
            else:
                start += 1
        return found


def unmentioned(
    places: Sequence[Place], index: IndexedSentences, *, excluded_article: int | None = None
) -> list[str]:
    """The names of ``places`` some word of which no sentence holds (outside ``excluded_article``,
    as if it had never been indexed)."""
    if not places:
        return []
    left_out = LeftOut(index, excluded_article)

    def mentioned(word: FieldTerms) -> bool:
        return any(left_out.holds(f, word[f]) for f in _MENTION_FIELDS)

    return [place.name for place in places if not all(mentioned(word) for word in place.words)]


@lru_cache(maxsize=4)
def _cldr_places(analyzer: ArabicAnalyzer) -> PlaceNames:
    return PlaceNames(_cldr_names(), analyzer)


@cache
def _cldr_names() -> tuple[str, ...]:
    locale = Locale("ar")
    territories = (name for code, name in locale.territories.items() if code.isalpha())
    cities = (zone["city"] for zone in locale.time_zones.values() if zone.get("city"))
    return tuple(sorted({*territories, *cities}))
