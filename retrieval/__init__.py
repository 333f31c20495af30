"""Arabic news retrieval: analysis, sentence segmentation, BM25 search and answer composition.

A pure library: no Telegram, no settings, no I/O at import time.
"""

from retrieval.aliases import AliasTable
from retrieval.analyzer import ArabicAnalyzer, Fields, Question
from retrieval.bm25_index import BM25Index, BM25Params
from retrieval.compose import AnswerPolicy
from retrieval.corpus import CorpusLoad, LoadProblem, corpus_fingerprint, load_corpus
from retrieval.engine import MAX_QUESTION_CHARS, AnswerEngine
from retrieval.errors import (
    ArticleFileError,
    BadStatusError,
    BadURLError,
    BlockedAddressError,
    CorpusError,
    DecodeError,
    EmptyCorpusError,
    ExtractionError,
    FeedError,
    FetchError,
    FetchTimeoutError,
    IndexFormatError,
    ItemError,
    ModelFormatError,
    NoArticleError,
    NotArabicError,
    RetrievalError,
    StoreError,
    TooLargeError,
    TooManyRedirectsError,
    UnreachableError,
    UnsupportedContentError,
    UnsupportedFileError,
)
from retrieval.index_cache import content_key, load_or_build
from retrieval.interrogatives import QuestionKind
from retrieval.normalize import arabic_ratio, has_arabic, normalize_arabic
from retrieval.recency import RecencyPreference
from retrieval.records import Answer, Article, Citation, Quote, Sentence
from retrieval.rerank import RankingModel
from retrieval.search import SearchWeights
from retrieval.segment import segment_sentences
from retrieval.time_expressions import DateRange, TimeExpression, parse_time_expression, published_day

__all__ = [
    "MAX_QUESTION_CHARS",
    "AliasTable",
    "Answer",
    "AnswerEngine",
    "AnswerPolicy",
    "ArabicAnalyzer",
    "Article",
    "ArticleFileError",
    "BM25Index",
    "BM25Params",
    "BadStatusError",
    "BadURLError",
    "BlockedAddressError",
    "Citation",
    "CorpusError",
    "CorpusLoad",
    "DateRange",
    "DecodeError",
    "EmptyCorpusError",
    "ExtractionError",
    "FeedError",
    "FetchError",
    "FetchTimeoutError",
    "Fields",
    "IndexFormatError",
    "ItemError",
    "LoadProblem",
    "ModelFormatError",
    "NoArticleError",
    "NotArabicError",
    "Question",
    "QuestionKind",
    "Quote",
    "RankingModel",
    "RecencyPreference",
    "RetrievalError",
    "SearchWeights",
    "Sentence",
    "StoreError",
    "TimeExpression",
    "TooLargeError",
    "TooManyRedirectsError",
    "UnreachableError",
    "UnsupportedContentError",
    "UnsupportedFileError",
    "arabic_ratio",
    "content_key",
    "corpus_fingerprint",
    "has_arabic",
    "load_corpus",
    "load_or_build",
    "normalize_arabic",
    "parse_time_expression",
    "published_day",
    "segment_sentences",
]
