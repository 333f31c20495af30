"""Arabic orthographic normalisation used for matching (never for quoting).

Outlets and writers differ in hamza seats, ta marbuta, alef maqsura, diacritics and
digit forms; folding them lets a question in one spelling find text in another.
"""

from __future__ import annotations

import re
import unicodedata

# Tashkeel (fathatan .. sukun and the extended marks), superscript alef, tatweel.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Invisible format characters (ZWNJ, ZWJ, LRM, RLM, bidi embeddings and isolates).
_FORMAT_CHARS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

_LETTER_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",  # Farsi yeh
        "ک": "ك",  # Farsi kaf
        "ؤ": "و",
        "ئ": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)


# Both kinds of dropped characters in one pass: dropping a character does not depend on its neighbours.
_DROPPED = re.compile(f"{_FORMAT_CHARS.pattern}|{_DIACRITICS.pattern}")
# ``_LETTER_MAP`` as replacements: no letter is folded into one that is folded again, so replacing
# one variant after another is ``translate``, which looks every character up in a dict (a sentence
# took ~18 us; the re-ranker folds thirty candidates a question, and the build every word).
_LETTER_FOLDS = tuple((chr(code), folded) for code, folded in _LETTER_MAP.items())


def normalize_arabic(text: str) -> str:
    """Fold spelling variants: NFKC, no diacritics or tatweel, one alef, ه for ة, ي for ى, ASCII digits."""
    text = _DROPPED.sub("", unicodedata.normalize("NFKC", text))
    for variant, folded in _LETTER_FOLDS:
        if variant in text:
            text = text.replace(variant, folded)
    return text.lower()


# Arabic, Arabic Supplement, Arabic Extended-A, and the presentation forms old sites still emit.
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def is_arabic_letter(char: str) -> bool:
    """True for a letter of the Arabic script (any of its Unicode blocks); digits and marks are not letters."""
    if not char.isalpha():
        return False
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_RANGES)


def _letter_class(ranges: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    """One character class of exactly the letters (``str.isalpha``) of ``ranges``, as runs."""
    runs: list[str] = []
    for low, high in ranges:
        code = low
        while code <= high:
            if chr(code).isalpha():
                first = code
                while code + 1 <= high and chr(code + 1).isalpha():
                    code += 1
                runs.append(f"{re.escape(chr(first))}-{re.escape(chr(code))}")
            code += 1
    return re.compile("[" + "".join(runs) + "]")


# Found in C: a build asks this of every distinct word it remembers (~200k at 1M sentences).
_ARABIC_LETTER_CHAR = _letter_class(_ARABIC_RANGES)


def has_arabic(text: str) -> bool:
    """True when ``text`` holds at least one Arabic letter: the one test of "is this Arabic" in the project."""
    return _ARABIC_LETTER_CHAR.search(text) is not None


def arabic_ratio(text: str) -> float:
    """The share of letters in ``text`` that are Arabic letters (0.0 when it has no letters)."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for char in letters if is_arabic_letter(char)) / len(letters)
