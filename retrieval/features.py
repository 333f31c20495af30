"""Signals about a question's top candidates, for the re-ranker and the abstention model.

Computed only over the few candidates the search returns (a sentence's terms are analysed
once and cached), so their cost does not grow with the corpus. Every feature is scale-free:
BM25 scores are divided by the question's total IDF weight (about the most a sentence holding
each question word once can score), so one model serves corpora of any size.

Candidate features (one row per candidate, ``CANDIDATE_FEATURES`` order):

* the search's signals: fused score relative to the best, per-field BM25 over the question's
  weight, article and neighbour scores;
* coverage: the IDF-weighted share of the question's words the sentence holds as a stem or
  word (``strong``) or in any field, and whether the rarest question word is held;
* proximity: held question words close together (a BM25TP-style sum over adjacent pairs of
  ``min(weight) / distance**2``, Rasolofo & Savoy 2003), over the question's weight;
* answer shape: the question asks for a time or number and the sentence holds one (or not), or
  asks why and the sentence gives a cause; how much the sentence says beyond the question.

Question features (one row per question, ``QUESTION_FEATURES`` order) describe the best
candidate after re-ranking and the competition behind it: what the abstention model needs.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np

from retrieval.analyzer import FIELDS, FieldTerms, Question
from retrieval.confidence import CONTEXT_FEATURES, context_features
from retrieval.interrogatives import QuestionKind
from retrieval.normalize import normalize_arabic
from retrieval.search import Candidate, FloatArray, SentenceIndex

CANDIDATE_FEATURES: Final = (
    "fused",
    "stem",
    "word",
    "skeleton",
    "root",
    "article",
    "neighbour",
    "coverage_strong",
    "coverage_any",
    "matched_share",
    "rarest_matched",
    "proximity",
    "kind_holds",
    "kind_lacks",
    "other_words",
    "length",
    "rank",
    "title_coverage",
    "first_in_article",
    "top_article",
    "window_coverage",
    "stem_relative",
    "word_relative",
    "bigrams",
)
QUESTION_FEATURES: Final = (
    "top_score",
    "coverage_strong",
    "coverage_any",
    "rarest_matched",
    "stem",
    "word",
    "fields_matched",
    "gap_to_other_article",
    "best_coverage",
    "unknown_share",
    "question_words",
    "specific_coverage",
    "missing_weight",
    "rare_coverage",
    "matched_share",
    *CONTEXT_FEATURES,
)


def _any_word(words: str) -> str:
    """A pattern for any of ``words`` (normalized) as a whole word, after an optional proclitic."""
    return r"(?<!\w)[وبلف]?(?:" + "|".join(normalize_arabic(word) for word in words.split()) + r")(?!\w)"


_YEAR_OR_MONTH = re.compile(
    r"(?<![0-9])[12][0-9]{3}(?![0-9])|"
    + _any_word(
        "يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
        "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين القرن عام العام سنة"
    )
)
_NUMBER = re.compile(
    r"[0-9]|"
    + _any_word(
        "اثنان اثنين ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثمان ثمانية تسع تسعة عشر عشرة "
        "عشرون عشرين مائة مئة ألف آلاف مليون ملايين مليار نصف ربع ثلث بالمئة بالمائة"
    )
)
_CAUSE = re.compile(
    r"(?:^|\s)(?:لان|لانه|لانها|بسبب|نظرا|بهدف|لكي|كي|مما|لذلك|نتيجه|بفضل|اثر|جراء|اجل|سبب|ادي|يعود|بغيه)(?:\s|$)"
)
_CACHE_SIZE: Final = 50_000


@dataclass(frozen=True, slots=True)
class SentenceView:
    """What the features need of a sentence, computed once: its content terms and its shape."""

    terms: tuple[tuple[str, ...], ...]  # per content word, its terms per field
    positions: tuple[int, ...]  # each content word's ordinal among all the sentence's words
    field_sets: tuple[frozenset[str], ...]  # per field, the terms present
    stem_pairs: frozenset[tuple[str, str]]  # adjacent content words' stems
    chars: int
    has_time: bool
    has_number: bool
    has_cause: bool


class FeatureExtractor:
    """Features of a question's candidates over one ``SentenceIndex``; caches sentence analyses."""

    def __init__(self, index: SentenceIndex, *, cache_size: int = _CACHE_SIZE) -> None:
        self._index = index
        self._cache: OrderedDict[int, SentenceView] = OrderedDict()
        self._cache_size = cache_size
        self._titles: dict[int, SentenceView] = {}

    def sentence_view(self, position: int, candidate: Candidate | None = None) -> SentenceView:
        """The view of the sentence at ``position``; a ``candidate`` for it lends its words on a cache miss."""
        view = self._cache.get(position)
        if view is not None:
            self._cache.move_to_end(position)
            return view
        text = self._index.sentence(position).text
        words = (
            self._index.analyzer.content_words(text)
            if candidate is None
            else (
                (ordinal, token.terms)
                for ordinal, token in enumerate(candidate.tokens)
                if not token.is_stopword
            )
        )
        view = _view(text, words)
        self._cache[position] = view
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return view

    def title_view(self, article_number: int) -> SentenceView:
        view = self._titles.get(article_number)
        if view is None:
            title = self._index.numbered[article_number].title
            view = _view(title, self._index.analyzer.content_words(title))
            self._titles[article_number] = view
        return view

    def question_words(self, query: Question, *, excluded_article: int | None = None) -> QuestionWords:
        """The question's content words and weights; ``excluded_article`` as if never indexed."""
        excluded: list[SentenceView] = []
        if excluded_article is not None:
            excluded = [self.sentence_view(p) for p in self._index.sentences_of(excluded_article)]
        return QuestionWords.of(self._index, query, excluded)

    def candidates(self, words: QuestionWords, query: Question, hits: list[Candidate]) -> FloatArray:
        """One row of ``CANDIDATE_FEATURES`` per candidate, in the candidates' order."""
        rows = np.zeros((len(hits), len(CANDIDATE_FEATURES)), dtype=np.float64)
        if not hits:
            return rows
        weights = self._index.weights
        # The caller's per-article bonus (recency) is left out: the engine adds it after the model.
        best = max(hit.score - hit.article_bonus for hit in hits) or 1.0
        best_stem = max(hit.bm25.stem for hit in hits) or 1.0
        best_word = max(hit.bm25.word for hit in hits) or 1.0
        top_owner = self._index.article_of(hits[0].position)
        for row, (rank, hit) in zip(rows, enumerate(hits), strict=True):
            view = self.sentence_view(hit.position, hit)
            strong, any_field, count, rarest, proximity = words.match(view)
            owner = self._index.article_of(hit.position)
            title = words.match(self.title_view(owner))[0]
            first = self._index.sentences_of(owner).start
            stop = self._index.sentences_of(owner).stop
            window = [view.field_sets] + [
                self.sentence_view(p).field_sets
                for p in (hit.position - 1, hit.position + 1)
                if first <= p < stop
            ]
            window_coverage = words.strong_coverage(window)
            other = sum(1 for terms in view.terms if terms[0] not in words.stems)
            fields = [score / words.total for score in hit.bm25]
            kind_holds, kind_lacks = _answer_shape(query.kind, view)
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
                words.bigrams(view),
            )
        return rows

    def question(
        self, words: QuestionWords, hits: list[Candidate], features: FloatArray, scores: FloatArray
    ) -> FloatArray:
        """``QUESTION_FEATURES`` of a question whose candidates the re-ranker scored ``scores``."""
        row = np.zeros(len(QUESTION_FEATURES), dtype=np.float64)
        row[9] = words.unknown_share
        row[10] = math.log1p(words.count)
        if not hits:
            return row
        top = int(np.argmax(scores))
        owner = self._index.article_of(hits[top].position)
        others = [
            s for hit, s in zip(hits, scores, strict=True) if self._index.article_of(hit.position) != owner
        ]
        column = CANDIDATE_FEATURES.index
        best = features[top]
        row[0] = scores[top]
        row[1] = best[column("coverage_strong")]
        row[2] = best[column("coverage_any")]
        row[3] = best[column("rarest_matched")]
        row[4] = best[column("stem")]
        row[5] = best[column("word")]
        row[6] = sum(1 for score in hits[top].bm25 if score > 0.0) / len(FIELDS)
        row[7] = scores[top] - max(others) if others else 1.0
        row[8] = float(features[:, column("coverage_strong")].max())
        # Words of the article's title name its topic, which sibling articles share: what is
        # left is what the question asks about that topic, and it must be held.
        view = self.sentence_view(hits[top].position, hits[top])
        title = self.title_view(owner)
        title_terms = frozenset(terms[0] for terms in title.terms) | {terms[1] for terms in title.terms}
        held = words.held(view)
        specific = [
            (weight, is_held)
            for terms, weight, is_held in zip(words.terms, words.weights, held, strict=True)
            if terms[0] not in title_terms and terms[1] not in title_terms
        ]
        specific_total = sum(weight for weight, _ in specific)
        row[11] = (
            sum(weight for weight, is_held in specific if is_held) / specific_total if specific_total else 1.0
        )
        missing = [weight for weight, is_held in zip(words.weights, held, strict=True) if not is_held]
        row[12] = max(missing, default=0.0) / max(words.weights, default=1.0)
        squares = sum(weight**2 for weight in words.weights) or 1.0
        row[13] = (
            sum(weight**2 for weight, is_held in zip(words.weights, held, strict=True) if is_held) / squares
        )
        row[14] = best[column("matched_share")]
        row[15:] = context_features(self, self._index, words, hits, scores, title_terms)
        return row


@dataclass(frozen=True, slots=True)
class QuestionWords:
    """The question's distinct content words with their weights, matched against sentences."""

    terms: tuple[tuple[str, ...], ...]
    # Per word, its terms and those of its other spellings (a Latin name's Arabic forms): a
    # sentence holds the word when it holds any of them.
    spellings: tuple[tuple[tuple[str, ...], ...], ...]
    weights: tuple[float, ...]
    stems: frozenset[str]
    total: float
    count: int
    rarest: int
    unknown_share: float
    order: tuple[str, ...]  # the question's content stems in question order, repeats kept
    order_weights: tuple[float, ...]

    @classmethod
    def of(cls, index: SentenceIndex, query: Question, excluded: list[SentenceView]) -> QuestionWords:
        distinct = {token.terms: token for token in query.tokens}
        terms = tuple(distinct)
        others = {spelling[0]: spelling for spelling in query.spellings()}
        spellings = tuple(others.get(word, (word,)) for word in terms)
        weights_list: list[float] = []
        # Weight of the words unknown in every field, counted as the rarest word a corpus can
        # hold (one sentence): the crux of the question, not a paraphrase of a corpus word.
        n = index.sentence_count
        rarest_weight = max(math.log((n - 0.5) / 1.5), 1.0)
        unknown = known = 0.0
        for token, forms in zip(distinct.values(), spellings, strict=True):
            weight = index.term_weight(token.terms, excluded_sentences=_left_out(excluded, token.terms)[0])
            known_forms = [form for form in forms if _known(index, form, _left_out(excluded, form))]
            if known_forms and token.terms not in known_forms:  # known by another spelling only
                weight = max(index.term_weight(form) for form in known_forms)
            weights_list.append(weight)
            if known_forms:
                known += weight
            else:
                unknown += rarest_weight
        weights = tuple(weights_list)
        total = sum(weights) or 1.0
        return cls(
            terms=terms,
            spellings=spellings,
            weights=weights,
            stems=frozenset(t[0] for t in terms),
            total=total,
            count=max(1, len(terms)),
            rarest=max(range(len(weights)), key=weights.__getitem__) if weights else -1,
            unknown_share=unknown / (unknown + known) if unknown else 0.0,
            order=tuple(token.terms.stem for token in query.tokens),
            order_weights=tuple(weights[terms.index(token.terms)] for token in query.tokens),
        )

    def strong_coverage(self, sentences: list[tuple[frozenset[str], ...]]) -> float:
        """IDF share of the question's words held as a stem or word by any of ``sentences``."""
        held = 0.0
        for forms, weight in zip(self.spellings, self.weights, strict=True):
            if any(_holds(forms, sets)[0] for sets in sentences):
                held += weight
        return held / self.total

    def match(self, view: SentenceView) -> tuple[float, float, int, float, float]:
        """Strong and any-field coverage, matched count, rarest held, proximity."""
        field_sets = view.field_sets if view.terms else ()
        strong = any_field = 0.0
        count = 0
        rarest = 0.0
        held: dict[int, int] = {}  # question word -> its id, for the words the sentence holds
        for number, (forms, weight) in enumerate(zip(self.spellings, self.weights, strict=True)):
            if not field_sets:
                break
            is_strong, is_any = _holds(forms, field_sets)
            if is_strong:
                strong += weight
                if number == self.rarest:
                    rarest = 1.0
            if is_any:
                any_field += weight
                count += 1
                held[number] = number
        proximity = self._proximity(view, held) if len(held) > 1 else 0.0
        return strong / self.total, any_field / self.total, count, rarest, proximity

    def held(self, view: SentenceView) -> list[bool]:
        """Per question word, whether the sentence holds it in any field."""
        return self.held_in(view.field_sets)

    def held_in(self, field_sets: tuple[frozenset[str], ...]) -> list[bool]:
        """Per question word, whether terms ``field_sets`` (per field) hold it in any field."""
        return [_holds(forms, field_sets)[1] for forms in self.spellings]

    def bigrams(self, view: SentenceView) -> float:
        """Weighted share of the question's adjacent word pairs that the sentence holds adjacent."""
        if len(self.terms) < 2:
            return 0.0
        pairs = view.stem_pairs
        held = total = 0.0
        for (a, wa), (b, wb) in zip(
            zip(self.order, self.order_weights, strict=True),
            zip(self.order[1:], self.order_weights[1:], strict=True),
            strict=False,
        ):
            weight = min(wa, wb)
            total += weight
            if (a, b) in pairs:
                held += weight
        return held / total if total else 0.0

    def _proximity(self, view: SentenceView, held: dict[int, int]) -> float:
        by_stem = {self.terms[n][0]: n for n in held}
        by_word = {self.terms[n][1]: n for n in held}
        sequence: list[tuple[int, int]] = []  # (position, question word)
        for terms, position in zip(view.terms, view.positions, strict=True):
            number = by_stem.get(terms[0], by_word.get(terms[1], -1))
            if number >= 0:
                sequence.append((position, number))
        total = 0.0
        for (p1, n1), (p2, n2) in itertools.pairwise(sequence):
            if n1 != n2:
                total += min(self.weights[n1], self.weights[n2]) / float(p2 - p1) ** 2
        return total / self.total


def _view(text: str, words: Iterable[tuple[int, FieldTerms]]) -> SentenceView:
    """The view of ``text`` given its content words as (ordinal among all its words, terms)."""
    terms: list[tuple[str, ...]] = []
    positions: list[int] = []
    for ordinal, word_terms in words:
        terms.append(word_terms)
        positions.append(ordinal)
    normalised = normalize_arabic(text)
    return SentenceView(
        terms=tuple(terms),
        positions=tuple(positions),
        field_sets=tuple(frozenset(column) for column in zip(*terms, strict=True))
        if terms
        else tuple(frozenset() for _ in FIELDS),
        stem_pairs=frozenset((a[0], b[0]) for a, b in itertools.pairwise(terms)),
        chars=len(text),
        has_time=_YEAR_OR_MONTH.search(normalised) is not None,
        has_number=_NUMBER.search(normalised) is not None,
        has_cause=_CAUSE.search(normalised) is not None,
    )


def _holds(forms: tuple[tuple[str, ...], ...], field_sets: tuple[frozenset[str], ...]) -> tuple[bool, bool]:
    """Whether sentence terms ``field_sets`` hold one of a word's spellings as a stem or word, and in any field."""
    strong = any(form[0] in field_sets[0] or form[1] in field_sets[1] for form in forms)
    return strong, strong or any(
        term in terms for form in forms for term, terms in zip(form[2:], field_sets[2:], strict=False)
    )


def _left_out(excluded: list[SentenceView], terms: tuple[str, ...]) -> list[int]:
    """Per field, how many sentences of a left-out article hold the word's term."""
    return [sum(1 for view in excluded if term in view.field_sets[f]) for f, term in enumerate(terms)]


def _known(index: SentenceIndex, terms: tuple[str, ...], left_out: list[int]) -> bool:
    """True when a sentence outside the left-out article holds the word in some field."""
    return any(
        index.document_frequency(f, term) > held
        for f, (term, held) in enumerate(zip(terms, left_out, strict=True))
    )


def _answer_shape(kind: QuestionKind, view: SentenceView) -> tuple[float, float]:
    if kind is QuestionKind.TIME:
        holds = view.has_time
    elif kind is QuestionKind.NUMBER:
        holds = view.has_number
    elif kind is QuestionKind.REASON:
        holds = view.has_cause
    else:
        return 0.0, 0.0
    return (1.0, 0.0) if holds else (0.0, 1.0)
