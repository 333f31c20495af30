"""Sentence search: BM25 per field over sentences, fused with article relevance and neighbours.

A sentence's score is its own multi-field BM25 (normalised by the best sentence for the
query), plus a share of its article's BM25 (answers sit in articles that are about the
question as a whole) and a share of its best neighbour's score (the question's words are
often spread over two adjacent sentences).
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from retrieval.analyzer import FIELDS, ArabicAnalyzer, Token
from retrieval.bm25_index import IndexFormatError
from retrieval.interrogatives import QUESTION_WORDS, QuestionKind, question_kind
from retrieval.records import Article, Sentence
from retrieval.scoring import FieldScorer, FloatArray
from retrieval.segment import DEFAULT_MAX_CHARS, segment_sentences

IntArray = npt.NDArray[np.int64]
_MONTHS = (
    "يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
    "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين"
)
_NUMBER_OR_MONTH = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]|" + "|".join(_MONTHS.split()))
# In tiny corpora rank-bm25's IDFs go to zero or below; every question word still counts.
_MIN_TERM_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class SearchWeights:
    """How the signals are mixed; tuned on the ARCD development set, not on the seeds."""

    fields: tuple[float, ...] = (1.0, 0.5, 0.3, 0.2)  # stem, word, skeleton, root (FIELDS order)
    article: float = 2.0
    neighbour: float = 0.1
    max_sentence_chars: int = DEFAULT_MAX_CHARS
    # Sentences vary less in length than documents; weaker length normalisation (b) helps.
    k1: float = 1.2
    b: float = 0.3
    # Bonus for sentences holding a number or a month when the question asks when / how many.
    number_answer: float = 0.2


@dataclass(frozen=True, slots=True)
class Query:
    """An analysed question: its content tokens and their terms per field."""

    text: str
    tokens: tuple[Token, ...]
    kind: QuestionKind = QuestionKind.OTHER

    @property
    def wants_number(self) -> bool:
        return self.kind in (QuestionKind.TIME, QuestionKind.NUMBER)

    @property
    def has_arabic(self) -> bool:
        return any(token.is_arabic for token in self.tokens)

    def field_terms(self, field: int) -> list[str]:
        # Repeated words would count twice in BM25; a question repeats words only by accident.
        return list(dict.fromkeys(token.terms[field] for token in self.tokens))


@dataclass(frozen=True, slots=True)
class _SentenceArrays:
    owner: IntArray  # article number of each sentence
    start: IntArray  # offsets into the article text
    end: IntArray
    has_number: FloatArray  # 1.0 where the sentence holds a number or a month name
    first_sentence: IntArray  # per article, its first sentence's position; one extra at the end


_ARRAY_NAMES = ("owner", "start", "end", "has_number", "first_sentence")


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked sentence: its position in the index, its fused score and the signals behind it.

    ``field_scores`` are the sentence's raw BM25 per field (``FIELDS`` order), ``article`` its
    article's BM25 relative to the best article, ``neighbour`` its best neighbour's own score
    relative to the best sentence: the re-ranker's inputs.
    """

    sentence: int
    score: float
    field_scores: tuple[float, ...] = ()
    article: float = 0.0
    neighbour: float = 0.0


class SentenceIndex:
    """All sentences of a corpus, searchable by an analysed query."""

    def __init__(
        self,
        articles: Sequence[Article],
        analyzer: ArabicAnalyzer,
        weights: SearchWeights,
        arrays: _SentenceArrays,
        fields: tuple[FieldScorer, ...],
        article_scorer: FieldScorer,
    ) -> None:
        self.articles = tuple(articles)
        self.analyzer = analyzer
        self.weights = weights
        self._owner = arrays.owner
        self._start = arrays.start
        self._end = arrays.end
        self._has_number = arrays.has_number
        self._first_sentence = arrays.first_sentence
        self._fields = fields
        self._articles = article_scorer

    @classmethod
    def build(
        cls, articles: Sequence[Article], analyzer: ArabicAnalyzer, weights: SearchWeights
    ) -> SentenceIndex:
        """Segment and analyse every article, then index each field."""
        # Terms are kept as one space-joined string per sentence and field: a few objects per
        # sentence rather than one per word, and streamed into the indexes.
        field_docs: tuple[list[str], ...] = tuple([] for _ in FIELDS)
        article_docs: list[str] = []
        owners: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        has_number: list[bool] = []
        first_sentence: list[int] = []
        for article_number, article in enumerate(articles):
            first_sentence.append(len(owners))
            article_stems: list[str] = []
            for sentence in segment_sentences(article.text, article.id, max_chars=weights.max_sentence_chars):
                terms = analyzer.field_terms(sentence.text)
                for field, doc in enumerate(terms):
                    field_docs[field].append(" ".join(doc))
                article_stems.append(field_docs[0][-1])
                owners.append(article_number)
                starts.append(sentence.start)
                ends.append(sentence.end)
                has_number.append(_NUMBER_OR_MONTH.search(sentence.text) is not None)
            article_docs.append(" ".join(article_stems))
        first_sentence.append(len(owners))
        arrays = _SentenceArrays(
            owner=np.asarray(owners, dtype=np.int64),
            start=np.asarray(starts, dtype=np.int64),
            end=np.asarray(ends, dtype=np.int64),
            has_number=np.asarray(has_number, dtype=np.float64),
            first_sentence=np.asarray(first_sentence, dtype=np.int64),
        )
        fields = tuple(
            FieldScorer.build((doc.split() for doc in docs), k1=weights.k1, b=weights.b)
            for docs in field_docs
        )
        return cls(
            articles,
            analyzer,
            weights,
            arrays,
            fields,
            FieldScorer.build(doc.split() for doc in article_docs),
        )

    def save(self, directory: Path) -> None:
        """Write the index to ``directory`` atomically: a crash leaves the old one or none."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.tmp-", dir=directory.parent))
        try:
            for name, scorer in zip(FIELDS, self._fields, strict=True):
                scorer.save(staging / name)
            self._articles.save(staging / "articles")
            for name, values in self._arrays().items():
                np.save(staging / f"{name}.npy", values, allow_pickle=False)
            if directory.exists():
                shutil.rmtree(directory)
            staging.rename(directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    @classmethod
    def load(
        cls, directory: Path, articles: Sequence[Article], analyzer: ArabicAnalyzer, weights: SearchWeights
    ) -> SentenceIndex:
        """Read an index written by ``save`` for exactly these articles (the caller checks the key)."""
        try:
            loaded = {name: np.load(directory / f"{name}.npy", allow_pickle=False) for name in _ARRAY_NAMES}
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"unreadable sentence arrays in {directory}: {error}") from error
        arrays = _SentenceArrays(**loaded)
        if len(arrays.first_sentence) != len(articles) + 1:
            raise IndexFormatError(f"{directory} was built for another corpus")
        fields = tuple(FieldScorer.load(directory / name) for name in FIELDS)
        return cls(articles, analyzer, weights, arrays, fields, FieldScorer.load(directory / "articles"))

    def _arrays(self) -> dict[str, npt.NDArray[np.int64] | FloatArray]:
        return {
            "owner": self._owner,
            "start": self._start,
            "end": self._end,
            "has_number": self._has_number,
            "first_sentence": self._first_sentence,
        }

    @property
    def sentence_count(self) -> int:
        return len(self._owner)

    def analyse(self, question: str) -> Query:
        # Interrogatives and fillers say what kind of answer is wanted, not what it is about.
        tokens = tuple(
            token
            for token in self.analyzer.tokens(question)
            if not token.is_stopword and token.terms[1] not in QUESTION_WORDS
        )
        return Query(text=question, tokens=tokens, kind=question_kind(question))

    def search(self, query: Query, *, limit: int, excluded_article: int | None = None) -> list[Hit]:
        """The best ``limit`` sentences that match at least one query term, best first.

        ``excluded_article`` (an article number) is searched as if it were not in the corpus
        (its terms still count in the IDFs): leave-article-out evaluation without re-indexing.
        """
        if not query.tokens or self.sentence_count == 0:
            return []
        own = np.zeros(self.sentence_count, dtype=np.float64)
        matched = np.zeros(self.sentence_count, dtype=np.float64)
        keep: FloatArray | None = None
        if excluded_article is not None:
            keep = (self._owner != excluded_article).astype(np.float64)
        per_field: list[FloatArray] = []
        for field, weight in enumerate(self.weights.fields):
            scores = self._fields[field].scores(query.field_terms(field))
            if keep is not None:
                scores = scores * keep
            per_field.append(scores)
            if weight:
                own += weight * scores
                matched += scores != 0.0
        if not matched.any():
            return []
        best = float(own.max())
        if best <= 0.0:
            # In a corpus of one or two sentences every IDF is negative (rank-bm25's formula);
            # rank by how many fields matched instead of quoting nothing.
            own, best = matched, float(matched.max())
        own = own / best
        neighbour = self._neighbour_scores(own)
        fused = own + self.weights.neighbour * neighbour
        article = np.zeros_like(own)
        if self.weights.article:
            article_scores = self._articles.scores(query.field_terms(0))
            if excluded_article is not None:
                article_scores[excluded_article] = 0.0
            top_article = float(article_scores.max())
            if top_article > 0.0:
                article = (article_scores / top_article)[self._owner]
                fused += self.weights.article * article
        if self.weights.number_answer and query.wants_number:
            fused += self.weights.number_answer * self._has_number
        candidates = np.flatnonzero(own > 0.0)
        order = candidates[np.lexsort((candidates, -fused[candidates]))][:limit]
        return [
            Hit(
                sentence=int(i),
                score=float(fused[i]),
                field_scores=tuple(float(scores[i]) for scores in per_field),
                article=float(article[i]),
                neighbour=float(neighbour[i]),
            )
            for i in order
        ]

    def _neighbour_scores(self, own: FloatArray) -> FloatArray:
        previous = np.zeros_like(own)
        following = np.zeros_like(own)
        same_as_previous = self._owner[1:] == self._owner[:-1]
        previous[1:] = np.where(same_as_previous, own[:-1], 0.0)
        following[:-1] = np.where(same_as_previous, own[1:], 0.0)
        result: FloatArray = np.maximum(previous, following)
        return result

    def term_weight(self, token: Token, *, excluded_sentences: int = 0) -> float:
        """How much a query word matters: its stem's IDF over sentences.

        A word no sentence holds is often a paraphrase or a typo rather than the crux of the
        question, so it weighs like a moderately rare word (one in sqrt(N) sentences), not
        like the rarest possible one; weighing it more abstains on many answerable questions.
        ``excluded_sentences`` (sentences of a left-out article that hold the stem) are taken
        out of its document frequency, as if that article had never been indexed.
        """
        idf: float | None
        if excluded_sentences:
            n = self.sentence_count
            df = self._fields[0].document_frequency(token.terms[0]) - excluded_sentences
            idf = math.log((n - df + 0.5) / (df + 0.5)) if df > 0 else None
        else:
            idf = self._fields[0].idf(token.terms[0])
        if idf is None:
            n = self.sentence_count
            df_guess = math.sqrt(n)
            idf = math.log((n - df_guess + 0.5) / (df_guess + 0.5))
        return max(idf, _MIN_TERM_WEIGHT)

    def document_frequency(self, field: int, term: str) -> int:
        """How many sentences hold ``term`` in field number ``field``."""
        return self._fields[field].document_frequency(term)

    # Sentence look-ups ---------------------------------------------------------------------

    def sentence(self, position: int) -> Sentence:
        article_number = int(self._owner[position])
        article = self.articles[article_number]
        start, end = int(self._start[position]), int(self._end[position])
        return Sentence(
            article_id=article.id,
            index=position - int(self._first_sentence[article_number]),
            start=start,
            end=end,
            text=article.text[start:end],
        )

    def article_of(self, position: int) -> int:
        return int(self._owner[position])

    def position(self, article_number: int, sentence_index: int) -> int | None:
        """The index position of an article's n-th sentence, or None when out of range."""
        first, stop = int(self._first_sentence[article_number]), int(self._first_sentence[article_number + 1])
        position = first + sentence_index
        return position if first <= position < stop else None

    def sentences_of(self, article_number: int) -> range:
        return range(int(self._first_sentence[article_number]), int(self._first_sentence[article_number + 1]))
