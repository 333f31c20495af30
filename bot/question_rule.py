"""Whether a text reads as a question: the rule for replies to the bot in groups.

In a group, people reply to the bot's answers to thank it or react («شكرا 👍», «تمام»); answering
those posts "not found" to everyone. A reply is taken as a question only when it asks something:
a question mark, an interrogative word (standard Arabic or dialect), or enough content words to be
a search on its own («زيارة بوتين إلى كازاخستان»).
"""

from __future__ import annotations

import re

from retrieval import normalize_arabic
from retrieval.stopwords import ARABIC_STOPWORDS

QUESTION_MARKS = frozenset("?؟")
# Enough words that are neither function words nor courtesy to stand as a search by themselves.
MIN_CONTENT_WORDS = 3


def _normalized(words: str) -> frozenset[str]:
    return frozenset(normalize_arabic(word) for word in words.split())


# Interrogatives that ask wherever they stand: standard Arabic, then Egyptian, Levantine, Gulf,
# Iraqi and Maghrebi forms («امتى» when, «فين/وين» where, «ازاي/شلون/كيفاش» how, «ليه/ليش/علاش» why…).
INTERROGATIVES = _normalized(
    "متى ماذا لماذا كيف أين هل كم بكم "
    "امتى إمتى فين منين ازاي إزاي إيه ليه اشمعنى كام "
    "شو ليش وين وينه شلون شنو شنهو ايش منو مين چم "
    "كيفاش علاش فاش وقتاش واش قديش"
)
# Words that ask only when they open the message: «من» and «ما» are also "from", "not" and "whoever".
OPENING_INTERROGATIVES = _normalized("من ما أي أية لمن ممن عمن بمن")
# Thanks, greetings, praise and agreement: talk among people, never a search. It includes the words
# of the set phrases that open with «ما» or «من» («ما شاء الله», «ما قصرت», «من ذوقك»).
COURTESY = _normalized(
    "شكرا جزيلا مشكور مشكورين تسلم تسلمي يسلمو يسلموا تسلم ايدك الله يعطيك العافية بارك فيك فيكم "
    "جزاك جزاكم خيرا خير الخير النور صباح مساء مرحبا أهلا السلام عليكم تحياتي "
    "تمام حسنا طيب ماشي أوكي اوكي ممتاز رائع جميل حلو جدا كثير كتير لك لكم يا بوت أخي اخي "
    "شاء قصرت قصرتوا قصرتم قصرتي ذوقك ذوقكم لطفك "
    "ok okay thanks thank thx you lol good nice great"
)
_NOT_CONTENT = ARABIC_STOPWORDS | COURTESY
_WORD = re.compile(r"\w+")


def reads_as_question(text: str) -> bool:
    """True when ``text`` asks something: a question mark, an interrogative, or enough content words."""
    if QUESTION_MARKS.intersection(text):
        return True
    words = [word for word in _WORD.findall(normalize_arabic(text)) if not word.isdigit()]
    if not words:
        return False
    opening, rest = _bare(words[0]), words[1:]
    if opening in OPENING_INTERROGATIVES and not (rest and all(word in COURTESY for word in rest)):
        return True
    if any(word in INTERROGATIVES or _bare(word) in INTERROGATIVES for word in words):
        return True
    content = [word for word in words if len(word) > 1 and word not in _NOT_CONTENT]
    return len(content) >= MIN_CONTENT_WORDS


def _bare(word: str) -> str:
    """``word`` without a leading conjunction «و» or «ف» («وهل», «فكيف»), when a word is left."""
    return word[1:] if len(word) > 2 and word[0] in "وف" else word
