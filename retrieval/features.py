"""Signals about a question's top candidates, for the re-ranker and the abstention model.

Computed only over the few candidates the search returns, from the words the index kept for each
sentence when it was built (``SentenceIndex.content_words``): no sentence is analysed again per
question, and the cost does not grow with the corpus. Every feature is scale-free:
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

import math
import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from retrieval.analyzer import FIELDS, Question
from retrieval.confidence import CONTEXT_FEATURES, context_features
from retrieval.interrogatives import QuestionKind
from retrieval.left_out import LeftOut
from retrieval.normalize import normalize_arabic
from retrieval.search import Candidate, FloatArray, IntArray, SentenceIndex
from retrieval.sentence_terms import GatheredWords, KnownWords, sentence_ids

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


def _with_proclitics(words: str) -> frozenset[str]:
    """``words`` (normalized), each also after a proclitic و ب ل ف."""
    bare = {normalize_arabic(word) for word in words.split()}
    return frozenset(bare | {proclitic + word for proclitic in "وبلف" for word in bare})


# A sentence holds one of these words when one of its runs of word characters (``\w+``) is one:
# what the whole-word patterns ``(?<!\w)[وبلف]?(?:...)(?!\w)`` over the normalized text found
# (the tests keep them as the reference), with one regex scan and set look-ups instead of an
# alternation tried at every character.
_TIME_WORDS = _with_proclitics(
    "يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
    "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين القرن عام العام سنة"
)
_NUMBER_WORDS = _with_proclitics(
    "اثنان اثنين ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثمان ثمانية تسع تسعة عشر عشرة "
    "عشرون عشرين مائة مئة ألف آلاف مليون ملايين مليار نصف ربع ثلث بالمئة بالمائة"
)
# Whole whitespace-separated words of the normalized text.
_CAUSE_WORDS = frozenset(
    [
        "لان",
        "لانه",
        "لانها",
        "بسبب",
        "نظرا",
        "بهدف",
        "لكي",
        "كي",
        "مما",
        "لذلك",
        "نتيجه",
        "بفضل",
        "اثر",
        "جراء",
        "اجل",
        "سبب",
        "ادي",
        "يعود",
        "بغيه",
    ]
)
_YEAR = re.compile(r"(?<![0-9])[12][0-9]{3}(?![0-9])")
_DIGIT = re.compile(r"[0-9]")
_WORD_RUN = re.compile(r"\w+")
# Sentences whose answer shape is remembered (a byte each, and a question reads about thirty).
_SHAPE_MEMO_LIMIT: Final = 200_000
# Articles whose title's words are remembered (every candidate reads its article's title; a few KB each).
_TITLE_MEMO_LIMIT: Final = 10_000


class SentenceShape(NamedTuple):
    """What kind of answer a sentence can give: a time, a number, a cause."""

    has_time: bool
    has_number: bool
    has_cause: bool


@dataclass(frozen=True, slots=True)
class SentenceWords:
    """A sentence's content words, as matching a question needs them."""

    terms: tuple[tuple[str, ...], ...]  # per content word, its terms per field
    positions: tuple[int, ...]  # each content word's ordinal among all the sentence's words
    field_sets: tuple[frozenset[str], ...]  # per field, the terms present


@dataclass(frozen=True, slots=True)
class SentenceView(SentenceWords):
    """What the features need of a sentence: its content words and its shape."""

    chars: int
    has_time: bool
    has_number: bool
    has_cause: bool


class FeatureExtractor:
    """Features of a question's candidates over one ``SentenceIndex``.

    A sentence's words come from the index (kept when it was built), never from analysing its
    text again; only its answer shape reads the text, for the questions that ask for one.
    """

    def __init__(self, index: SentenceIndex) -> None:
        self._index = index
        self._titles: dict[int, SentenceWords] = {}
        self._shapes: dict[int, SentenceShape] = {}
        self._kinds: dict[tuple[int, QuestionKind], bool] = {}

    def sentence_view(self, position: int, candidate: Candidate | None = None) -> SentenceView:
        """The view of the sentence at ``position`` (a ``candidate`` for it lends its text)."""
        text = self._index.sentence(position).text if candidate is None else candidate.sentence.text
        return _view_of(self._words(position), len(text), self._shape(position, text))

    def _words(self, position: int) -> SentenceWords:
        terms, ordinals = self._index.content_words(position)
        return _sentence_words(terms, ordinals)

    def _title_terms(self, article_number: int) -> Container[str]:
        """The terms (stems and words) of the article's title's content words."""
        return _TitleTerms(self._index, article_number)

    def _held(self, words: QuestionWords, hit: Candidate, known: KnownWords | None) -> list[bool]:
        """Per question word, whether the candidate's sentence holds it in some field."""
        return _held_by_ids(self._index, words, self._ids(hit.position, known))

    def _ids(self, position: int, known: KnownWords | None) -> tuple[list[int], ...]:
        """The sentence's content words' term ids per field: from ``known``, else read from the index."""
        return sentence_ids(self._index.content_term_ids, known, position)[0]

    def _shape(self, position: int, text: str) -> SentenceShape:
        shape = self._shapes.get(position)
        if shape is None:
            if len(self._shapes) >= _SHAPE_MEMO_LIMIT:
                self._shapes.clear()  # cheap bound; the next questions refill it
            shape = self._shapes[position] = sentence_shape(text)
        return shape

    def _holds_kind(self, position: int, text: str, kind: QuestionKind) -> bool:
        """``holds_kind`` of the sentence at ``position`` (whose text is ``text``), remembered."""
        key = (position, kind)
        holds = self._kinds.get(key)
        if holds is None:
            if len(self._kinds) >= _SHAPE_MEMO_LIMIT:
                self._kinds.clear()  # cheap bound; the next questions refill it
            holds = self._kinds[key] = holds_kind(text, kind)
        return holds

    def title_view(self, article_number: int) -> SentenceView:
        title = self._index.numbered[article_number].title
        return _view_of(self._title_words(article_number), len(title), sentence_shape(title))

    def _title_words(self, article_number: int) -> SentenceWords:
        words = self._titles.get(article_number)
        if words is None:
            if len(self._titles) >= _TITLE_MEMO_LIMIT:
                self._titles.clear()  # cheap bound; the next questions refill it
            title = self._index.numbered[article_number].title
            pairs = list(self._index.analyzer.content_words(title))
            words = _sentence_words([terms for _, terms in pairs], [ordinal for ordinal, _ in pairs])
            self._titles[article_number] = words
        return words

    def question_words(self, query: Question, *, excluded_article: int | None = None) -> QuestionWords:
        """The question's content words and weights; ``excluded_article`` as if never indexed."""
        return QuestionWords.of(self._index, query, LeftOut(self._index, excluded_article))

    def candidates(self, words: QuestionWords, query: Question, hits: list[Candidate]) -> FloatArray:
        """One row of ``CANDIDATE_FEATURES`` per candidate, in the candidates' order."""
        return self.candidates_and_words(words, query, hits)[0]

    def candidates_and_words(
        self, words: QuestionWords, query: Question, hits: list[Candidate]
    ) -> tuple[FloatArray, KnownWords]:
        """``candidates``, and the words of the candidates and their neighbours it read (for composition)."""
        if not hits:
            rows = np.zeros((0, len(CANDIDATE_FEATURES)), dtype=np.float64)
            return rows, KnownWords({}, self._index.content_term_ids(np.zeros(0, dtype=np.int64)))
        weights = self._index.weights
        # The caller's per-article bonus (recency) is left out: the engine adds it after the model.
        best = max(hit.score - hit.article_bonus for hit in hits) or 1.0
        best_stem = max(hit.bm25.stem for hit in hits) or 1.0
        best_word = max(hit.bm25.word for hit in hits) or 1.0
        top_owner = self._index.article_of(hits[0].position)
        wants_shape = query.kind in _SHAPED_KINDS
        # The candidates' words and their neighbours' (often each other), read from the index at once.
        owners = [self._index.article_of(hit.position) for hit in hits]
        spans = [self._index.sentences_of(owner) for owner in owners]
        rows_of: dict[int, int] = {}
        for hit, span in zip(hits, spans, strict=True):
            for p in (hit.position, hit.position - 1, hit.position + 1):
                if p in span:
                    rows_of.setdefault(p, len(rows_of))
        gathered = self._index.content_term_ids(np.fromiter(rows_of, dtype=np.int64, count=len(rows_of)))
        matches = _Matches.of(self._index, words, gathered)
        titles = _title_coverage(self._index, words, owners)
        own_rows = [rows_of[hit.position] for hit in hits]
        window_coverage = matches.strong_coverage(
            [
                [rows_of[p] for p in (hit.position, hit.position - 1, hit.position + 1) if p in span]
                for hit, span in zip(hits, spans, strict=True)
            ]
        ).tolist()
        # Plain Python values per candidate, read in one go per array.
        strong, any_field, count, rarest, proximity, other, bigrams = (
            values[own_rows].tolist()
            for values in (
                matches.strong_share,
                matches.any_share,
                matches.count,
                matches.rarest,
                matches.proximity,
                matches.other,
                matches.bigrams,
            )
        )
        values: list[tuple[float, ...]] = []
        for k, ((rank, hit), span, owner) in enumerate(zip(enumerate(hits), spans, owners, strict=True)):
            fields = [score / words.total for score in hit.bm25]
            text = hit.sentence.text
            kind_holds, kind_lacks = (
                ((1.0, 0.0) if self._holds_kind(hit.position, text, query.kind) else (0.0, 1.0))
                if wants_shape
                else (0.0, 0.0)
            )
            values.append(
                (
                    (hit.score - hit.article_bonus) / best,
                    *fields,
                    hit.article_prior / weights.article if weights.article else 0.0,
                    hit.neighbour / weights.neighbour if weights.neighbour else 0.0,
                    strong[k],
                    any_field[k],
                    count[k] / words.count,
                    rarest[k],
                    proximity[k],
                    kind_holds,
                    kind_lacks,
                    math.log1p(other[k]),
                    math.log1p(len(text)) / 6.0,
                    math.log1p(rank),
                    titles[owner],
                    float(hit.position == span.start),
                    float(owner == top_owner),
                    window_coverage[k],
                    hit.bm25.stem / best_stem,
                    hit.bm25.word / best_word,
                    bigrams[k],
                )
            )
        rows = np.array(values, dtype=np.float64)  # one row of ``CANDIDATE_FEATURES`` per candidate
        return rows, KnownWords(rows_of, gathered)

    def question(
        self,
        words: QuestionWords,
        hits: list[Candidate],
        features: FloatArray,
        scores: FloatArray,
        known: KnownWords | None = None,
    ) -> FloatArray:
        """``QUESTION_FEATURES`` of a question whose candidates the re-ranker scored ``scores``
        (``known``: the words ``candidates_and_words`` read, so the best one's are not read again)."""
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
        title_terms = self._title_terms(owner)
        held = self._held(words, hits[top], known)
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
        row[15:] = context_features(self._index, words, hits, scores, title_terms)
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
    def of(cls, index: SentenceIndex, query: Question, left_out: LeftOut) -> QuestionWords:
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
            weight = index.term_weight(token.terms, left_out=left_out)
            known_forms = [form for form in forms if any(map(left_out.holds, range(len(form)), form))]
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

    def held(self, view: SentenceWords) -> list[bool]:
        """Per question word, whether the sentence holds it in any field."""
        return [_holds(forms, view.field_sets)[1] for forms in self.spellings]


@dataclass(frozen=True, slots=True)
class _Matches:
    """Which question words a few sentences hold, found in term-id space for all of them at once.

    The same values as the former string matching over the sentences' views (kept as the tests'
    reference in ``tests/retrieval/reference_features.py``; ids are equal exactly when terms are).
    Every per-sentence value is computed for all sentences at once, column by column: a weighted
    sum adds the question's words one after another, in their order, as the reference's Python
    loop does (adding 0.0 for a word not held changes no sum), so the floats are the same.
    Rows are the gathered sentences (``k``); ``strong[k, n]``: a spelling's stem or word of question
    word ``n`` is held, ``held[k, n]``: in any field.
    """

    words: QuestionWords
    strong: npt.NDArray[np.bool_]
    strong_share: FloatArray
    any_share: FloatArray
    count: IntArray
    rarest: FloatArray
    proximity: FloatArray
    other: IntArray
    bigrams: FloatArray

    @classmethod
    def of(cls, index: SentenceIndex, words: QuestionWords, gathered: GatheredWords) -> _Matches:
        count = len(words.terms)
        per_field = [
            _holders(
                gathered.terms[f],
                [[index.term_id(f, form[f]) for form in forms] for forms in words.spellings],
            )
            for f in range(len(FIELDS))
        ]
        strong_tokens = per_field[0] | per_field[1]
        held_tokens = strong_tokens | per_field[2] | per_field[3]
        starts = gathered.starts
        strong = _per_sentence(strong_tokens, starts, count)
        held = _per_sentence(held_tokens, starts, count)
        stem_words = _last_holder(gathered.terms.stem, [index.term_id(0, terms[0]) for terms in words.terms])
        own_stem = stem_words >= 0  # the token is the stem of a question word (not another spelling's)
        # Per token, the word proximity takes it for (-1: none): the last word whose stem it is,
        # else the last whose word it is. Such a word is always held by the token's sentence.
        token_words = np.where(
            own_stem,
            stem_words,
            _last_holder(gathered.terms.word, [index.term_id(1, terms[1]) for terms in words.terms]),
        )
        matched = held.sum(axis=1)
        sentences = len(starts) - 1
        rarest = (
            strong[:, words.rarest].astype(np.float64)
            if words.rarest >= 0
            else np.zeros(sentences, dtype=np.float64)
        )
        proximity = _proximity(gathered, token_words, words, sentences)
        proximity[matched <= 1] = 0.0
        own_tokens = np.zeros(len(own_stem) + 1, dtype=np.int64)
        np.cumsum(own_stem, out=own_tokens[1:])
        order_ids = [-1 if (i := index.term_id(0, stem)) is None else i for stem in words.order]
        return cls(
            words=words,
            strong=strong,
            strong_share=_weighted(strong, words.weights) / words.total,
            any_share=_weighted(held, words.weights) / words.total,
            count=matched,
            rarest=rarest,
            proximity=proximity,
            other=np.diff(starts) - (own_tokens[starts[1:]] - own_tokens[starts[:-1]]),
            bigrams=_bigrams(gathered, words, order_ids, sentences),
        )

    def strong_coverage(self, windows: list[list[int]]) -> FloatArray:
        """Per window (a few rows), ``QuestionWords.strong_coverage`` of its sentences together."""
        held = np.zeros((len(windows), self.strong.shape[1]), dtype=np.bool_)
        for step in range(max(map(len, windows), default=0)):
            at = [number for number, rows in enumerate(windows) if len(rows) > step]
            held[at] |= self.strong[[windows[number][step] for number in at]]
        return _weighted(held, self.words.weights) / self.words.total


def _weighted(flags: npt.NDArray[np.bool_], weights: tuple[float, ...]) -> FloatArray:
    """Per row, the sum of the weights of its flagged columns, added in column order."""
    total = np.zeros(len(flags), dtype=np.float64)
    for column, weight in enumerate(weights):
        total += np.where(flags[:, column], weight, 0.0)
    return total


def _same_sentence_pairs(starts: IntArray) -> npt.NDArray[np.bool_]:
    """Per token but the last, whether the next token is of the same sentence."""
    tokens = int(starts[-1])
    pairs = np.ones(max(tokens - 1, 0), dtype=np.bool_)
    opening = starts[1:-1]
    opening = opening[(opening > 0) & (opening < tokens)]
    pairs[opening - 1] = False
    return pairs


def _sentence_of(starts: IntArray) -> IntArray:
    """Per token, the number of its sentence."""
    return np.repeat(np.arange(len(starts) - 1, dtype=np.int64), np.diff(starts))


def _bigrams(
    gathered: GatheredWords, words: QuestionWords, order_ids: list[int], sentences: int
) -> FloatArray:
    """Per sentence, the weighted share of the question's adjacent word pairs it holds adjacent."""
    if len(words.terms) < 2:
        return np.zeros(sentences, dtype=np.float64)
    stems = gathered.terms.stem
    same = _same_sentence_pairs(gathered.starts)
    owner = _sentence_of(gathered.starts)[:-1]
    held = np.zeros(sentences, dtype=np.float64)
    total = 0.0
    weights = words.order_weights
    for a, b, wa, wb in zip(order_ids, order_ids[1:], weights, weights[1:], strict=False):
        weight = min(wa, wb)
        total += weight
        pair = same & (stems[:-1] == a) & (stems[1:] == b)
        holds = np.zeros(sentences, dtype=np.bool_)
        holds[owner[pair]] = True
        held += np.where(holds, weight, 0.0)
    return held / total if total else np.zeros(sentences, dtype=np.float64)


def _proximity(
    gathered: GatheredWords, token_words: IntArray, words: QuestionWords, sentences: int
) -> FloatArray:
    """Per sentence, the BM25TP-style sum over its successive matched tokens of different words."""
    found = np.flatnonzero(token_words >= 0)
    result = np.zeros(sentences, dtype=np.float64)
    if len(found) < 2:
        return result
    owner = _sentence_of(gathered.starts)[found]
    numbers = token_words[found]
    ordinals = gathered.ordinals[found].astype(np.int64)
    pair = np.flatnonzero((owner[1:] == owner[:-1]) & (numbers[1:] != numbers[:-1]))
    weights = np.asarray(words.weights, dtype=np.float64)
    distance = (ordinals[pair + 1] - ordinals[pair]).astype(np.float64)
    terms = np.minimum(weights[numbers[pair + 1]], weights[numbers[pair]]) / distance**2
    totals = [0.0] * sentences
    for sentence, term in zip(owner[pair].tolist(), terms.tolist(), strict=True):
        totals[sentence] += term  # in token order, as the reference adds them
    return np.array(totals, dtype=np.float64) / words.total


class _TitleTerms(Container[str]):
    """The terms (stems and words alike) of an article's title's content words, from the ids the
    index kept: a term is one when its id in the title stem or word table is among the title's."""

    def __init__(self, index: SentenceIndex, article_number: int) -> None:
        stems, word_ids, _ = index.title_term_ids(np.array([article_number], dtype=np.int64))
        self._index = index
        self._stems = frozenset(stems.tolist())
        self._words = frozenset(word_ids.tolist())

    def __contains__(self, term: object) -> bool:
        if not isinstance(term, str):
            return False
        index = self._index
        return index.title_term_id(0, term) in self._stems or index.title_term_id(1, term) in self._words


def _held_by_ids(index: SentenceIndex, words: QuestionWords, ids: tuple[list[int], ...]) -> list[bool]:
    """``QuestionWords.held`` of the sentence whose content words' term ids per field are ``ids``."""
    present = [set(field) for field in ids]
    return [
        any(index.term_id(f, term) in present[f] for form in forms for f, term in enumerate(form))
        for forms in words.spellings
    ]


def _title_coverage(index: SentenceIndex, words: QuestionWords, owners: list[int]) -> dict[int, float]:
    """Per article of ``owners``: the IDF share of the question's
    words its title holds as a stem or word, from the title words the index kept."""
    articles = list(dict.fromkeys(owners))
    stems, word_ids, starts = index.title_term_ids(np.array(articles, dtype=np.int64))
    by_stem = _holders(
        stems, [[index.title_term_id(0, form[0]) for form in forms] for forms in words.spellings]
    )
    by_word = _holders(
        word_ids, [[index.title_term_id(1, form[1]) for form in forms] for forms in words.spellings]
    )
    held = _per_sentence(by_stem | by_word, starts, len(words.spellings))
    coverage = {}
    for flags, article in zip(held.tolist(), articles, strict=True):
        share = 0.0
        for is_held, weight in zip(flags, words.weights, strict=True):
            if is_held:
                share += weight
        coverage[article] = share / words.total
    return coverage


def _holders(token_ids: npt.NDArray[np.int32], per_word: list[list[int | None]]) -> npt.NDArray[np.bool_]:
    """Per token (rows) and word (columns): whether the token's id is one of the word's ids."""
    # Filled word by word (a contiguous row each, ``np.isin`` costs ~20 times a comparison for
    # a handful of ids), handed back transposed.
    result = np.zeros((len(per_word), len(token_ids)), dtype=np.bool_)
    for row, ids in zip(result, per_word, strict=True):
        known = list(dict.fromkeys(i for i in ids if i is not None))
        if known:
            np.equal(token_ids, known[0], out=row)
            for i in known[1:]:
                row |= token_ids == i
    return result.T


def _last_holder(token_ids: npt.NDArray[np.int32], word_ids: list[int | None]) -> IntArray:
    """Per token, the last word whose id (one per word, None: unknown) is the token's, or -1."""
    last: dict[int, int] = {}
    for number, i in enumerate(word_ids):
        if i is not None:
            last[i] = number  # a later word holding the same id wins
    if not last:
        return np.full(len(token_ids), -1, dtype=np.int64)
    keys = np.array(sorted(last), dtype=token_ids.dtype)
    values = np.array([*(last[key] for key in keys.tolist()), -1], dtype=np.int64)
    # Each token's place among the sorted ids, ``len(keys)`` (the -1 after them) when not there.
    at = np.searchsorted(keys, token_ids)
    at[keys.take(np.minimum(at, len(keys) - 1)) != token_ids] = len(keys)
    return values.take(at)


def _per_sentence(per_token: npt.NDArray[np.bool_], starts: IntArray, count: int) -> npt.NDArray[np.bool_]:
    """Per sentence (rows of ``starts``) and word: whether some token of the sentence has the flag."""
    sums = np.zeros((len(per_token) + 1, count), dtype=np.int32)
    np.cumsum(per_token, axis=0, out=sums[1:])
    result: npt.NDArray[np.bool_] = sums[starts[1:]] > sums[starts[:-1]]
    return result


def _sentence_words(terms: list[tuple[str, ...]], positions: list[int]) -> SentenceWords:
    return SentenceWords(
        terms=tuple(terms),
        positions=tuple(positions),
        field_sets=tuple(frozenset(column) for column in zip(*terms, strict=True))
        if terms
        else tuple(frozenset() for _ in FIELDS),
    )


def _view_of(words: SentenceWords, chars: int, shape: SentenceShape) -> SentenceView:
    return SentenceView(words.terms, words.positions, words.field_sets, chars, *shape)


def sentence_shape(text: str) -> SentenceShape:
    """Whether ``text`` holds a year or a month (or another time word), a number, a cause."""
    normalized = normalize_arabic(text)
    return SentenceShape(
        has_time=_has_time(normalized), has_number=_has_number(normalized), has_cause=_has_cause(normalized)
    )


def _has_time(normalized: str) -> bool:
    return _YEAR.search(normalized) is not None or not _TIME_WORDS.isdisjoint(_WORD_RUN.findall(normalized))


def _has_number(normalized: str) -> bool:
    return _DIGIT.search(normalized) is not None or not _NUMBER_WORDS.isdisjoint(
        _WORD_RUN.findall(normalized)
    )


def _has_cause(normalized: str) -> bool:
    return not _CAUSE_WORDS.isdisjoint(normalized.split())


def _holds(forms: tuple[tuple[str, ...], ...], field_sets: tuple[frozenset[str], ...]) -> tuple[bool, bool]:
    """Whether sentence terms ``field_sets`` hold one of a word's spellings as a stem or word, and in any field."""
    strong = any(form[0] in field_sets[0] or form[1] in field_sets[1] for form in forms)
    return strong, strong or any(
        term in terms for form in forms for term, terms in zip(form[2:], field_sets[2:], strict=False)
    )


_SHAPED_KINDS: Final = frozenset({QuestionKind.TIME, QuestionKind.NUMBER, QuestionKind.REASON})


def holds_kind(text: str, kind: QuestionKind) -> bool:
    """What ``sentence_shape(text)`` says of the answer a time, number or reason question asks for,
    finding that one alone (a question reads one of the three, for thirty candidates)."""
    if kind is QuestionKind.NUMBER and _DIGIT.search(text) is not None:
        return True  # normalizing keeps every ASCII digit (it only adds them)
    normalized = normalize_arabic(text)
    if kind is QuestionKind.TIME:
        return _has_time(normalized)
    if kind is QuestionKind.NUMBER:
        return _has_number(normalized)
    return _has_cause(normalized)


def _answer_shape(kind: QuestionKind, shape: SentenceShape | None) -> tuple[float, float]:
    """(holds, lacks) what a time, number or reason question asks for; ``shape`` is read only then."""
    if shape is None or kind not in _SHAPED_KINDS:
        return 0.0, 0.0
    if kind is QuestionKind.TIME:
        holds = shape.has_time
    elif kind is QuestionKind.NUMBER:
        holds = shape.has_number
    else:
        holds = shape.has_cause
    return (1.0, 0.0) if holds else (0.0, 1.0)
