"""The answer engine: question in, verbatim quotes with their sources out."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from retrieval.aliases import AliasTable, respell_latin_words
from retrieval.analyzer import ArabicAnalyzer, Question
from retrieval.answers_first import adding, answering, let_answers_run
from retrieval.compose import AnswerPolicy, compose_answer
from retrieval.errors import EmptyCorpusError
from retrieval.features import FeatureExtractor
from retrieval.index_cache import content_key, load_cached, load_or_build, store
from retrieval.places import PlaceNames, unmentioned
from retrieval.recency import RecencyPreference
from retrieval.records import Answer, Article, Sentence
from retrieval.rerank import RankingModel
from retrieval.search import BoolArray, Candidate, FloatArray, SearchWeights, SentenceIndex
from retrieval.sentence_terms import KnownWords
from retrieval.stored_articles import article_ids, published_dates
from retrieval.synonyms import SynonymTable, add_hamza_spellings, add_synonyms
from retrieval.time_expressions import DateRange, parse_time_expression, published_day

# Longer input is cut: questions are short, and BM25 over a pasted article is slow and meaningless.
MAX_QUESTION_CHARS = 1000
_MIN_CANDIDATES = 50
# The learned model re-orders this many of the search's best sentences; below them the order
# is the search's. Features are computed for these only, whatever the corpus size.
RERANK_DEPTH = 30
# Re-ranked candidates score exp((score - best) / temperature): 1 for the best, so that the
# policy's relative floor (0.35) keeps further quotes the model puts within about three log-odds
# of the best (or that the search put near its best; see ``_rerank``).
_RANK_TEMPERATURE = 3.0
# Bump when analysis, segmentation or what an index saves changes, so persisted indexes are rebuilt.
INDEX_VERSION = "sentence-index-10"


def _cache_key(articles: list[Article], weights: SearchWeights) -> str:
    def parts() -> Iterator[str]:
        yield INDEX_VERSION
        yield repr(weights)
        for article in articles:
            yield article.id
            yield article.text

    return content_key(parts())


def _source_key(source_key: str, weights: SearchWeights) -> str:
    return content_key([INDEX_VERSION, repr(weights), "source", source_key])


def analyse_question(index: SentenceIndex, text: str, aliases: AliasTable) -> Question:
    """``text`` as the engine searches it in ``index``: analysed, with the Arabic spellings of its
    Latin names, the news words of its everyday words and the other hamza reading of its «ال» words
    that the corpus holds. Training (``benchmarks/train_ranker.py``) calls this too, so that the
    models learn from the very questions the engine asks."""
    analyzer = index.analyzer
    analysed = respell_latin_words(analyzer.analyze_question(text), aliases, analyzer, index)
    analysed = add_synonyms(analysed, SynonymTable.bundled(), analyzer, index)
    return add_hamza_spellings(analysed, analyzer, index)


class AnswerEngine:
    """Answers Arabic questions from a fixed set of articles. Build once, ask many times."""

    def __init__(
        self,
        index: SentenceIndex,
        policy: AnswerPolicy,
        aliases: AliasTable | None = None,
        model: RankingModel | None = None,
        features: FeatureExtractor | None = None,
    ) -> None:
        self._index = index
        self._policy = policy
        self._aliases = AliasTable.bundled() if aliases is None else aliases
        self._model = model
        # Shared by the engines made with ``with_policy``/``with_aliases``: one cache per index.
        self._features = FeatureExtractor(index) if features is None else features
        live = set(article_ids(index.articles)) if len(index.articles) != len(index.numbered) else None
        self._by_id = {
            article_id: number
            for number, article_id in enumerate(article_ids(index.numbered))
            if live is None or article_id in live
        }
        self._days_of: Sequence[Article] | None = None
        self._days: FloatArray = np.zeros(0)
        self._bonus: tuple[FloatArray, RecencyPreference, date | None, FloatArray | None] | None = None

    @classmethod
    def from_articles(
        cls,
        articles: Iterable[Article],
        *,
        weights: SearchWeights | None = None,
        policy: AnswerPolicy | None = None,
        aliases: AliasTable | None = None,
        cache_dir: Path | None = None,
        model: RankingModel | None = None,
        learned: bool = True,
        source_key: str | None = None,
    ) -> AnswerEngine:
        """Index ``articles``; raises ``EmptyCorpusError`` when none has text to index.

        ``aliases`` spells Latin names in Arabic (default: ``AliasTable.bundled()``).

        With ``cache_dir``, the index is saved there and loaded instead of rebuilt as long as
        the articles' ids and texts (and the analysis settings) are unchanged. ``source_key``
        replaces hashing every text: the caller's cheap stamp of where the articles came from
        (e.g. ``corpus_fingerprint``), which must change whenever they do; ``from_cache`` finds
        the index by it without reading the articles. The learned
        re-ranker and abstention (``model``, default the shipped one) decide the order of the
        best sentences and whether to answer; ``learned=False`` keeps the search's order and
        the policy's coverage rule instead.
        """
        usable = [article for article in articles if article.text.strip()]
        if not usable:
            raise EmptyCorpusError("the corpus holds no article with text")
        weights = weights or SearchWeights()
        analyzer = ArabicAnalyzer()
        if cache_dir is None:
            index = SentenceIndex.build(usable, analyzer, weights)
        else:
            key = _cache_key(usable, weights) if source_key is None else _source_key(source_key, weights)
            index = load_or_build(
                cache_dir,
                key,
                build=lambda: SentenceIndex.build(usable, analyzer, weights),
                load=lambda directory: SentenceIndex.load(directory, usable, analyzer, weights),
            )
        if index.sentence_count == 0:
            raise EmptyCorpusError("the corpus holds no sentence to index")
        if learned and model is None:
            model = RankingModel.shipped()
        return cls(index, policy or AnswerPolicy(), aliases, model if learned else None)

    @classmethod
    def from_cache(
        cls,
        cache_dir: Path,
        source_key: str,
        *,
        weights: SearchWeights | None = None,
        policy: AnswerPolicy | None = None,
        aliases: AliasTable | None = None,
        model: RankingModel | None = None,
        learned: bool = True,
    ) -> AnswerEngine | None:
        """The engine saved under ``source_key`` (see ``from_articles``), or None when there is none.

        Nothing but the index is read: the articles saved with it are decoded when quoted. A
        corrupt entry is logged and gives None, as a missing one does.
        """
        weights = weights or SearchWeights()
        analyzer = ArabicAnalyzer()
        index = load_cached(
            cache_dir,
            _source_key(source_key, weights),
            lambda directory: SentenceIndex.load(directory, None, analyzer, weights),
        )
        if index is None or index.sentence_count == 0:
            return None
        if learned and model is None:
            model = RankingModel.shipped()
        return cls(index, policy or AnswerPolicy(), aliases, model if learned else None)

    def with_policy(self, policy: AnswerPolicy) -> AnswerEngine:
        """The same index answering under another policy (nothing is re-indexed)."""
        return AnswerEngine(self._index, policy, self._aliases, self._model, self._features)

    def with_aliases(self, aliases: AliasTable) -> AnswerEngine:
        """The same index spelling Latin names with another table (e.g. one the store has grown)."""
        return AnswerEngine(self._index, self._policy, aliases, self._model, self._features)

    @property
    def aliases(self) -> AliasTable:
        return self._aliases

    def added(self, articles: Iterable[Article]) -> AnswerEngine:
        """A new engine that also answers from ``articles``; this one is unchanged and keeps serving.

        Only the new articles are analysed; the indexed ones are shared, and every field's BM25
        stays exactly what a full build over the resulting articles would give. An article whose id
        is already served replaces it; articles without text are skipped.
        """
        new = list({article.id: article for article in articles if article.text.strip()}.values())
        if not new:
            return self
        index = self._index
        replaced = [self._by_id[article.id] for article in new if article.id in self._by_id]
        # The add's Python steps hold the GIL: threads answering meanwhile get it back sooner.
        with adding():
            if replaced:
                index = index.removed(replaced)
            grown = index.added(new)
            let_answers_run()
            return AnswerEngine(grown, self._policy, self._aliases, self._model)

    def removed(self, article_ids: Collection[str]) -> AnswerEngine:
        """A new engine without the articles ``article_ids`` (unknown ids are ignored); no re-analysis.

        Raises ``EmptyCorpusError`` when no sentence would be left.
        """
        numbers = [self._by_id[article_id] for article_id in article_ids if article_id in self._by_id]
        if not numbers:
            return self
        index = self._index.removed(numbers)
        if index.sentence_count == 0:
            raise EmptyCorpusError("removing these articles would leave no sentence to answer from")
        return AnswerEngine(index, self._policy, self._aliases, self._model)

    def save_cache(self, cache_dir: Path, source_key: str | None = None) -> bool:
        """Save the index where ``from_articles(self.articles, cache_dir=...)`` will load it
        (or ``from_cache(cache_dir, source_key)``, given the key of the source that now holds
        exactly these articles).

        So a restart after ``added`` loads instead of rebuilding. An engine that has removed
        articles is not saved (its index still numbers them; the next build leaves them out), and
        False is returned.
        """
        if len(self._index.articles) != len(self._index.numbered):
            return False
        weights = self._index.weights
        key = (
            _cache_key(list(self._index.articles), weights)
            if source_key is None
            else _source_key(source_key, weights)
        )
        store(cache_dir, key, self._index)
        return True

    @property
    def articles(self) -> Sequence[Article]:
        """The served articles in order; read from the index cache, each is decoded when read."""
        return self._index.articles

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The served articles' ids in order, without decoding any text."""
        return article_ids(self._index.articles)

    @property
    def sentence_count(self) -> int:
        return self._index.sentence_count

    def article(self, article_id: str) -> Article:
        """The article with this id; raises ``KeyError`` when there is none."""
        return self._index.numbered[self._by_id[article_id]]

    @answering
    def answer(
        self,
        question: str,
        *,
        top_k: int = 3,
        offset: int = 0,
        today: date | None = None,
        published: DateRange | None = None,
        recency: RecencyPreference | None = None,
        article_ids: Collection[str] | None = None,
        excluded_article: str | None = None,
    ) -> Answer:
        """The best ``top_k`` quotes after the first ``offset`` ones, or an abstention.

        With ``today``, time words in the question («أمس»، «في نوفمبر 2024») restrict the search to
        articles published then, and only the rest of the question is searched. ``published``
        restricts it explicitly (it wins over time words); either way undated articles cannot
        answer. ``recency`` prefers newer articles among near-equal quotes, by age before
        ``today`` (else before the newest article). ``article_ids`` searches only those articles.
        ``excluded_article`` (an id) answers as if that article had never been indexed: the
        leave-article-out evaluation of abstention.
        """
        if top_k < 1 or offset < 0:
            raise ValueError("top_k must be >= 1 and offset >= 0")
        text = question[:MAX_QUESTION_CHARS]
        if today is not None:
            found = parse_time_expression(text, today=today)
            if found is not None:
                text = found.remainder
                published = published or found.published
        analysed = analyse_question(self._index, text, self._aliases)
        excluded = None if excluded_article is None else self._by_id[excluded_article]
        places = PlaceNames.cldr(self._index.analyzer).named_in(analysed)
        missing = unmentioned(places, self._index, excluded_article=excluded)
        if missing:
            return Answer(
                question=question,
                abstain_reason="unknown_place",
                published=published,
                unknown_places=tuple(missing),
            )
        mask = self._article_mask(published, article_ids)
        if excluded is not None:
            mask = np.ones(len(self._index.articles), dtype=np.bool_) if mask is None else mask.copy()
            mask[excluded] = False
        # The learned re-ranker orders the best sentences of a question it can read (Arabic words).
        model = self._model if analysed.has_arabic else None
        candidates = self._index.search(
            analysed,
            limit=self._candidate_limit(reranked=model is not None, wanted=offset + top_k),
            article_mask=mask,
            article_bonus=self._recency_bonus(recency, today),
        )
        confidence = None
        screened = False
        known = None
        if model is not None and candidates:
            candidates, confidence, known = self._rerank(model, analysed, candidates, excluded)
            if confidence < model.threshold:
                return Answer(
                    question=question, abstain_reason="weak_match", published=published, confidence=confidence
                )
            screened = True
        answer = compose_answer(
            self._index,
            analysed,
            candidates,
            self._policy,
            top_k=top_k,
            offset=offset,
            screened=screened,
            known=known,
        )
        return replace(answer, question=question, published=published, confidence=confidence)

    def _candidate_limit(self, *, reranked: bool, wanted: int) -> int:
        """How many of the search's best sentences composition may read for ``wanted`` quotes.

        Re-ranked, only the re-ranked ones can be quoted while the policy has a relative floor
        (those below score 0, see ``_rerank``): the search then picks no more (the search's best
        ``n`` are the first ``n`` of its best ``m > n``, ties broken by position).
        """
        limit = max(_MIN_CANDIDATES, 5 * wanted)
        if reranked and self._policy.relative_floor > 0.0:
            return min(limit, RERANK_DEPTH)
        return limit

    def _rerank(
        self, model: RankingModel, question: Question, candidates: list[Candidate], excluded: int | None
    ) -> tuple[list[Candidate], float, KnownWords]:
        """The candidates in the model's order (scores relative to the best; those below the re-ranked
        ones left out when the policy's floor keeps composition from reading them), the answer
        probability, and the words of the sentences read to rank them (composition reads them again)."""
        top = candidates[:RERANK_DEPTH]
        words = self._features.question_words(question, excluded_article=excluded)
        features, known = self._features.candidates_and_words(words, question, top)
        scores = model.ranker.score(features)
        confidence = model.answer_probability(self._features.question(words, top, features, scores, known))
        # The caller's per-article bonus (a recency preference) is added after the model, on the
        # scale of a share of the best, so that it orders near-ties as it does in the search.
        relative = np.exp((scores - scores.max()) / _RANK_TEMPERATURE)
        relative += np.array([candidate.article_bonus for candidate in top])
        order = np.argsort(-relative, kind="stable")
        # The order is the model's; a candidate stays above the policy's relative floor when the
        # model or the search finds it close to the best (the search alone cut quotes, and the
        # other outlets' wording of one fact, that the model ranks a little lower). Scores are
        # kept non-increasing along the order, as composition expects.
        searched = np.array([candidate.score for candidate in top]) / max(top[0].score, 1e-9)
        ranked = []
        floor = np.inf
        relatives, searches = relative.tolist(), searched.tolist()
        for i in order.tolist():
            floor = min(floor, max(relatives[i], searches[i]))
            ranked.append(top[i].rescored(floor))
        if self._policy.relative_floor * ranked[0].score > 0.0:
            # Composition stops at the first candidate below the floor: those below the re-ranked
            # ones (scored 0) would never be read.
            return ranked, confidence, known
        return ranked + [c.rescored(0.0) for c in candidates[RERANK_DEPTH:]], confidence, known

    def _publication_days(self) -> FloatArray:
        """Each article's publication day as a day number (NaN when undated), by article number
        (removed articles included: masks are indexed by number), computed once per article list."""
        articles = self._index.numbered
        if self._days_of is not articles:
            days = (published_day(day) for day in published_dates(articles))
            self._days = np.array(
                [np.nan if day is None else float(day.toordinal()) for day in days], dtype=np.float64
            )
            self._days_of = articles
        return self._days

    def _article_mask(
        self, published: DateRange | None, article_ids: Collection[str] | None
    ) -> BoolArray | None:
        if published is None and article_ids is None:
            return None
        mask = np.ones(len(self._index.numbered), dtype=np.bool_)
        if published is not None:
            days = self._publication_days()
            # NaN (undated) compares False: an undated article is never in a date range.
            mask &= (days >= published.first.toordinal()) & (days <= published.last.toordinal())
        if article_ids is not None:
            wanted = np.zeros_like(mask)
            wanted[[self._by_id[i] for i in article_ids if i in self._by_id]] = True
            mask &= wanted
        return mask

    def _recency_bonus(self, recency: RecencyPreference | None, today: date | None) -> FloatArray | None:
        if recency is None or recency.weight == 0:
            return None
        days = self._publication_days()
        # A batch of questions (``newsbot ask``, the bot) asks with the same preference and day:
        # the bonus over every article is computed once for them (read-only, as the search reads it).
        remembered = self._bonus
        if remembered is not None and remembered[0] is days and remembered[1:3] == (recency, today):
            return remembered[3]
        bonus = None
        if not np.isnan(days).all():  # else nothing is dated (ARCD): nothing to prefer
            origin = float(today.toordinal()) if today is not None else float(np.nanmax(days))
            bonus = recency.bonus(origin - days)
            bonus.flags.writeable = False
        self._bonus = (days, recency, today, bonus)
        return bonus

    def context(
        self, article_id: str, first_sentence: int, last_sentence: int, *, window: int = 2
    ) -> tuple[Sentence, ...]:
        """The sentences ``first..last`` of an article with ``window`` more on each side."""
        article_number = self._by_id[article_id]
        positions = self._index.sentences_of(article_number)
        low = max(0, first_sentence - window)
        high = min(len(positions) - 1, last_sentence + window)
        return tuple(self._index.sentence(positions[i]) for i in range(low, high + 1))
