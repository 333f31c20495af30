"""Arabic news retrieval: analysis, sentence segmentation, BM25 search and answer composition.

A pure library: no Telegram, no settings, no I/O at import time.
"""

from retrieval.analyzer import ArabicAnalyzer
from retrieval.compose import AnswerPolicy
from retrieval.corpus import CorpusLoad, LoadProblem, load_corpus
from retrieval.engine import MAX_QUESTION_CHARS, AnswerEngine
from retrieval.errors import CorpusError, EmptyCorpusError, RetrievalError
from retrieval.normalize import normalize_arabic
from retrieval.records import Answer, Article, Citation, Quote, Sentence
from retrieval.search import SearchWeights
from retrieval.segment import segment_sentences

__all__ = [
    "MAX_QUESTION_CHARS",
    "Answer",
    "AnswerEngine",
    "AnswerPolicy",
    "ArabicAnalyzer",
    "Article",
    "Citation",
    "CorpusError",
    "CorpusLoad",
    "EmptyCorpusError",
    "LoadProblem",
    "Quote",
    "RetrievalError",
    "SearchWeights",
    "Sentence",
    "load_corpus",
    "normalize_arabic",
    "segment_sentences",
]
