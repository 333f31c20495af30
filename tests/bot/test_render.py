"""Rendering: valid Telegram HTML, verbatim quotes, bold matches, limits and right-to-left lines."""

from __future__ import annotations

import html
from datetime import date

import pytest
from telegram.constants import MessageLimit

from bot import render, texts
from bot.layout import FSI, PDI, RLM
from bot.numbers import arabic_number
from retrieval import Answer, Article, BadStatusError, DateRange, NotArabicError, Quote
from retrieval.ingest import Outcome, Status
from tests.bot import fakes
from tests.e2e.telegram_html import parse_html, utf16_length

TEXT = 'قال المتحدث إن "الاتفاق" سيُوقّع <غدًا> & بعده تبدأ المرحلة الثانية. ثم أضاف أن CNN نقلت الخبر أولًا.'
ARTICLE = fakes.article(
    "a1", TEXT, title="Reuters: <b>اتفاق</b> & تفاصيل", source="Reuters", url="https://r.test/x?a=1&b=2"
)
OTHER = fakes.article(
    "a2", "نقلت وكالة أخرى أن الاتفاق سيوقع غدًا.", title="خبر آخر", source="AFP", url=None, published=None
)


WEDNESDAY = date(2024, 11, 27)


def plain(message: str) -> str:
    text, _ = parse_html(message)
    return text


def blockquotes(message: str) -> list[str]:
    text, entities = parse_html(message)
    units = text.encode("utf-16-le")
    return [
        units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in entities
        if e["type"] == "blockquote"
    ]


def answer(*quotes: Quote, more: bool = False) -> Answer:
    return Answer(question="سؤال", quotes=tuple(quotes), more_available=more)


def test_quote_is_verbatim_escaped_and_matches_are_bold() -> None:
    quote = fakes.quote(ARTICLE, TEXT[: TEXT.index(".") + 1], bold=("الاتفاق", "<غدًا>"))
    [message] = render.render_answer(answer(quote))
    assert blockquotes(message) == [quote.text]  # parses as Telegram HTML, text unchanged
    _, entities = parse_html(message)
    text = plain(message)
    bold = [text[e["offset"] : e["offset"] + e["length"]] for e in entities if e["type"] == "bold"]
    assert "الاتفاق" in bold and "<غدًا>" in bold


def test_source_line_names_outlet_date_and_links_the_title() -> None:
    quote = fakes.quote(ARTICLE, "ثم أضاف أن CNN نقلت الخبر أولًا.")
    [message] = render.render_answer(answer(quote))
    _, entities = parse_html(message)
    assert [e["url"] for e in entities if e["type"] == "text_link"] == ["https://r.test/x?a=1&b=2"]
    text = plain(message)
    assert (
        "Reuters" in text and "الأربعاء ٢٧ نوفمبر ٢٠٢٤" in text and "Reuters: <b>اتفاق</b> & تفاصيل" in text
    )


def test_several_outlets_are_all_cited() -> None:
    quote = fakes.quote(
        ARTICLE, "ثم أضاف أن CNN نقلت الخبر أولًا.", also_in=(fakes.citation(OTHER, "نقلت وكالة"),)
    )
    [message] = render.render_answer(answer(quote))
    text = plain(message)
    assert texts.ALSO_REPORTED_ONE in text and "AFP" in text and "خبر آخر" in text


def test_no_answer_suggests_sources() -> None:
    [message] = render.render_answer(Answer(question="سؤال", abstain_reason="no_match"))
    assert "/sources" in message and "لم أجد" in message


def test_every_composed_line_starts_right_to_left_and_latin_quote_lines_get_a_mark() -> None:
    latin_first = fakes.article("a3", "CNN: بدأت القمة اليوم في الرياض.\n2024 عام الانتخابات.")
    quote = fakes.quote(latin_first, latin_first.text)
    [message] = render.render_answer(answer(quote))
    for line in plain(message).split("\n"):
        if line:
            assert line[0] == RLM or line.startswith("بدأت") or line[0] in "2", line
    assert f"{RLM}CNN" in plain(message)
    # The source line: metadata sits in isolates so Latin names and dates keep their place.
    assert f"{FSI}وكالة الأنباء{PDI}" in message and f"{FSI}الأربعاء ٢٧ نوفمبر ٢٠٢٤{PDI}" in message


@pytest.mark.parametrize("quote_length", [500, 3000, 9000])
def test_answers_fit_the_message_limit_and_split_between_quotes(quote_length: int) -> None:
    text = ("أعلنت الحكومة & الشركاء <خطة> جديدة. " * 400)[: quote_length * 2]
    long_article = fakes.article("long", text, url="https://x.test/?q=1&r=2")
    quotes = [
        fakes.quote(long_article, text[i * quote_length : (i + 1) * quote_length], bold=("الحكومة",))
        for i in range(2)
    ]
    messages = render.render_answer(answer(*quotes))
    assert all(utf16_length(m) <= MessageLimit.MAX_TEXT_LENGTH for m in messages)
    joined = "".join("".join(blockquotes(m)) for m in messages)
    assert joined.replace(RLM, "") == "".join(q.text for q in quotes)
    for message in messages:
        parse_html(message)  # every message is valid on its own: no tag is cut


def test_a_smaller_limit_splits_on_quote_boundaries() -> None:
    quotes = [
        fakes.quote(ARTICLE, TEXT[: TEXT.index(".") + 1]),
        fakes.quote(ARTICLE, "ثم أضاف أن CNN نقلت الخبر أولًا."),
    ]
    one = render.render_answer(answer(*quotes))
    assert len(one) == 1
    size = max(len(block) for block in one[0].split("\n\n")) + 10
    split = render.render_answer(answer(*quotes), limit=size)
    assert len(split) > 1
    assert all(m.count("<blockquote>") == m.count("</blockquote>") <= 1 for m in split)


def test_context_bolds_the_quoted_sentences_inside_the_verbatim_passage() -> None:
    from retrieval import Sentence

    first_end = TEXT.index(".") + 1
    sentences = (
        Sentence("a1", 0, 0, first_end, TEXT[:first_end]),
        Sentence("a1", 1, first_end + 1, len(TEXT), TEXT[first_end + 1 :]),
    )
    [message] = render.render_context(ARTICLE, sentences, first=1, last=1)
    assert blockquotes(message) == [TEXT]
    _, entities = parse_html(message)
    text = plain(message)
    assert [text[e["offset"] : e["offset"] + e["length"]] for e in entities if e["type"] == "bold"][
        -1
    ] == TEXT[first_end + 1 :]


def test_sources_are_listed_newest_first_and_capped() -> None:
    articles = [
        fakes.article(f"n{i}", "نص.", title=f"خبر {i:02d}", published=f"2024-03-{i % 28 + 1:02d}")
        for i in range(60)
    ]
    articles = sorted(articles, key=lambda a: a.id)  # input order must not matter
    text = "".join(plain(m) for m in render.render_sources(articles))
    listed = [line for line in text.split("\n") if line.startswith(RLM + "•")]
    assert len(listed) == render.MAX_SOURCES_LISTED
    # All in March 2024, shown as «الأحد ٣١ مارس ٢٠٢٤»: the day is the second word.
    days = [int(line.split(FSI)[2].split(PDI)[0].split()[1]) for line in listed]
    assert days == sorted(days, reverse=True)
    assert "… و١٠ مقالات أخرى." in text


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        # (id, published) in stored order (seeds, then the store as fetched) -> ids as listed
        ([("a", "2024-01-01"), ("b", "2024-03-01"), ("c", "2024-02-01")], ["b", "c", "a"]),
        (
            [("a", None), ("b", "2020-01-01"), ("c", None)],
            ["b", "c", "a"],
        ),  # undated last, later fetched first
        ([("a", "2024-05-01"), ("b", "2024-05-01")], ["b", "a"]),  # same date: the later fetched first
        ([("a", "2024-05-01"), ("b", "2024-05-01T09:00:00+03:00")], ["b", "a"]),
    ],
)
def test_sources_order_newest_first_then_latest_fetched_undated_last(
    stored: list[tuple[str, str | None]], expected: list[str]
) -> None:
    articles = [fakes.article(id_, "نص.", published=published) for id_, published in stored]
    assert [article.id for article in render.sources_order(articles)] == expected


def test_ingest_summary_counts_and_lists_added_titles_and_failure_reasons_escaped() -> None:
    outcomes = (
        Outcome(Status.ADDED, "http://127.0.0.1/a", article_id="a", title="<b>مهرجان</b> & الكتاب"),
        Outcome(Status.SKIPPED, "http://127.0.0.1/b", "duplicate URL"),
        Outcome(
            Status.FAILED,
            "http://127.0.0.1/<c>",
            "HTTP 404 from http://127.0.0.1/<c>",
            error=BadStatusError(404, "http://127.0.0.1/<c>"),
        ),
        Outcome(Status.FAILED, "http://127.0.0.1/d", "not Arabic", error=NotArabicError("not Arabic")),
        Outcome(Status.FAILED, "notes.md", "not a URL or an existing file"),
    )
    [message] = render.render_ingest(outcomes)
    text = plain(message)
    assert (
        texts.INGEST_SUMMARY.format(added=arabic_number(1), skipped=arabic_number(1), failed=arabic_number(3))
        in text
    )
    assert "<b>مهرجان</b> & الكتاب" in text  # shown literally, not as markup
    # Reasons in Arabic, by the kind of error: the library's English text is not shown.
    assert f"{FSI}http://127.0.0.1/<c>{PDI}: ردّ الخادم برمز الخطأ ٤٠٤" in text
    assert f"{FSI}http://127.0.0.1/d{PDI}: المقال ليس بالعربية" in text
    assert f"{FSI}notes.md{PDI}: تعذّرت إضافته" in text
    assert "HTTP" not in text and "not Arabic" not in text
    assert "duplicate URL" not in text  # skipped items are only counted


def test_every_interpolated_value_is_escaped() -> None:
    nasty = fakes.article(
        "x",
        "<script>alert(1)</script> & نص عربي.",
        title="</blockquote><b>",
        source="<i>",
        url="javascript:alert(1)",
    )
    quote = fakes.quote(nasty, nasty.text)
    for message in render.render_answer(answer(quote)) + render.render_sources([nasty]):
        text, entities = parse_html(message)
        assert "</blockquote><b>" in text and all(
            e.get("url", "").startswith("http") or "url" not in e for e in entities
        )
    assert html.escape("<script>") in render.render_answer(answer(quote))[0]


@pytest.mark.parametrize(
    "url", ["http://[abc/x", "https://" + "a" * 3000 + ".example/", "javascript:alert(1)"]
)
def test_a_url_that_cannot_be_a_link_leaves_the_title_unlinked(url: str) -> None:
    line = render.source_line(Article("a", "عنوان", "نص", url=url))
    assert "<a " not in line and "عنوان" in line


def test_lone_surrogates_are_shown_as_replacement_characters() -> None:
    line = render.source_line(Article("a", "عنوان\ud800", "نص", source="\udfffوكالة"))
    line.encode("utf-8")
    assert "عنوان\ufffd" in line and "\ufffdوكالة" in line


def test_a_followup_answer_opens_with_how_the_question_was_understood() -> None:
    source = fakes.article("u", "ارتفع سعر اليورانيوم في كازاخستان.")
    answer = Answer("اليورانيوم (كازاخستان)؟", (fakes.quote(source, "ارتفع سعر اليورانيوم في كازاخستان."),))
    [message] = render.render_answer(answer, understood="اليورانيوم (كازاخستان)؟")
    first_line = plain(message).split("\n")[0]
    assert first_line.startswith(RLM + "سؤالك كما فهمته: ") and "اليورانيوم (كازاخستان)؟" in first_line
    [unanswered] = render.render_answer(Answer("س؟", abstain_reason="no_match"), understood="س؟")
    assert "سؤالك كما فهمته" in unanswered and texts.NO_ANSWER.split("\n")[0] in unanswered


def test_small_talk_suggests_the_three_newest_headlines_verbatim() -> None:
    articles = [
        fakes.article(f"s{i}", "نص.", title=f"عنوان <{i}>", published=f"2024-11-0{i}") for i in range(1, 6)
    ]
    [message] = render.render_small_talk(texts.GREETING_REPLY, articles)
    assert texts.ASK_ABOUT in message
    assert [line for line in plain(message).split("\n") if "عنوان" in line] == [
        f"{RLM}• عنوان <{i}>" for i in (5, 4, 3)
    ]


def test_eleven_other_outlets_are_counted_in_the_arabic_plural() -> None:
    source = fakes.article("o0", "خبر واحد.")
    others = tuple(
        fakes.citation(fakes.article(f"o{i}", "خبر واحد.", source=f"وكالة {i}"), "خبر واحد.")
        for i in range(1, 11)
    )
    block = render.quote_block(fakes.quote(source, "خبر واحد.", also_in=others))
    assert any("الخبر نفسه في ١١ مصدرًا:" in line for line in block.lines)


def unisolated(message: str) -> list[str]:
    """The lines a reader sees, without direction marks and isolates."""
    return [line.strip(RLM).replace(FSI, "").replace(PDI, "") for line in plain(message).split("\n")]


def test_an_answer_restricted_to_a_day_says_so_in_one_line_under_the_header() -> None:
    source = fakes.article("d", "افتتح الوزير المحطة.", published="2024-11-27")
    restricted = Answer(
        "س؟", (fakes.quote(source, "افتتح الوزير المحطة."),), published=DateRange.day(WEDNESDAY)
    )
    [message] = render.render_answer(restricted)
    lines = unisolated(message)
    assert lines[1] == "من أخبار يوم الأربعاء ٢٧ نوفمبر ٢٠٢٤" and "افتتح الوزير المحطة." in lines
    [anytime] = render.render_answer(Answer("س؟", restricted.quotes))
    assert "من أخبار" not in plain(anytime) and "المنشورة" not in plain(anytime)


def test_an_answer_restricted_to_several_days_names_the_range() -> None:
    source = fakes.article("d", "افتتح الوزير المحطة.")
    week = DateRange(date(2024, 11, 25), WEDNESDAY)
    [message] = render.render_answer(
        Answer("س؟", (fakes.quote(source, "افتتح الوزير المحطة."),), published=week)
    )
    assert unisolated(message)[1] == "من الأخبار المنشورة من ٢٥ نوفمبر ٢٠٢٤ إلى ٢٧ نوفمبر ٢٠٢٤"


def test_an_abstention_in_a_period_says_nothing_was_published_about_it_then() -> None:
    [message] = render.render_answer(
        Answer("س؟", abstain_reason="no_match", published=DateRange.day(WEDNESDAY))
    )
    first = unisolated(message)[0]
    assert first == "لم يُنشر في الأخبار التي لديّ يوم الأربعاء ٢٧ نوفمبر ٢٠٢٤ ما يجيب عن هذا السؤال."
    assert "/latest" in message and texts.NO_ANSWER.split("\n")[0] not in message
    # A later page that runs out is still just "no more results".
    [more] = render.render_answer(Answer("س؟", published=DateRange.day(WEDNESDAY)), offset=3)
    assert unisolated(more) == [texts.NO_MORE]


@pytest.mark.parametrize(
    ("places", "named"),
    [
        (("اليابان",), "«اليابان»"),
        (("اليابان", "كندا"), "«اليابان» و«كندا»"),
        (("اليابان", "كندا", "البرازيل"), "«اليابان»، «كندا» و«البرازيل»"),
    ],
)
def test_a_question_about_a_place_no_article_mentions_is_told_so_by_name(
    places: tuple[str, ...], named: str
) -> None:
    [message] = render.render_answer(Answer("س؟", abstain_reason="unknown_place", unknown_places=places))
    first = unisolated(message)[0]
    assert first == f"لا تذكر الأخبار التي لديّ {named}، فليس فيها ما يجيب عن هذا السؤال."
    assert "/sources" in message and texts.NO_ANSWER.split("\n")[0] not in message


def test_a_place_name_is_escaped() -> None:
    [message] = render.render_answer(Answer("س؟", abstain_reason="unknown_place", unknown_places=("<b>&",)))
    assert "«&lt;b&gt;&amp;»" in message
