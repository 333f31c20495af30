"""Small talk: a message that is only a greeting or thanks, not a question about the news.

Matched on the whole message (normalised, punctuation and emoji dropped, a trailing «يا بوت»
allowed), so «شكرا، ماذا قال بوتين؟» is still a question.
"""

from __future__ import annotations

import enum
import re
from typing import Final

from retrieval import normalize_arabic


class SmallTalk(enum.Enum):
    GREETING = "greeting"
    THANKS = "thanks"


# Normalised phrases (normalize_arabic: no tashkeel or tanween, ا for أإآ, ه for ة, ي for ى).
_PHRASES: Final[dict[str, SmallTalk]] = {
    **dict.fromkeys(
        (
            "مرحبا",
            "مرحبا بك",
            "مرحبتين",
            "اهلا",
            "اهلين",
            "اهلا وسهلا",
            "اهلا بك",
            "السلام عليكم",
            "السلام عليكم ورحمه الله",
            "السلام عليكم ورحمه الله وبركاته",
            "سلام",
            "سلام عليكم",
            "وعليكم السلام",
            "صباح الخير",
            "صباح النور",
            "مساء الخير",
            "مساء النور",
            "هاي",
            "هلا",
            "كيف حالك",
            "كيفك",
        ),
        SmallTalk.GREETING,
    ),
    **dict.fromkeys(
        (
            "شكرا",
            "شكرا جزيلا",
            "شكرا لك",
            "شكرا لكم",
            "شكرا كثيرا",
            "الف شكر",
            "مشكور",
            "تسلم",
            "تسلم ايدك",
            "تسلمي",
            "يعطيك العافيه",
            "جزاك الله خيرا",
            "بارك الله فيك",
            "ممتاز",
            "رائع",
        ),
        SmallTalk.THANKS,
    ),
}
# A vocative after the greeting («شكرا يا بوت», «مرحبا يا صديقي») does not make it a question.
_VOCATIVE = re.compile(r"\s+يا\s+\S+$")
_NOT_WORD = re.compile(r"[^\w\s]+")


def small_talk(text: str) -> SmallTalk | None:
    """The kind of small talk ``text`` is, or None when it says anything more."""
    plain = " ".join(_NOT_WORD.sub(" ", normalize_arabic(text)).split())
    plain = _VOCATIVE.sub("", plain)
    return _PHRASES.get(plain)
