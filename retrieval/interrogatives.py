"""Question words of Modern Standard Arabic and the dialects, and the kind of answer they ask for.

A question's interrogative tells what its answer looks like (a date, a number, a place, a
person, a reason) but is never in the answer's sentence, so it is dropped from the question's
content words and kept as its ``QuestionKind``. Dialect questions («امتى بوتين راح
كازاخستان؟», «ليه...», «فين...») also carry fillers («يعني», «لو سمحت») that would otherwise
rank as rare, hence weighty, words.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

from retrieval.normalize import normalize_arabic


class QuestionKind(StrEnum):
    """What the answer to a question is: the re-ranker checks the sentence holds one."""

    TIME = "time"
    NUMBER = "number"
    PLACE = "place"
    PERSON = "person"
    REASON = "reason"
    OTHER = "other"


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
_KIND_PHRASES: Final = (
    (
        QuestionKind.TIME,
        re.compile(
            r"(?:^|\s)(?:في |ب|من |منذ )?(?:اي|اية) (?:عام|سنه|تاريخ|يوم|شهر|قرن|وقت|فتره|عقد)"
            r"|(?:^|\s)(?:ما|ماهو|ماهي|ما هو|ما هي) (?:تاريخ|موعد|سنه|عام)"
        ),
    ),
    (
        QuestionKind.NUMBER,
        re.compile(
            r"(?:^|\s)(?:ما|ماهو|ماهي|ما هو|ما هي) (?:عدد|نسبه|مساحه|طول|عرض|ارتفاع|عمق|وزن|سعر|قيمه|"
            r"حجم|مدة|مده|كميه|سرعه|درجه|مقدار)"
        ),
    ),
    (
        QuestionKind.PLACE,
        re.compile(r"(?:^|\s)(?:في|ب|الي|من) (?:اي|اية) (?:مدينه|دوله|بلد|منطقه|مكان|قاره|ولايه|جزيره)"),
    ),
    (
        QuestionKind.REASON,
        re.compile(r"(?:^|\s)(?:ما|ماهو|ماهي|ما هو|ما هي) (?:سبب|اسباب|دافع)|^لم "),
    ),
)
# "من" also means "from": it asks for a person only when it opens the question.
_ASKS_FOR_PERSON: Final = re.compile(r"^(?:و|ف)?(?:من|مين)(?:\s|$)")

# Interrogatives and fillers of every kind: not content words of a question.
QUESTION_WORDS: Final[frozenset[str]] = frozenset().union(*_KIND_WORDS.values()) | _words(
    """
    ماذا ما ماهو ماهي هل أ أي اي أية اية كيف كيفاش ازاي إزاي ازاى إيه ايه ايش إيش اش شو شنو شنهو
    وش ويش شلون شنو اشنو واش ياترى ترى
    يعني طيب بس لو سمحت سمحتو فضلك فضلكم ممكن رجاء أرجو ارجو أخبرني اخبرني قولي قلي قل لي
    ابغى ابي بدي عايز عاوز حابب اعرف أعرف نعرف تعرف تعرفوا
    """
)


def question_kind(question: str) -> QuestionKind:
    """The kind of answer ``question`` asks for, from its interrogative; OTHER when unclear."""
    normalised = " ".join(re.findall(r"\w+", normalize_arabic(question)))
    for kind, pattern in _KIND_PHRASES:
        if pattern.search(normalised):
            return kind
    for word in normalised.split():
        for kind, words in _KIND_WORDS.items():
            if word in words:
                return kind
    if _ASKS_FOR_PERSON.search(normalised):
        return QuestionKind.PERSON
    return QuestionKind.OTHER
