"""The bot's fixed texts: Arabic, one digit system, valid Telegram HTML, a reason for every ingest error."""

from __future__ import annotations

import re

import pytest
from telegram.constants import CallbackQueryLimit

import retrieval
from bot import texts
from bot.numbers import Noun
from tests.e2e.telegram_html import parse_html

ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
# Markup, commands, examples to type, placeholders and the names of formats and settings are not
# words the reader reads as Arabic text.
NOT_PROSE = re.compile(
    r"<code>.*?</code>|</?[a-z]+>|/[a-z_]+|@?\{\w+\}|NEWSBOT_\w+|RSS|Atom|https?", re.DOTALL
)
LATIN_OR_ASCII_DIGIT = re.compile(r"[A-Za-z0-9]")

MESSAGES = {
    name: value
    for name, value in vars(texts).items()
    if name.isupper() and isinstance(value, str) and name != "EXAMPLE_QUESTION"
}
COMMAND_DESCRIPTIONS = {command: description for command, description in texts.COMMANDS}
# Shown as a button press's notice (``sending.acknowledge``): plain text, not HTML.
CALLBACK_NOTICES = (
    texts.EXPIRED_BUTTON,
    texts.FOLLOW_FIXED,
    texts.FOLLOW_BUTTON_ADDED,
    texts.FOLLOW_ALREADY,
    texts.FOLLOW_FULL.format(limit="٢٠"),
    texts.RATE_LIMITED_PRESS,
)
NOUNS = {name: value for name, value in vars(texts).items() if isinstance(value, Noun)}


def prose(text: str) -> str:
    return NOT_PROSE.sub(" ", text)


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_message_is_arabic_with_arabic_digits_only(name: str) -> None:
    text = prose(MESSAGES[name])
    words = re.sub(r"[\W_]+", "", text)
    assert not words or ARABIC_LETTER.search(text), f"{name} has no Arabic"
    assert not LATIN_OR_ASCII_DIGIT.search(text), f"{name} mixes in Latin letters or ASCII digits"


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_message_is_valid_telegram_html(name: str) -> None:
    placeholders = re.sub(r"\{\w+\}", "x", MESSAGES[name])
    parse_html(placeholders)  # raises HtmlParseError where Telegram would refuse the message


@pytest.mark.parametrize("notice", CALLBACK_NOTICES)
def test_button_notices_are_plain_text_within_telegrams_limit(notice: str) -> None:
    assert "<" not in notice and "&" not in notice
    assert len(notice) <= CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH


@pytest.mark.parametrize("command", sorted(COMMAND_DESCRIPTIONS))
def test_every_menu_command_is_described_in_arabic(command: str) -> None:
    description = prose(COMMAND_DESCRIPTIONS[command])
    assert ARABIC_LETTER.search(description) and not LATIN_OR_ASCII_DIGIT.search(description)


@pytest.mark.parametrize("name", sorted(NOUNS))
def test_counted_nouns_put_the_number_in_every_form_but_one_and_two(name: str) -> None:
    noun = NOUNS[name]
    assert "{n}" not in noun.one and "{n}" not in noun.two
    assert all("{n}" in form for form in (noun.few, noun.many, noun.other))


def test_every_ingest_error_the_library_exports_has_its_own_arabic_reason() -> None:
    item_errors = {
        value
        for value in vars(retrieval).values()
        if isinstance(value, type) and issubclass(value, retrieval.ItemError)
    }
    # Each exported class is named for itself, not only through the ItemError fallback.
    assert item_errors == set(texts.INGEST_REASONS)
    for reason in texts.INGEST_REASONS.values():
        assert ARABIC_LETTER.search(reason) and not LATIN_OR_ASCII_DIGIT.search(prose(reason))
