"""Follow-ups: which messages lean on the previous question, and how they are completed."""

from __future__ import annotations

import pytest

from bot.followups import expand_followup, leans_on_previous, read_message
from retrieval import ArabicAnalyzer

ANALYZER = ArabicAnalyzer()
PREVIOUS = "متى وصل بوتين إلى كازاخستان؟"


@pytest.mark.parametrize(
    ("message", "replies_to_answer", "leans"),
    [
        ("وماذا عن اليورانيوم؟", False, True),
        ("ماذا عن اليورانيوم", False, True),
        ("وهل وقّع اتفاقًا؟", False, True),
        ("ولماذا؟", False, True),
        ("ومتى غادر؟", False, True),
        ("لماذا؟", False, True),
        ("لماذا زارها؟", False, True),
        ("ما الذي قاله عن ذلك؟", False, True),
        ("اليورانيوم", True, True),
        # «و» typed apart from the interrogative.
        ("و ما نتيجتها؟", False, True),
        # Dialect interrogatives are read as in a group reply (``bot.question_rule``).
        ("وليش؟", False, True),
        ("وفين راح؟", False, True),
        ("شو؟", False, True),
        # The final «ه» of «الله» is not a pronoun.
        ("من هو رسول الله؟", False, False),
        ("اليورانيوم", False, False),
        # «هي» after «ما» is a copula, not a pronoun pointing back.
        ("ما هي عاصمة البرازيل؟", False, False),
        ("لماذا طردت موسكو الصحافيين الألمان؟", True, False),
        ("كم مرة زارها بوتين هذا العام؟", False, False),
        ("وماذا عن", False, False),
    ],
)
def test_which_messages_lean_on_the_previous_question(
    message: str, replies_to_answer: bool, leans: bool
) -> None:
    reading = read_message(message, ANALYZER)
    assert leans_on_previous(reading, replies_to_answer=replies_to_answer) is leans


@pytest.mark.parametrize(
    ("previous", "message", "completed"),
    [
        (PREVIOUS, "وماذا عن اليورانيوم؟", "اليورانيوم (بوتين، كازاخستان)؟"),
        (PREVIOUS, "وهل وقّع اتفاقًا؟", "هل وقّع اتفاقًا (بوتين، كازاخستان)؟"),
        (PREVIOUS, "لماذا زارها؟", "لماذا زارها (بوتين، كازاخستان)؟"),
        # A bare interrogative takes the place of the previous one.
        (PREVIOUS, "ولماذا؟", "لماذا وصل بوتين إلى كازاخستان؟"),
        # Words the follow-up already holds are not repeated.
        (PREVIOUS, "وماذا عن بوتين؟", "بوتين (كازاخستان)؟"),
        # A chain of follow-ups keeps the topic.
        ("اليورانيوم (بوتين، كازاخستان)؟", "ومتى غادر؟", "متى غادر (اليورانيوم، بوتين، كازاخستان)؟"),
        # With nothing but the asked verb, the verb is the topic.
        ("متى وصل؟", "وماذا عن الوفد؟", "الوفد (وصل)؟"),
        # Words that stood together stay together; words apart are listed with «،».
        (
            "متى وصل رئيس الوزراء الماليزي إلى القاهرة؟",
            "وماذا عن زيت النخيل؟",
            "زيت النخيل (رئيس الوزراء الماليزي، القاهرة)؟",
        ),
        ("ما هي عاصمة البرازيل؟", "وماذا عن الأرجنتين؟", "الأرجنتين (عاصمة البرازيل)؟"),
    ],
)
def test_a_followup_is_completed_with_the_previous_topic(previous: str, message: str, completed: str) -> None:
    assert expand_followup(previous, read_message(message, ANALYZER), ANALYZER) == completed


def test_the_topic_is_capped() -> None:
    previous = "متى وصل الرئيس والوزير والسفير والقائد والمبعوث والمستشار والخبير إلى العاصمة؟"
    completed = expand_followup(previous, read_message("وماذا عن الطاقة؟", ANALYZER), ANALYZER)
    assert completed == "الطاقة (الرئيس والوزير والسفير والقائد والمبعوث والمستشار)؟"
