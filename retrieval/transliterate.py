"""Latin names in Arabic letters: the consonant spellings an Arabic outlet may give a Latin name.

Arabic news writes a foreign name by its consonants and long vowels, and outlets disagree on
the vowels and on a few consonants (Google: غوغل/جوجل; t: ت/ط). The analyzer's ``skeleton`` field
drops the long vowels after a word's first letter, so only the consonants need guessing: each
Latin letter or digraph maps to the Arabic consonants it is commonly written with, vowels and
glides inside a word are dropped (the skeleton drops them too), and a vowel that opens the
word becomes ا or ع. The caller keeps only the spellings whose skeleton the corpus holds.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Final

_VOWELS: Final = frozenset("aeiou")
_FRONT_VOWELS: Final = frozenset("eiy")
# Digraphs first: they are read before their letters.
_DIGRAPHS: Final[dict[str, tuple[str, ...]]] = {
    "sh": ("ش",),
    "ch": ("تش", "ش", "ك"),
    "kh": ("خ",),
    "gh": ("غ",),
    "th": ("ث", "ت"),
    "ph": ("ف",),
    "ck": ("ك",),
    "qu": ("ك", "ق"),
    "zh": ("ج", "ز"),
}
_LETTERS: Final[dict[str, tuple[str, ...]]] = {
    "b": ("ب",),
    "d": ("د",),
    "f": ("ف",),
    "j": ("ج",),
    "k": ("ك",),
    "l": ("ل",),
    "m": ("م",),
    "n": ("ن",),
    "p": ("ب",),
    "q": ("ك", "ق"),
    "r": ("ر",),
    "s": ("س",),
    "t": ("ت", "ط"),
    "v": ("ف",),
    "x": ("كس",),
    "z": ("ز",),
}
# At most this many spellings per word: ambiguous letters multiply them.
MAX_SPELLINGS: Final = 64
_LATIN_WORD = re.compile(r"[a-z]+")


def latin_letters(word: str) -> str | None:
    """``word`` lowercased with accents removed (Erdoğan -> erdogan), or None if it is not a Latin word."""
    folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii").lower()
    return folded if _LATIN_WORD.fullmatch(folded) else None


def arabic_consonants(word: str) -> tuple[str, ...]:
    """Arabic consonant spellings of the Latin ``word`` (already lowercase ASCII), most likely first."""
    options: list[tuple[str, ...]] = []
    position = 0
    previous = ""
    while position < len(word):
        pair = word[position : position + 2]
        letter = word[position]
        following = (
            word[position + 2 : position + 3] if pair in _DIGRAPHS else word[position + 1 : position + 2]
        )
        if pair in _DIGRAPHS:
            choices, step, unit = _DIGRAPHS[pair], 2, pair
        else:
            choices, step, unit = _letter(letter, following, first=position == 0), 1, letter
        if unit != previous:  # a doubled letter is one letter (with shadda) in Arabic
            options.append(choices)
        previous = unit
        position += step
    spellings = ("".join(parts) for parts in itertools.product(*options))
    return tuple(
        dict.fromkeys(spelling for spelling in itertools.islice(spellings, MAX_SPELLINGS) if spelling)
    )


def _letter(letter: str, following: str, *, first: bool) -> tuple[str, ...]:
    if letter in _VOWELS:
        return ("ا", "ع") if first else ("",)
    if letter == "c":
        return ("س",) if following in _FRONT_VOWELS else ("ك",)
    if letter == "g":
        return ("ج", "غ") if following in _FRONT_VOWELS else ("غ", "ج", "ك", "ق")
    if letter == "h":
        return ("ه", "ح") if first else ("", "ح")
    if letter == "w":
        return ("و",) if first else ("",)
    if letter == "y":
        return ("ي",) if first else ("",)
    return _LETTERS.get(letter, ("",))
