"""Telegram id lists as written in the environment: commas or spaces, negative group ids, a clear error."""

from __future__ import annotations

import pytest

from config.ids import split_id_list


@pytest.mark.parametrize(
    ("written", "ids"),
    [
        ("123", {123}),
        ("123,456", {123, 456}),
        ("7 8, 9", {7, 8, 9}),
        (" -100500 ,12 ", {-100500, 12}),
        ("", set()),
    ],
)
def test_ids_are_separated_by_commas_or_spaces(written: str, ids: set[int]) -> None:
    assert split_id_list(written) == frozenset(ids)


def test_a_word_among_the_ids_is_refused_with_what_was_expected() -> None:
    with pytest.raises(ValueError, match="numeric user or chat ids"):
        split_id_list("123, alice")


def test_values_that_are_not_text_pass_through_to_the_model() -> None:
    already = frozenset({5})
    assert split_id_list(already) is already
