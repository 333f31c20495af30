"""Hostile text for the fuzz suite: Arabic words mixed with what breaks text handling.

Right-to-left and isolate controls, combining marks and tatweel, emoji with skin tones, ZWJ and
flags, NUL and other controls, lone surrogates (a Python ``str`` can hold them: a JSON ``"\\ud800"``
escape decodes to one), HTML markup and entities, sentence punctuation, and any code point at all.
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

ARABIC_WORDS = (
    "متى", "وصل", "بوتين", "إلى", "كازاخستان", "اليورانيوم", "نسبة", "إنتاج", "الرئيس", "الروسي",
    "أستانا", "قال", "وأضاف", "هذا", "التي", "في", "من", "على", "عام", "٢٠٢٤", "2024", "27.5", "د.",
    "مئة", "ألف", "زائر", "المعرض", "الكتاب", "الرباط", "لماذا", "كم", "أين", "من", "هو", "ما",
)  # fmt: skip
SPECIALS = (
    "\u200f", "\u200e", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
    "\u2069", "\u200c", "\u200d", "\ufeff", "\u061c",  # direction, joiners, BOM, Arabic letter mark
    "\u064b", "\u064e", "\u0650", "\u0651", "\u0652", "\u0670", "\u0301", "\u0640",  # combining, tatweel
    "😀", "👍🏽", "👨‍👩‍👧", "🇸🇦", "🕌",  # emoji
    "\x00", "\x07", "\x1b", "\x7f", "\u0085", "\u2028", "\u2029",  # controls and odd line breaks
    "\ud800", "\udfff", "\ud83d", "\ude00",  # lone surrogates
    "<", ">", "&", '"', "'", "<b>", "</b>", '<a href="x">', "</a>", "&amp;", "&lt;", "&#0;", "&#xD800;",
    "<br>", "<tg-spoiler>", "<blockquote>", "</blockquote>", "<script>", "]]>",  # markup
    "\n", "\r\n", "\t", " ", "  ", "؟", "?", ".", "!", "…", "،", "؛", ":", "«", "»", '"', "(", ")",
    "٣", "۴", "https://example.com/a?b=1&c=<d>", "javascript:alert(1)",
)  # fmt: skip

piece = st.one_of(
    st.sampled_from(ARABIC_WORDS),
    st.sampled_from(SPECIALS),
    st.characters(exclude_categories=()),  # any code point, surrogates included
    st.text(alphabet=st.characters(exclude_categories=()), max_size=4),
)


@functools.cache
def hostile_text(*, max_pieces: int = 40) -> st.SearchStrategy[str]:
    """Text made of ``piece``s, sometimes separated by spaces (words), sometimes glued.

    Cached: composite strategies call this per example, and a new strategy is validated anew.
    """
    pieces = st.lists(piece, max_size=max_pieces)
    return st.one_of(pieces.map(" ".join), pieces.map("".join))


def large_texts() -> list[str]:
    """A few 100,000-character inputs: one long line, many sentences, hostile pieces, one repeated mark."""
    sentence = "وصل الرئيس الروسي بوتين إلى أستانا عاصمة كازاخستان في زيارة رسمية. "
    hostile = "".join(SPECIALS) + " ".join(ARABIC_WORDS)
    return [
        ("كلمة" * 25_000)[:100_000],
        (sentence * (100_000 // len(sentence) + 1))[:100_000],
        (hostile * (100_000 // len(hostile) + 1))[:100_000],
        "\u200f" * 100_000,
        ("<b>&amp;" * 12_500)[:100_000],
    ]
