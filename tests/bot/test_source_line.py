"""One citation order everywhere: outlet · date · title (terminal adds the URL)."""

from __future__ import annotations

from bot import render
from bot.cli.formats import terminal_source
from bot.handlers.inline import inline_result
from bot.source_line import source_line
from tests.bot import fakes

ARTICLE = fakes.article(
    "a1",
    "وصل الرئيس.",
    title="زيارة",
    source="BBC",
    url="https://bbc.test/a1",
    published="2024-11-27T08:00:00Z",
)


def test_outlet_then_day_then_title_in_the_bot_inline_and_terminal() -> None:
    assert source_line(ARTICLE) == "BBC · الأربعاء ٢٧ نوفمبر ٢٠٢٤ · زيارة"
    assert terminal_source(ARTICLE) == "BBC · الأربعاء ٢٧ نوفمبر ٢٠٢٤ · زيارة · https://bbc.test/a1"
    assert (
        inline_result(fakes.quote(ARTICLE, "وصل الرئيس.")).description
        == "BBC · الأربعاء ٢٧ نوفمبر ٢٠٢٤ · زيارة"
    )
    html = render.source_line(ARTICLE)
    assert html.index("BBC") < html.index("الأربعاء ٢٧ نوفمبر ٢٠٢٤") < html.index("زيارة")


def test_unknown_fields_are_skipped_and_odd_dates_kept_in_the_one_digit_system() -> None:
    bare = fakes.article("b", "نص.", title="", source=None, published="خريف 2024")
    assert source_line(bare) == "خريف ٢٠٢٤"
    assert source_line(fakes.article("c", "نص.", title="", source="BBC", published=None)) == "BBC"
