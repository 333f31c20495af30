"""Arabic news retrieval: analysis, sentence segmentation, BM25 search and answer composition.

A pure library: no Telegram, no settings, no I/O at import time.
"""

from retrieval.records import Answer, Article, Citation, Quote, Sentence

__all__ = ["Answer", "Article", "Citation", "Quote", "Sentence"]
