"""Question words of Modern Standard Arabic and the dialects, and the kind of answer they ask for.

A question's interrogative tells what its answer looks like (a date, a number, a place, a
person, a reason) but is never in the answer's sentence, so it is dropped from the question's
content words and kept as its ``QuestionKind``. Dialect questions («امتى بوتين راح
كازاخستان؟», «ليه...», «فين...») also carry fillers («يعني», «لو سمحت») that would otherwise
rank as rare, hence weighty, words.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Final

from retrieval.normalize import normalize_arabic


class QuestionKind(Enum):
    """What a question asks for, read from its question word."""

    TIME = "time"  # متى، امتى، في أي عام / سنة / يوم ...
    NUMBER = "number"  # كم، بكم، قديش، ما عدد / نسبة ...
    PLACE = "place"  # أين، فين، وين
    PERSON = "person"  # من / مين, when it opens the question
    REASON = "reason"  # لماذا، ليه، ليش، ما سبب
    OTHER = "other"

    @property
    def wants_number(self) -> bool:
        """True when the answer is likely a number or a date (a sentence holding one is favoured)."""
        return self in (QuestionKind.TIME, QuestionKind.NUMBER)


def _words(raw: str) -> frozenset[str]:
    return frozenset(normalize_arabic(word) for word in raw.split())


# Interrogatives by kind: MSA first, then Egyptian, Levantine, Gulf/Iraqi and Maghrebi forms.
_KIND_WORDS: Final[dict[QuestionKind, frozenset[str]]] = {
    QuestionKind.TIME: _words("متى امتى إمتى ايمتى إيمتى امتا ايمتا وقتاش فوقاش إيمتا"),
    QuestionKind.NUMBER: _words("كم بكم كام بكام قديش أديش اديش قداش شحال بقديش"),
    QuestionKind.PLACE: _words("أين اين فين وين وينه وينها فاين منين لوين"),
    QuestionKind.PERSON: _words("مين منو شكون"),
    QuestionKind.REASON: _words("لماذا ليه ليش ليشن علاش لويش"),
}
# Phrases that ask for a kind without a dedicated interrogative ("in which year", "what is the
# number of"), matched on the normalised question.
_WHAT = r"(?:ما|ماهو|ماهي|ما هو|ما هي)"
_PHRASES: Final[dict[QuestionKind, re.Pattern[str]]] = {
    QuestionKind.TIME: re.compile(
        r"(?:^|\s)(?:في |ب|من |منذ )?(?:اي|ايه) (?:عام|سنه|تاريخ|يوم|شهر|قرن|وقت|فتره|عقد)(?:\s|$)"
        rf"|(?:^|\s){_WHAT} (?:تاريخ|موعد)(?:\s|$)"
    ),
    QuestionKind.NUMBER: re.compile(
        rf"(?:^|\s){_WHAT} (?:عدد|نسبه|مساحه|طول|عرض|ارتفاع|عمق|وزن|سعر|قيمه|حجم|مده|كميه|سرعه|مقدار)(?:\s|$)"
    ),
    QuestionKind.PLACE: re.compile(
        r"(?:^|\s)(?:في|ب|الي|من) (?:اي|ايه) (?:مدينه|دوله|بلد|منطقه|مكان|قاره|ولايه|جزيره)(?:\s|$)"
    ),
    QuestionKind.REASON: re.compile(rf"(?:^|\s){_WHAT} (?:سبب|اسباب|دافع)(?:\s|$)|^لم "),
    QuestionKind.PERSON: re.compile(r"(?!x)x"),  # only by its opening word
}
# "من" also means "from": it asks for a person only when it opens the question.
_ASKS_FOR_PERSON: Final = re.compile(r"^(?:و|ف)?(?:من|مين)(?:\s|$)")

# Interrogatives and fillers of every kind: not content words of a question.
QUESTION_WORDS: Final[frozenset[str]] = frozenset().union(*_KIND_WORDS.values()) | _words(
    """
    ماذا ما ماهو ماهي هل أ أي اي أية اية كيف كيفاش ازاي إزاي ازاى إيه ايه ايش إيش اش شو شنو شنهو
    وش ويش شلون شنو اشنو واش ياترى ترى
    يعني طيب بس لو سمحت سمحتو فضلك فضلكم ممكن رجاء أرجو ارجو أخبرني اخبرني قولي قلي قل لي
    ابغى ابي بدي عايز عاوز حابب اعرف أعرف نعرف تعرف تعرفوا
    هلق هلأ دلوقتي دلوقت الحين
    """
)


def question_kind(question: str) -> QuestionKind:
    """What ``question`` asks for.

    "When" and "how many" count wherever they stand as a word, even after another question word
    ("ما هو ... ومنذ متى"): the earliest of them decides. Otherwise "who" when the question
    opens with it, else the first place or reason word.
    """
    normalized = " ".join(re.findall(r"\w+", normalize_arabic(question)))
    words = normalized.split()
    found: list[tuple[int, QuestionKind]] = []
    for kind in (QuestionKind.TIME, QuestionKind.NUMBER):
        found += [(m.start(), kind) for m in _PHRASES[kind].finditer(normalized)]
        offset = 0
        for word in words:
            if word in _KIND_WORDS[kind]:
                found.append((offset, kind))
            offset += len(word) + 1
    if found:
        return min(found, key=lambda start_kind: start_kind[0])[1]
    if _ASKS_FOR_PERSON.search(normalized):
        return QuestionKind.PERSON
    for kind in (QuestionKind.PLACE, QuestionKind.REASON, QuestionKind.PERSON):
        if _PHRASES[kind].search(normalized) or any(word in _KIND_WORDS[kind] for word in words):
            return kind
    return QuestionKind.OTHER
