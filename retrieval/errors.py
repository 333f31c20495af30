"""Errors raised by the retrieval library.

    RetrievalError
     └── CorpusError          the corpus cannot be used as a whole
          └── EmptyCorpusError  nothing indexable was found

Problems with single files or lines are not errors: they are returned as
``LoadProblem`` records so one bad article never hides the good ones.
"""

from __future__ import annotations


class RetrievalError(Exception):
    """Base class of every error raised by ``retrieval``."""


class CorpusError(RetrievalError):
    """The corpus path is missing or unusable."""


class EmptyCorpusError(CorpusError):
    """The corpus holds no article with indexable text."""
