"""The group rule: a reply to the bot is answered only when it reads as a question."""

from __future__ import annotations

import pytest

from bot.question_rule import reads_as_question


@pytest.mark.parametrize(
    "text",
    [
        "متى وصل بوتين إلى كازاخستان؟",
        "وصل بوتين؟",  # a question mark alone is enough
        "and the date?",
        "كم نسبة اليورانيوم",  # interrogative, no mark
        "لماذا طردت موسكو الصحافيين",
        "هل وصل الرئيس",
        "وهل وقّع الاتفاق",  # «و» + interrogative
        "فكيف كان الرد",
        "الاجتماع امتى",  # Egyptian "when", at the end
        "الرئيس راح فين",
        "ازاي حصل ده",
        "قالوا ايه في المؤتمر",
        "شو صار بالاجتماع",
        "وين صارت القمة",
        "ليش تأخر الوفد",
        "من وقّع الاتفاق",  # «من» opening the message is "who"
        "ما نسبة الإنتاج",
        "أي دولة استضافت القمة",
        "زيارة بوتين إلى كازاخستان",  # three content words: a search on its own
        "أسعار النفط اليوم في الخليج",
    ],
)
def test_a_group_reply_that_asks_or_names_a_topic_reads_as_a_question(text: str) -> None:
    assert reads_as_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "شكرا 👍",
        "شكراً جزيلاً لك",
        "👍",
        "",
        "تمام",
        "الله يعطيك العافية يا بوت",
        "ما شاء الله",  # «ما» opens a set phrase of praise, not a question
        "ما قصرت",  # Gulf "thank you"
        "من ذوقك",
        "جزاك الله خيرا",
        "ok thanks",
        "بوتين في كازاخستان",  # two content words: too little to be a search
        "رائع جدا 👏👏",
        "2024 2025 2026",
        "شكرا على المعلومات المفيدة",  # «على» is a function word, «شكرا» courtesy: two content words
        "السلام عليكم",
    ],
)
def test_thanks_greetings_and_chatter_do_not_read_as_questions(text: str) -> None:
    assert not reads_as_question(text)
