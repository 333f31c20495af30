"""The terminal's text: the operator's words in English, the articles' words as written, one source line."""

from __future__ import annotations

import re

from bot.cli.formats import answer_block, answer_line
from bot.source_line import source_line
from retrieval import Answer
from tests.bot import fakes

FIRST = fakes.article("a", "وصل الرئيس إلى العاصمة صباح الأربعاء.", title="زيارة", source="وكالة")
SECOND = fakes.article(
    "b", "الرئيس يصل العاصمة صباح الأربعاء.", title="وصول", source="صحيفة", published="2024-11-28"
)
ANSWER = Answer(
    "متى وصل الرئيس؟",
    (fakes.quote(FIRST, FIRST.text, also_in=(fakes.citation(SECOND, SECOND.text),)),),
)
ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")


def test_a_text_answer_quotes_and_cites_in_arabic_and_says_the_rest_in_english() -> None:
    block = answer_block(ANSWER)
    assert f"1. «{FIRST.text}»" in block and f"— {source_line(FIRST)}" in block
    assert f"— {source_line(SECOND)}  (in their words: «{SECOND.text}»)" in block
    # Every Arabic word on screen comes from a quote or a source line (dates as the bot shows them).
    quoted = " ".join((FIRST.text, SECOND.text, source_line(FIRST), source_line(SECOND)))
    assert set(ARABIC_WORD.findall(block)) <= set(ARABIC_WORD.findall(quoted))


def test_no_answer_is_said_in_english_in_both_layouts() -> None:
    unanswered = Answer("ما هي عاصمة فرنسا؟", abstain_reason="no_match")
    assert not ARABIC_WORD.search(answer_block(unanswered))
    question, said = answer_line(unanswered).split("\t")
    assert question == "ما هي عاصمة فرنسا؟" and said.startswith("no answer") and not ARABIC_WORD.search(said)
