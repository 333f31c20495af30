"""Small talk: greetings and thanks alone, in their common spellings; anything more is a question."""

from __future__ import annotations

import pytest

from bot.small_talk import SmallTalk, small_talk


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("مرحبا", SmallTalk.GREETING),
        ("مرحباً!", SmallTalk.GREETING),
        ("السلام عليكم", SmallTalk.GREETING),
        ("السلام عليكم ورحمة الله وبركاته", SmallTalk.GREETING),
        ("أهلا", SmallTalk.GREETING),
        ("أهلاً وسهلاً 👋", SmallTalk.GREETING),
        ("صباح الخير", SmallTalk.GREETING),
        ("مرحبا يا بوت", SmallTalk.GREETING),
        ("شكرا", SmallTalk.THANKS),
        ("شكراً جزيلاً", SmallTalk.THANKS),
        ("تسلم", SmallTalk.THANKS),
        ("شكرا يا صديقي 🙏", SmallTalk.THANKS),
        ("جزاك الله خيرًا", SmallTalk.THANKS),
    ],
)
def test_greetings_and_thanks_are_small_talk(text: str, kind: SmallTalk) -> None:
    assert small_talk(text) is kind


@pytest.mark.parametrize(
    "text",
    ["شكرا، ماذا قال بوتين؟", "مرحبا متى وصل بوتين؟", "صباح اليوم في موسكو", "السلام", "ما الخير؟"],
)
def test_anything_more_is_not_small_talk(text: str) -> None:
    assert small_talk(text) is None
