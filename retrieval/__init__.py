"""Arabic news retrieval: analysis, sentence segmentation, BM25 search and answer composition.

A pure library: no Telegram, no settings, no I/O at import time.
"""

from retrieval.bm25_index import BM25Index, BM25Params, IndexFormatError
from retrieval.index_cache import content_key, load_or_build
from retrieval.records import Answer, Article, Citation, Quote, Sentence

__all__ = [
    "Answer",
    "Article",
    "BM25Index",
    "BM25Params",
    "Citation",
    "IndexFormatError",
    "Quote",
    "Sentence",
    "content_key",
    "load_or_build",
]
