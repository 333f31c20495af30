"""Telegram HTML building blocks: escaped, right-to-left on every line, bold within a line, within the limit."""

from __future__ import annotations

from bot import layout
from bot.layout import FSI, PDI, RLM, Block


def test_every_composed_line_opens_with_a_right_to_left_mark() -> None:
    assert layout.rtl("سطر\nBBC line") == f"{RLM}سطر\n{RLM}BBC line"


def test_a_value_is_escaped_and_isolated_from_the_line_around_it() -> None:
    assert layout.isolate("AT&T <2024>") == f"{FSI}AT&amp;T &lt;2024&gt;{PDI}"


def test_a_lone_surrogate_is_shown_as_a_replacement_character_of_the_same_length() -> None:
    assert layout.escape("a\ud800b") == "a\ufffdb"


def test_bold_spans_merge_across_spaces_and_never_cross_a_line() -> None:
    text = "وصل الرئيس\nإلى العاصمة"
    assert layout.emphasize(text, [(0, 3), (4, 10)]) == "<b>وصل الرئيس</b>\nإلى العاصمة"
    assert layout.emphasize(text, [(4, 14)]) == "وصل <b>الرئيس</b>\n<b>إلى</b> العاصمة"


def test_a_quote_too_long_for_one_message_is_cut_into_blockquotes_that_each_fit() -> None:
    text = " ".join(["&&&"] * 3000)  # escaping grows it fivefold
    atoms = layout.quote_atoms(text, [], limit=1000)
    assert len(atoms) > 1
    assert all(atom.startswith("<blockquote>") and layout.telegram_length(atom) <= 1000 for atom in atoms)


def test_blocks_share_a_message_until_the_next_would_not_fit() -> None:
    blocks = [Block(("أ" * 40,)), Block(("ب" * 40,)), Block(("ج" * 40,))]
    assert layout.pack(blocks, limit=100) == ["أ" * 40 + "\n\n" + "ب" * 40, "ج" * 40]


def test_a_block_larger_than_a_message_is_split_between_its_lines() -> None:
    block = Block(tuple("س" * 30 for _ in range(5)))
    messages = layout.pack([block], limit=70)
    assert all(layout.telegram_length(message) <= 70 for message in messages)
    assert "\n".join(messages).split("\n") == list(block.lines)


def test_shortened_values_fit_and_show_the_cut() -> None:
    assert layout.shorten("قصير", 10) == "قصير"
    assert layout.shorten("كلمة طويلة جدا", 8) == "كلمة طو…"
