"""Sentence search: BM25 per field over sentences, fused with article relevance and neighbours.

A sentence's score is its own multi-field BM25 (normalized by the best sentence for the
question), plus a share of its article's BM25 (answers sit in articles that are about the
question as a whole), a share of its best neighbour's score (the question's words are
often spread over two adjacent sentences), and a bonus for holding a number or a month when
the question asks when or how many. ``search`` returns ``Candidate`` records that carry each
of these signals, the sentence and its analysed words.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from retrieval.analyzer import FIELDS, ArabicAnalyzer, Fields, FieldTerms, Question, Token
from retrieval.errors import IndexFormatError
from retrieval.quantities import holds_number_or_month
from retrieval.records import Article, Sentence
from retrieval.scoring import FieldScorer, FloatArray
from retrieval.segment import DEFAULT_MAX_CHARS, segment_sentences

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
# In tiny corpora rank-bm25's IDFs go to zero or below; every question word still counts.
_MIN_TERM_WEIGHT = 0.5
# The root field conflates most (كتاب and مكتب meet), so it weighs least (ARCD: 0.2 best of 0-0.4).
_FIELD_WEIGHTS = Fields(stem=1.0, word=0.5, skeleton=0.3, root=0.2)


@dataclass(frozen=True, slots=True)
class SearchWeights:
    """How the signals are mixed; tuned on the ARCD development set, not on the seeds."""

    fields: Fields[float] = _FIELD_WEIGHTS
    article: float = 2.0
    neighbour: float = 0.1
    max_sentence_chars: int = DEFAULT_MAX_CHARS
    # Sentences vary less in length than documents; weaker length normalization (b) helps.
    k1: float = 1.2
    b: float = 0.3
    # Bonus for sentences holding a number or a month when the question asks when / how many.
    number_answer: float = 0.2


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked sentence, with what composition needs and the signals that ranked it.

    ``score == own + neighbour + article_prior + number_bonus + article_bonus``, each signal already weighted.
    """

    position: int  # in the index: sentences of one article are consecutive
    sentence: Sentence
    article: Article
    # The sentence's words, stopwords included (flagged), offsets into ``sentence.text``.
    tokens: tuple[Token, ...]
    score: float
    bm25: Fields[float]  # the sentence's own BM25 per field, unweighted
    own: float  # weighted BM25 over the fields, as a share of the best sentence's (1.0 for it)
    neighbour: float  # a share of the better of its neighbours' ``own``
    article_prior: float  # a share of its article's BM25, as a share of the best article's
    number_bonus: float  # when the question wants a number and the sentence holds one
    article_bonus: float = 0.0  # the caller's per-article bonus (a recency preference)


@dataclass(frozen=True, slots=True)
class _SentenceArrays:
    owner: IntArray  # article number of each sentence
    start: IntArray  # offsets into the article text
    end: IntArray
    has_number: FloatArray  # 1.0 where the sentence holds a number or a month name
    first_sentence: IntArray  # per article, its first sentence's position; one extra at the end


_ARRAY_NAMES = ("owner", "start", "end", "has_number", "first_sentence")


class SentenceIndex:
    """All sentences of a corpus, searchable by an analysed question."""

    def __init__(
        self,
        articles: Sequence[Article],
        analyzer: ArabicAnalyzer,
        weights: SearchWeights,
        arrays: _SentenceArrays,
        fields: Fields[FieldScorer],
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
        field_docs: Fields[list[str]] = Fields([], [], [], [])
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
                for docs, terms in zip(field_docs, analyzer.field_terms(sentence.text), strict=True):
                    docs.append(" ".join(terms))
                article_stems.append(field_docs.stem[-1])
                owners.append(article_number)
                starts.append(sentence.start)
                ends.append(sentence.end)
                has_number.append(holds_number_or_month(sentence.text))
            article_docs.append(" ".join(article_stems))
        first_sentence.append(len(owners))
        arrays = _SentenceArrays(
            owner=np.asarray(owners, dtype=np.int64),
            start=np.asarray(starts, dtype=np.int64),
            end=np.asarray(ends, dtype=np.int64),
            has_number=np.asarray(has_number, dtype=np.float64),
            first_sentence=np.asarray(first_sentence, dtype=np.int64),
        )
        fields = Fields(
            *(
                FieldScorer.build((doc.split() for doc in docs), k1=weights.k1, b=weights.b)
                for docs in field_docs
            )
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
        fields = Fields(*(FieldScorer.load(directory / name) for name in FIELDS))
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

    def search(
        self,
        question: Question,
        *,
        limit: int,
        article_mask: BoolArray | None = None,
        article_bonus: FloatArray | None = None,
    ) -> list[Candidate]:
        """The best ``limit`` sentences that match at least one question term, best first.

        ``article_mask`` (one flag per article) searches only the flagged articles, as if the
        others were not indexed (IDF aside); ``article_bonus`` (one value per article) is added to
        the score of each of its sentences.
        """
        if not question.tokens or self.sentence_count == 0:
            return []
        weights = self.weights
        own = np.zeros(self.sentence_count, dtype=np.float64)
        matched = np.zeros(self.sentence_count, dtype=np.float64)
        field_scores: list[FloatArray | None] = []
        for scorer, weight, terms in zip(self._fields, weights.fields, question.terms, strict=True):
            scores = scorer.scores(terms) if weight else None
            if scores is not None:
                own += weight * scores
                matched += scores != 0.0
            field_scores.append(scores)
        if article_mask is not None:
            sentence_mask = article_mask[self._owner]
            own *= sentence_mask
            matched *= sentence_mask
        if not matched.any():
            return []
        best = float(own.max())
        if best <= 0.0:
            # In a corpus of one or two sentences every IDF is negative (rank-bm25's formula);
            # rank by how many fields matched instead of quoting nothing.
            own, best = matched, float(matched.max())
        own = own / best
        neighbour = weights.neighbour * self._neighbour_scores(own)
        fused = own + neighbour
        article_prior = np.zeros(len(self.articles), dtype=np.float64)
        if weights.article:
            article_scores = self._articles.scores(question.terms.stem)
            if article_mask is not None:
                article_scores = article_scores * article_mask
            top_article = float(article_scores.max())
            if top_article > 0.0:
                article_prior = weights.article * (article_scores / top_article)
                fused += article_prior[self._owner]
        number_bonus = 0.0
        if weights.number_answer and question.kind.wants_number:
            number_bonus = weights.number_answer
            fused += number_bonus * self._has_number
        if article_bonus is not None:
            fused += article_bonus[self._owner]
        matching = np.flatnonzero(own > 0.0)
        order = matching[np.lexsort((matching, -fused[matching]))][:limit]
        candidates = []
        for i in (int(i) for i in order):
            sentence = self.sentence(i)
            article = self.articles[int(self._owner[i])]
            candidates.append(
                Candidate(
                    position=i,
                    sentence=sentence,
                    article=article,
                    tokens=tuple(self.analyzer.tokens(sentence.text)),
                    score=float(fused[i]),
                    bm25=Fields(*(0.0 if scores is None else float(scores[i]) for scores in field_scores)),
                    own=float(own[i]),
                    neighbour=float(neighbour[i]),
                    article_prior=float(article_prior[self._owner[i]]),
                    number_bonus=number_bonus * float(self._has_number[i]),
                    article_bonus=0.0 if article_bonus is None else float(article_bonus[self._owner[i]]),
                )
            )
        return candidates

    def _neighbour_scores(self, own: FloatArray) -> FloatArray:
        previous = np.zeros_like(own)
        following = np.zeros_like(own)
        same_as_previous = self._owner[1:] == self._owner[:-1]
        previous[1:] = np.where(same_as_previous, own[:-1], 0.0)
        following[:-1] = np.where(same_as_previous, own[1:], 0.0)
        result: FloatArray = np.maximum(previous, following)
        return result

    def holds_term(self, field: str, term: str) -> bool:
        """True when some sentence holds ``term`` in the analysis field named ``field`` (one of ``FIELDS``)."""
        scorer: FieldScorer = getattr(self._fields, field)
        return scorer.idf(term) is not None

    def term_weight(self, word: FieldTerms, *, excluded_sentences: int = 0) -> float:
        """How much a question word matters: its stem's IDF over sentences.

        A word no sentence holds is often a paraphrase or a typo rather than the crux of the
        question, so it weighs like a moderately rare word (one in sqrt(N) sentences), not
        like the rarest possible one; weighing it more abstains on many answerable questions.
        ``excluded_sentences`` (sentences of a left-out article that hold the stem) are taken
        out of its document frequency, as if that article had never been indexed.
        """
        idf: float | None
        if excluded_sentences:
            n = self.sentence_count
            df = self._fields.stem.document_frequency(word.stem) - excluded_sentences
            idf = math.log((n - df + 0.5) / (df + 0.5)) if df > 0 else None
        else:
            idf = self._fields.stem.idf(word.stem)
        if idf is None:
            n = self.sentence_count
            guess = math.sqrt(n)
            idf = math.log((n - guess + 0.5) / (guess + 0.5))
        return max(idf, _MIN_TERM_WEIGHT)

    def document_frequency(self, field: int, term: str) -> int:
        """How many sentences hold ``term`` in field number ``field`` (``FIELDS`` order)."""
        return self._fields[field].document_frequency(term)

    # Sentence look-ups ---------------------------------------------------------------------

    def sentence(self, position: int) -> Sentence:
        """The sentence at ``position`` in the index."""
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

    def previous(self, position: int) -> Sentence | None:
        """The sentence before the one at ``position`` in the same article, or None for a first sentence."""
        if position == 0 or self._owner[position - 1] != self._owner[position]:
            return None
        return self.sentence(position - 1)

    def article_of(self, position: int) -> int:
        """The number of the article the sentence at ``position`` belongs to."""
        return int(self._owner[position])

    def sentences_of(self, article_number: int) -> range:
        """The positions of an article's sentences, in order."""
        return range(int(self._first_sentence[article_number]), int(self._first_sentence[article_number + 1]))
