"""The analyzer's known content words, written with an index and read back when it is loaded.

Analysing a word (Snowball stem, ISRI root) costs about 50 µs; the re-ranker reads the words of
about 90 candidate sentences a question, so a restarted process that had forgotten the corpus
words would analyse some 300 of them per question. The file is UTF-8 text, one word a line:
its surface, then its terms per field (``FIELDS`` order), separated by tabs. Surfaces and terms
are runs of letters, digits and marks (``ArabicAnalyzer`` tokens), so they hold neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from retrieval.analyzer import FIELDS, Fields, FieldTerms
from retrieval.errors import IndexFormatError

FILE_NAME: Final = "known_words.tsv"


def save_known_words(directory: Path, words: Iterable[tuple[str, FieldTerms]]) -> None:
    """Write ``words`` (surface, terms) to ``directory``, in their order."""
    text = "".join("\t".join((surface, *terms)) + "\n" for surface, terms in words)
    (directory / FILE_NAME).write_text(text, encoding="utf-8")


class KnownWords:
    """Words saved by ``save_known_words``, each parsed only when an analyzer first meets it.

    Loading only splits lines into a dict (a restart reads some 200,000 words at a million
    sentences; building their records up front would cost about a second). A word taken is
    dropped here, as the analyzer's memo keeps it from then on.
    """

    def __init__(self, directory: Path) -> None:
        try:
            text = (directory / FILE_NAME).read_text(encoding="utf-8")
            lines = text.splitlines()
            self._terms = dict(line.split("\t", 1) for line in lines)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise IndexFormatError(f"unreadable known words in {directory}: {error}") from error
        if text.count("\t") != len(FIELDS) * len(lines):
            raise IndexFormatError(f"malformed known words in {directory}")

    def __len__(self) -> int:
        return len(self._terms)

    def take(self, surface: str) -> FieldTerms | None:
        """The terms of ``surface``, or None when it was not saved (or was taken already)."""
        terms = self._terms.pop(surface, None)
        return None if terms is None else Fields(*terms.split("\t"))

    def remaining(self) -> Iterator[tuple[str, FieldTerms]]:
        """The words not taken yet, in their saved order."""
        for surface, terms in list(self._terms.items()):
            yield surface, Fields(*terms.split("\t"))
