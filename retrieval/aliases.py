"""Latin words in an Arabic question, searched as written and as the corpus spells them in Arabic.

A reader types «ما هو دور Rosatom في كازاخستان؟» while the articles say «روساتوم». Each Latin word
of a question is looked up in an :class:`AliasTable` (a small table of news names and acronyms
shipped in ``retrieval/data/aliases.tsv``, which a caller can grow with ``with_aliases``); a name
the table lacks is transliterated (``retrieval.transliterate``) and matched against the corpus
through the ``skeleton`` field. Only spellings the corpus holds are added, as other spellings of
the same question word: they are searched, highlighted and count for that word's coverage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Protocol

from retrieval.analyzer import ArabicAnalyzer, FieldTerms, Question
from retrieval.transliterate import arabic_consonants, latin_letters

# A transliterated skeleton this short (نت, بك) matches too many unrelated words to trust;
# short acronyms belong in the table.
MIN_TRANSLITERATED_LETTERS = 3


class Vocabulary(Protocol):
    """What respelling needs from the index: whether the corpus holds a term."""

    def holds_term(self, field: str, term: str) -> bool:
        """True when some sentence holds ``term`` in the analysis field named ``field``."""
        ...


@dataclass(frozen=True, slots=True)
class AliasTable:
    """Latin names and acronyms (lowercase, unaccented) -> their Arabic spellings, most common first."""

    spellings: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def bundled(cls) -> AliasTable:
        """The table shipped with the library (``retrieval/data/aliases.tsv``), read once."""
        return _bundled()

    @classmethod
    def parse(cls, text: str, *, name: str = "aliases") -> AliasTable:
        """A table from ``LATIN<TAB>SPELLING[|SPELLING...]`` lines; ``#`` starts a comment line.

        Raises ``ValueError`` naming ``name`` and the line for a line that is not of that form.
        """
        pairs: list[tuple[str, tuple[str, ...]]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            latin, tab, arabic = line.partition("\t")
            spellings = [spelling.strip() for spelling in arabic.split("|") if spelling.strip()]
            if not tab or not latin.strip() or not spellings:
                raise ValueError(f"{name}, line {number}: expected LATIN<TAB>ARABIC[|ARABIC...]")
            try:
                pairs += cls().with_aliases((latin, spelling) for spelling in spellings).spellings.items()
            except ValueError as error:
                raise ValueError(f"{name}, line {number}: {error}") from error
        return cls().with_aliases((latin, spelling) for latin, spellings in pairs for spelling in spellings)

    def with_aliases(self, aliases: Mapping[str, str] | Iterable[tuple[str, str]]) -> AliasTable:
        """A new table with these ``(latin, arabic)`` pairs added after the spellings already known.

        Raises ``ValueError`` when a Latin side is not one Latin word or an Arabic side not one word.
        """
        merged = {latin: list(spellings) for latin, spellings in self.spellings.items()}
        for latin, arabic in aliases.items() if isinstance(aliases, Mapping) else aliases:
            key = latin_letters(latin.strip())
            if key is None:
                raise ValueError(f"not one Latin word: {latin!r}")
            if len(arabic.split()) != 1:
                raise ValueError(f"not one word: {arabic!r}")
            known = merged.setdefault(key, [])
            if arabic.strip() not in known:
                known.append(arabic.strip())
        return AliasTable(MappingProxyType({key: tuple(values) for key, values in merged.items()}))

    def lookup(self, word: str) -> tuple[str, ...]:
        """The Arabic spellings of the Latin ``word`` (any case, accents ignored), or ()."""
        key = latin_letters(word)
        return self.spellings.get(key, ()) if key is not None else ()


@cache
def _bundled() -> AliasTable:
    data = resources.files("retrieval") / "data" / "aliases.tsv"
    return AliasTable.parse(data.read_text(encoding="utf-8"), name="retrieval/data/aliases.tsv")


def respell_latin_words(
    question: Question, table: AliasTable, analyzer: ArabicAnalyzer, vocabulary: Vocabulary
) -> Question:
    """``question`` with the Arabic spellings the corpus uses for its Latin words, if any.

    The table's spellings come first; a word the table does not know, or whose table spellings
    the corpus never uses, is transliterated and kept where the corpus holds that skeleton.
    """
    alternatives: dict[int, list[FieldTerms]] = {}
    for number, word in enumerate(question.words):
        latin = latin_letters(word.word)
        if latin is None:
            continue
        found = [
            terms
            for spelling in table.lookup(latin)
            if (terms := analyzer.one_content_word(spelling)) is not None
            and (
                vocabulary.holds_term("word", terms.word) or vocabulary.holds_term("skeleton", terms.skeleton)
            )
        ]
        if not found:
            found = [
                terms
                for spelling in arabic_consonants(latin)
                if (terms := analyzer.one_content_word(spelling)) is not None
                and len(terms.skeleton) >= MIN_TRANSLITERATED_LETTERS
                and vocabulary.holds_term("skeleton", terms.skeleton)
            ]
        if found:
            alternatives[number] = list(dict.fromkeys(found))
    return question.respelled(alternatives) if alternatives else question
