"""The re-ranker's features as they were computed before the index kept each sentence's words.

The shipped model was trained on these values, so the fast path must give them exactly: this is
the reference the tests compare it with. Every sentence is analysed again from its text (its
words, their ordinals, and its answer shape by whole-text regexes over the normalized text), and
each candidate's features come from those string views, one candidate at a time.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Container

import numpy as np

from retrieval.analyzer import Question
from retrieval.features import (
    CANDIDATE_FEATURES,
    FeatureExtractor,
    QuestionWords,
    SentenceShape,
    SentenceView,
    SentenceWords,
    _answer_shape,
    _holds,
    _sentence_words,
)
from retrieval.normalize import normalize_arabic
from retrieval.search import Candidate, FloatArray, SentenceIndex
from retrieval.sentence_terms import KnownWords


def _any_word(words: str) -> str:
    """A pattern for any of ``words`` (normalized) as a whole word, after an optional proclitic."""
    return r"(?<!\w)[وبلف]?(?:" + "|".join(normalize_arabic(word) for word in words.split()) + r")(?!\w)"


YEAR_OR_MONTH = re.compile(
    r"(?<![0-9])[12][0-9]{3}(?![0-9])|"
    + _any_word(
        "يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
        "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين القرن عام العام سنة"
    )
)
NUMBER = re.compile(
    r"[0-9]|"
    + _any_word(
        "اثنان اثنين ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثمان ثمانية تسع تسعة عشر عشرة "
        "عشرون عشرين مائة مئة ألف آلاف مليون ملايين مليار نصف ربع ثلث بالمئة بالمائة"
    )
)
CAUSE = re.compile(
    r"(?:^|\s)(?:لان|لانه|لانها|بسبب|نظرا|بهدف|لكي|كي|مما|لذلك|نتيجه|بفضل|اثر|جراء|اجل|سبب|ادي|يعود|بغيه)(?:\s|$)"
)


def reference_shape(text: str) -> SentenceShape:
    normalized = normalize_arabic(text)
    return SentenceShape(
        has_time=YEAR_OR_MONTH.search(normalized) is not None,
        has_number=NUMBER.search(normalized) is not None,
        has_cause=CAUSE.search(normalized) is not None,
    )


def reference_words(index: SentenceIndex, position: int) -> SentenceWords:
    text = index.sentence(position).text
    pairs = list(index.analyzer.content_words(text))
    return _sentence_words([terms for _, terms in pairs], [ordinal for ordinal, _ in pairs])


def reference_view(index: SentenceIndex, position: int) -> SentenceView:
    words = reference_words(index, position)
    text = index.sentence(position).text
    return SentenceView(words.terms, words.positions, words.field_sets, len(text), *reference_shape(text))


class ReferenceExtractor(FeatureExtractor):
    """``FeatureExtractor`` reading every sentence from its text, one candidate at a time."""

    def _words(self, position: int) -> SentenceWords:
        return reference_words(self._index, position)

    def _shape(self, position: int, text: str) -> SentenceShape:
        return reference_shape(text)

    def candidates(self, words: QuestionWords, query: Question, hits: list[Candidate]) -> FloatArray:
        rows = np.zeros((len(hits), len(CANDIDATE_FEATURES)), dtype=np.float64)
        if not hits:
            return rows
        weights = self._index.weights
        best = max(hit.score - hit.article_bonus for hit in hits) or 1.0
        best_stem = max(hit.bm25.stem for hit in hits) or 1.0
        best_word = max(hit.bm25.word for hit in hits) or 1.0
        top_owner = self._index.article_of(hits[0].position)
        for row, (rank, hit) in zip(rows, enumerate(hits), strict=True):
            view = self.sentence_view(hit.position, hit)
            strong, any_field, count, rarest, proximity = _match(words, view)
            owner = self._index.article_of(hit.position)
            title = _match(words, self.title_view(owner))[0]
            first = self._index.sentences_of(owner).start
            stop = self._index.sentences_of(owner).stop
            window = [view.field_sets] + [
                self.sentence_view(p).field_sets
                for p in (hit.position - 1, hit.position + 1)
                if first <= p < stop
            ]
            window_coverage = _strong_coverage(words, window)
            other = sum(1 for terms in view.terms if terms[0] not in words.stems)
            fields = [score / words.total for score in hit.bm25]
            kind_holds, kind_lacks = _answer_shape(query.kind, view_shape(view))
            row[:] = (
                (hit.score - hit.article_bonus) / best,
                *fields,
                hit.article_prior / weights.article if weights.article else 0.0,
                hit.neighbour / weights.neighbour if weights.neighbour else 0.0,
                strong,
                any_field,
                count / words.count,
                rarest,
                proximity,
                kind_holds,
                kind_lacks,
                math.log1p(other),
                math.log1p(view.chars) / 6.0,
                math.log1p(rank),
                title,
                float(hit.position == first),
                float(owner == top_owner),
                window_coverage,
                hit.bm25.stem / best_stem,
                hit.bm25.word / best_word,
                _bigrams(words, view),
            )
        return rows

    def _title_terms(self, article_number: int) -> Container[str]:
        """``FeatureExtractor._title_terms`` from the title's terms as strings."""
        title = self.title_view(article_number)
        return frozenset(terms[0] for terms in title.terms) | {terms[1] for terms in title.terms}

    def _held(self, words: QuestionWords, hit: Candidate, known: KnownWords | None) -> list[bool]:
        """``FeatureExtractor._held`` from the sentence's terms as strings."""
        return words.held(self.sentence_view(hit.position, hit))


def view_shape(view: SentenceView) -> SentenceShape:
    return SentenceShape(view.has_time, view.has_number, view.has_cause)


def _strong_coverage(words: QuestionWords, sentences: list[tuple[frozenset[str], ...]]) -> float:
    """IDF share of the question's words held as a stem or word by any of ``sentences``."""
    held = 0.0
    for forms, weight in zip(words.spellings, words.weights, strict=True):
        if any(_holds(forms, sets)[0] for sets in sentences):
            held += weight
    return held / words.total


def _match(words: QuestionWords, view: SentenceWords) -> tuple[float, float, int, float, float]:
    """Strong and any-field coverage, matched count, rarest held, proximity."""
    field_sets = view.field_sets if view.terms else ()
    strong = any_field = 0.0
    count = 0
    rarest = 0.0
    held: dict[int, int] = {}  # question word -> its id, for the words the sentence holds
    for number, (forms, weight) in enumerate(zip(words.spellings, words.weights, strict=True)):
        if not field_sets:
            break
        is_strong, is_any = _holds(forms, field_sets)
        if is_strong:
            strong += weight
            if number == words.rarest:
                rarest = 1.0
        if is_any:
            any_field += weight
            count += 1
            held[number] = number
    proximity = _proximity(words, view, held) if len(held) > 1 else 0.0
    return strong / words.total, any_field / words.total, count, rarest, proximity


def _bigrams(words: QuestionWords, view: SentenceWords) -> float:
    """Weighted share of the question's adjacent word pairs that the sentence holds adjacent."""
    if len(words.terms) < 2:
        return 0.0
    pairs = frozenset((a[0], b[0]) for a, b in itertools.pairwise(view.terms))
    held = total = 0.0
    for (a, wa), (b, wb) in zip(
        zip(words.order, words.order_weights, strict=True),
        zip(words.order[1:], words.order_weights[1:], strict=True),
        strict=False,
    ):
        weight = min(wa, wb)
        total += weight
        if (a, b) in pairs:
            held += weight
    return held / total if total else 0.0


def _proximity(words: QuestionWords, view: SentenceWords, held: dict[int, int]) -> float:
    by_stem = {words.terms[n][0]: n for n in held}
    by_word = {words.terms[n][1]: n for n in held}
    sequence: list[tuple[int, int]] = []  # (position, question word)
    for terms, position in zip(view.terms, view.positions, strict=True):
        number = by_stem.get(terms[0], by_word.get(terms[1], -1))
        if number >= 0:
            sequence.append((position, number))
    total = 0.0
    for (p1, n1), (p2, n2) in itertools.pairwise(sequence):
        if n1 != n2:
            total += min(words.weights[n1], words.weights[n2]) / float(p2 - p1) ** 2
    return total / words.total
