"""Root-level terms: the field where derivations of one root meet.

Words derived from one root share few letters with each other as surface strings:
a verb, its participle and its verbal noun (صرح / مصرحا / تصريحات, يفاوض / مفاوضات) stem
to different Snowball stems. NLTK's ISRI root-extraction stemmer (Taghva et al. 2005,
Apache-2.0, pure Python, no data files) maps them to one root. Roots conflate far more than
stems (كتاب and مكتب meet), so the root field is weighted below the stem and word fields.

Compared on ARCD (README, "Quality"): ISRI and Tashaphyne's root extractor; ISRI was as
good or better and about ten times faster.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from nltk.stem.isri import ISRIStemmer

_ARABIC_WORD: Final = re.compile(r"[\u0621-\u064a]+")
_STEMMER: Final = ISRIStemmer()
# NLTK runs these three patterns through its ReDoS guard (the ``regex`` engine plus a timeout per
# call), which cost more than the rest of ISRI together (~25 us per word, most of the analysis of a
# big build). They are fixed character classes, linear in any engine, and match exactly the same
# in ``re``; the stemmer's output is unchanged.
_STEMMER.re_short_vowels = re.compile(r"[\u064B-\u0652]")
_STEMMER.re_hamza = re.compile(r"[\u0621\u0624\u0626]")
_STEMMER.re_initial_hamza = re.compile(r"^[\u0622\u0623\u0625]")
# Roots are at least three letters; shorter results are fragments of particles or names.
_MIN_ROOT_LETTERS: Final = 3


@lru_cache(maxsize=200_000)
def arabic_root(word: str) -> str:
    """The ISRI root of a normalised Arabic word, or the word itself when none is found.

    Cached: a corpus repeats its words, and ISRI is pure Python.
    """
    if not _ARABIC_WORD.fullmatch(word):
        return word
    root: str = _STEMMER.stem(word)
    return root if len(root) >= _MIN_ROOT_LETTERS else word
