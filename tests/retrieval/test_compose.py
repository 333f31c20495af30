"""Answer composition, one rule per test, on hand-made articles of three to five sentences."""

import pytest

from retrieval import AnswerEngine, AnswerPolicy, ArabicAnalyzer, Article, SearchWeights, normalize_arabic

# Unrelated sentences, so that a word held by two sentences still has a positive IDF.
FILLER = Article(
    id="filler",
    title="طقس",
    text="هطلت أمطار غزيرة على الساحل. انخفضت درجات الحرارة ليلا. نصحت الأرصاد السائقين بالحذر. "
    "أغلقت المدارس أبوابها يوما واحدا.",
)
VISIT = Article(
    id="visit",
    title="زيارة",
    text="التقى الوزير سالم بالسفير الياباني في طوكيو. ناقش الجانبان صفقة القطارات السريعة. "
    "عاد الوفد إلى البلاد مساء الخميس.",
)


def engine(*articles: Article, policy: AnswerPolicy | None = None) -> AnswerEngine:
    # The policy's own rules (coverage, floor, same fact), without the learned model in front.
    return AnswerEngine.from_articles([*articles, FILLER], policy=policy, learned=False)


# Back-reference ----------------------------------------------------------------------------

SPEAKER = "صرح الوزير سالم للصحافيين في طوكيو."


@pytest.mark.parametrize(
    "opener",
    [
        "وأضاف",  # "and" + a reporting verb: the speaker is in the sentence before
        "وأضافت",
        "وتابع",
        "وأوضحت",
        "وأشار",
        "وسمت",
        "مضيفا",  # a reporting participle
        "وهو",  # "and" + a personal pronoun
        "وهي",
        "هذا",  # a demonstrative, with or without "and"
        "وتلك",
        "كما",  # a connective that continues the previous statement
        "لكنه",
        "«وأضاف",  # an opening quotation mark does not hide the opener
    ],
)
def test_a_sentence_that_points_back_is_quoted_with_the_one_before(opener: str) -> None:
    article = Article(id="a", title="t", text=f"{SPEAKER} {opener} أن صفقة القطارات السريعة اكتملت.")
    quote = engine(article).answer("هل اكتملت صفقة القطارات السريعة؟").quotes[0]
    assert quote.text == article.text
    assert (quote.citation.first_sentence, quote.citation.last_sentence) == (0, 1)


@pytest.mark.parametrize("opener", ["وقال", "أعلن", "الوزير", "هو"])
def test_a_sentence_that_does_not_point_back_is_quoted_alone(opener: str) -> None:
    article = Article(id="a", title="t", text=f"{SPEAKER} {opener} أن صفقة القطارات السريعة اكتملت.")
    quote = engine(article).answer("هل اكتملت صفقة القطارات السريعة؟").quotes[0]
    assert quote.text == f"{opener} أن صفقة القطارات السريعة اكتملت."
    assert quote.citation.first_sentence == quote.citation.last_sentence == 1


def test_an_article_that_opens_by_pointing_back_is_quoted_from_its_first_sentence() -> None:
    article = Article(id="a", title="t", text="وأضاف أن صفقة القطارات السريعة اكتملت. ثم غادر.")
    quote = engine(article).answer("هل اكتملت صفقة القطارات السريعة؟").quotes[0]
    assert quote.text == "وأضاف أن صفقة القطارات السريعة اكتملت."


def test_the_sentence_before_is_not_added_when_the_quote_would_grow_too_long() -> None:
    article = Article(id="a", title="t", text=f"{SPEAKER} وأضاف أن صفقة القطارات السريعة اكتملت.")
    quote = engine(article, policy=AnswerPolicy(max_quote_chars=50)).answer(
        "هل اكتملت صفقة القطارات السريعة؟"
    )
    assert quote.quotes[0].text == "وأضاف أن صفقة القطارات السريعة اكتملت."


def test_highlights_point_into_the_quote_including_the_sentence_before() -> None:
    article = Article(id="a", title="t", text=f"{SPEAKER} وأضاف أن صفقة القطارات السريعة اكتملت.")
    quote = engine(article).answer("هل صرح سالم أن صفقة القطارات اكتملت؟").quotes[0]
    marked = [quote.text[start:end] for start, end in quote.highlights]
    assert marked == ["صرح", "سالم", "صفقة", "القطارات", "اكتملت"]


@pytest.mark.parametrize(
    "question",
    [
        "هل صرح سالم أن صفقة القطارات اكتملت؟",
        "ما صفقة القطارات السريعة في طوكيو؟",
        "متى عاد الوفد إلى البلاد؟",
    ],
)
def test_highlights_are_the_content_words_of_the_quote_that_hold_a_question_term(question: str) -> None:
    article = Article(
        id="a", title="t", text=f"{SPEAKER} وأضاف أن صفقةَ القطارات ـــ السريعة اكتملت. عاد الوفد إلى البلاد."
    )
    served = engine(article, VISIT)
    analyzer = ArabicAnalyzer()
    wanted = [set(terms) for terms in analyzer.analyze_question(question).terms]
    for quote in served.answer(question).quotes:
        expected = [
            (token.start, token.end)
            for token in analyzer.tokens(quote.text)
            if not token.is_stopword
            and any(term in terms for terms, term in zip(wanted, token.terms, strict=True))
        ]
        assert list(quote.highlights) == expected
        assert expected


# Same fact, several outlets ----------------------------------------------------------------


def test_the_same_fact_from_another_outlet_is_cited_not_quoted_again() -> None:
    first = Article(
        id="first", title="t", source="وكالة أ", text="ارتفع سعر القمح عشرين في المائة هذا الشهر. "
    )
    second = Article(
        id="second", title="t", source="وكالة ب", text="ارتفع سعر القمح عشرين بالمائة خلال الشهر."
    )
    answer = engine(first, second, VISIT).answer("كم ارتفع سعر القمح؟", top_k=5)
    (quote,) = [q for q in answer.quotes if "القمح" in q.text]
    assert [c.article.id for c in quote.also_in] == [({"first", "second"} - {quote.article.id}).pop()]
    assert "القمح" in quote.also_in[0].text


def test_different_facts_from_two_outlets_stay_two_quotes() -> None:
    first = Article(id="first", title="t", text="ارتفع سعر القمح عشرين في المائة هذا الشهر.")
    second = Article(id="second", title="t", text="تراجع إنتاج القمح في السهول الشمالية بسبب الجفاف.")
    answer = engine(first, second).answer("ما سعر القمح وما إنتاج القمح؟", top_k=5)
    assert {q.article.id for q in answer.quotes} == {"first", "second"}
    assert all(q.also_in == () for q in answer.quotes)


def test_two_sentences_of_one_article_are_never_merged_as_one_fact() -> None:
    article = Article(
        id="a", title="t", text="ارتفع سعر القمح في السوق. ارتفع سعر القمح في السوق مجددا. ثم هدأت الأسعار."
    )
    answer = engine(article).answer("هل ارتفع سعر القمح في السوق؟", top_k=5)
    assert len(answer.quotes) == 2
    assert all(q.also_in == () for q in answer.quotes)


# The quote that answers ------------------------------------------------------------------

# One fact from two outlets: the first sentence is shorter, so it scores at least as well, but
# only the second holds the date.
UNDATED = Article(id="undated", title="t", source="وكالة أ", text="وصل الوزير سالم إلى طوكيو في زيارة رسمية.")
DATED = Article(
    id="dated",
    title="t",
    source="وكالة ب",
    text="وصل الوزير سالم إلى طوكيو الخميس 5 مايو 2025 في زيارة رسمية تستمر يومين لبحث التعاون.",
)
NO_DATE_BONUS = SearchWeights(number_answer=0.0)  # so the date counts only in the choice of quote


@pytest.mark.parametrize(
    "question", ["متى وصل الوزير سالم إلى طوكيو؟", "كم يوما تستمر زيارة الوزير سالم إلى طوكيو؟"]
)
def test_a_when_or_how_many_question_quotes_the_report_holding_the_date_or_number(question: str) -> None:
    arrival = AnswerEngine.from_articles([UNDATED, DATED, FILLER], weights=NO_DATE_BONUS)
    quote = arrival.answer(question).quotes[0]
    assert quote.article.id == "dated"
    assert [c.article.id for c in quote.also_in] == ["undated"]


def test_another_question_keeps_the_best_scoring_report_when_both_hold_its_words() -> None:
    arrival = AnswerEngine.from_articles([UNDATED, DATED, FILLER], weights=NO_DATE_BONUS)
    quote = arrival.answer("هل وصل الوزير سالم إلى طوكيو؟").quotes[0]
    assert quote.article.id == "undated"
    assert [c.article.id for c in quote.also_in] == ["dated"]


def test_the_report_holding_more_of_the_questions_words_is_quoted_though_it_scores_less() -> None:
    short = Article(id="short", title="t", text="ارتفع سعر القمح عشرين في المائة هذا الشهر.")
    fuller = Article(
        id="fuller",
        title="t",
        text="ارتفع سعر القمح عشرين في المائة هذا الشهر في أسواق القاهرة والإسكندرية والمنصورة وطنطا "
        "بحسب تقرير الغرفة التجارية.",
    )
    market = Article(
        id="market", title="t", text="ازدحمت أسواق القاهرة بالمتسوقين. أغلقت أسواق القاهرة مساء الجمعة."
    )
    # Strong length normalization (b=1) ranks the short report first.
    weights = SearchWeights(article=0.0, neighbour=0.0, number_answer=0.0, b=1.0)
    wheat = AnswerEngine.from_articles([short, fuller, market, VISIT, FILLER], weights=weights)
    question = "لماذا ارتفع سعر القمح في أسواق القاهرة؟"
    (first, *_) = wheat.answer(question, top_k=1, offset=0).quotes
    assert first.article.id == "fuller"
    assert [c.article.id for c in first.also_in] == ["short"]
    assert first.score == pytest.approx(1.0)  # the short report's score: it ranked first


def test_a_report_that_drops_a_question_word_is_not_quoted_even_with_a_date() -> None:
    named = Article(id="named", title="t", text="وصل الوزير سالم إلى طوكيو في زيارة رسمية.")
    unnamed = Article(id="unnamed", title="t", text="وصل الوزير إلى طوكيو الخميس 5 مايو في زيارة رسمية.")
    answer = AnswerEngine.from_articles([named, unnamed, FILLER], weights=NO_DATE_BONUS).answer(
        "متى وصل الوزير سالم إلى طوكيو؟"
    )
    quote = answer.quotes[0]
    assert quote.article.id == "named"
    assert [c.article.id for c in quote.also_in] == ["unnamed"]


def test_a_quote_keeps_the_score_of_its_best_report_so_quotes_stay_in_rank_order() -> None:
    arrival = AnswerEngine.from_articles([UNDATED, DATED, VISIT, FILLER], weights=NO_DATE_BONUS)
    answer = arrival.answer("متى وصل الوزير سالم إلى طوكيو؟", top_k=5)
    scores = [q.score for q in answer.quotes]
    assert scores == sorted(scores, reverse=True)
    undated_alone = AnswerEngine.from_articles([UNDATED, VISIT, FILLER], weights=NO_DATE_BONUS)
    assert answer.quotes[0].score >= undated_alone.answer("متى وصل الوزير سالم إلى طوكيو؟").quotes[0].score


# Abstention --------------------------------------------------------------------------------


def test_abstains_when_the_best_sentence_holds_too_few_question_words() -> None:
    answer = engine(VISIT).answer("هل وقعت اليابان صفقة الطائرات المسيرة؟")
    assert not answer.answered
    assert answer.abstain_reason == "weak_match"


def test_one_matched_word_is_enough_for_a_one_word_question() -> None:
    assert engine(VISIT).answer("القطارات؟").answered


def test_abstains_when_the_matched_words_carry_too_little_of_the_questions_weight() -> None:
    question = "ما علاقة الوزير سالم بمهرجان الزهور والموسيقى الشعبية؟"
    # Two words match (enough of them), but the five the articles never mention also weigh.
    lenient = engine(VISIT, policy=AnswerPolicy(min_coverage=0.0)).answer(question)
    strict = engine(VISIT, policy=AnswerPolicy(min_coverage=0.9)).answer(question)
    assert lenient.answered
    assert not strict.answered and strict.abstain_reason == "weak_match"


@pytest.mark.parametrize(
    ("question", "reason"), [("When did he arrive?", "no_question_terms"), ("ما هو؟", "no_question_terms")]
)
def test_a_question_without_arabic_content_words_is_abstained(question: str, reason: str) -> None:
    assert engine(VISIT).answer(question).abstain_reason == reason


# Further quotes and paging -----------------------------------------------------------------


def test_a_further_quote_must_score_a_share_of_the_best() -> None:
    question = "ماذا ناقش الوزير سالم مع السفير الياباني بشأن صفقة القطارات؟"
    every = engine(VISIT, policy=AnswerPolicy(relative_floor=0.0)).answer(question, top_k=5)
    floor = 0.9
    close = engine(VISIT, policy=AnswerPolicy(relative_floor=floor)).answer(question, top_k=5)
    assert len(every.quotes) > len(close.quotes) >= 1
    assert all(q.score >= floor * close.quotes[0].score for q in close.quotes)


# Sentences of their own, not next to each other: the first answers; the others share
# one or two of the question's words with it.
ABOUT = Article(
    id="about",
    title="t",
    text="افتتح الوزير سالم مصنع الحديد الجديد في الميناء. هطلت أمطار على المدينة. "
    "انقطعت الكهرباء عن الأحياء. زار الوزير سالم المدارس صباحا. "
    "أغلقت المحلات أبوابها. عاد مصنع الحديد القديم إلى العمل في الميناء.",
)
QUESTION_ABOUT = "هل افتتح الوزير سالم مصنع الحديد في الميناء؟"
# The rules below are the only difference: no share-of-the-best floor.
NO_FLOOR = AnswerPolicy(relative_floor=0.0)


def test_a_further_quote_whose_shared_words_carry_little_of_the_questions_weight_is_not_shown() -> None:
    one_word = Article(id="name", title="t", text="وصل سالم إلى القاهرة أمس.")
    answer = engine(ABOUT, one_word, policy=NO_FLOOR).answer(QUESTION_ABOUT, top_k=5)
    assert answer.quotes[0].text == "افتتح الوزير سالم مصنع الحديد الجديد في الميناء."
    assert all(q.article.id != "name" for q in answer.quotes)
    lenient = engine(
        ABOUT,
        one_word,
        policy=AnswerPolicy(relative_floor=0.0, min_further_words=1, min_further_coverage=0.0),
    )
    assert any(q.article.id == "name" for q in lenient.answer(QUESTION_ABOUT, top_k=5).quotes)


def test_a_further_quote_holding_a_share_of_the_questions_weight_is_shown() -> None:
    texts = [q.text for q in engine(ABOUT, policy=NO_FLOOR).answer(QUESTION_ABOUT, top_k=5).quotes]
    assert "زار الوزير سالم المدارس صباحا." in texts  # الوزير، سالم
    assert "عاد مصنع الحديد القديم إلى العمل في الميناء." in texts  # مصنع، الحديد، الميناء


def test_a_further_quote_sharing_one_rare_word_with_the_question_is_not_enough() -> None:
    # One question word, but a rare one (افتتح is in no other sentence): it carries the weight share,
    # yet one shared word (often a name) does not make a sentence about the question.
    one_word = Article(id="one", title="t", text="افتتح المعرض أبوابه للزوار.")
    by_default = engine(ABOUT, one_word, policy=NO_FLOOR).answer(QUESTION_ABOUT, top_k=5)
    one_is_enough = engine(ABOUT, one_word, policy=AnswerPolicy(relative_floor=0.0, min_further_words=1))
    assert "افتتح المعرض أبوابه للزوار." not in [q.text for q in by_default.quotes]
    assert "افتتح المعرض أبوابه للزوار." in [
        q.text for q in one_is_enough.answer(QUESTION_ABOUT, top_k=5).quotes[1:]
    ]


def test_the_sentence_right_after_a_quote_continues_it_with_one_question_word() -> None:
    article = Article(
        id="a",
        title="t",
        text="افتتح الوزير سالم مصنع الحديد الجديد في الميناء. ويشغل المصنع ألف عامل. هطلت أمطار على المدينة.",
    )
    texts = [q.text for q in engine(article, policy=NO_FLOOR).answer(QUESTION_ABOUT, top_k=5).quotes]
    assert texts[:2] == ["افتتح الوزير سالم مصنع الحديد الجديد في الميناء.", "ويشغل المصنع ألف عامل."]


FOUR_FACTS = Article(
    id="dam",
    title="السد",
    text="بدأ بناء السد الكبير في الربيع. يخزن السد الكبير مياه الأمطار. "
    "يولد السد الكبير الكهرباء للمدن. يحمي السد الكبير القرى من الفيضانات.",
)


def test_pages_follow_each_other_without_repeating_a_quote() -> None:
    dam = engine(FOUR_FACTS, VISIT)
    first = dam.answer("ماذا يفعل السد الكبير؟", top_k=2)
    second = dam.answer("ماذا يفعل السد الكبير؟", top_k=2, offset=2)
    assert first.more_available and not second.more_available
    texts = [q.text for q in first.quotes + second.quotes]
    assert len(set(texts)) == 4
    assert sorted(texts) == sorted(s.strip() + "." for s in FOUR_FACTS.text.split(".") if s.strip())


def test_a_page_past_the_last_quote_says_there_is_no_more() -> None:
    answer = engine(FOUR_FACTS, VISIT).answer("ماذا يفعل السد الكبير؟", top_k=2, offset=4)
    assert not answer.answered and answer.abstain_reason == "no_more_results"


# Verbatim quotes ---------------------------------------------------------------------------


def test_quotes_are_the_article_text_as_written_not_as_normalized() -> None:
    text = "وَصَلَ الرئيسُ إلى «أستانا»   صباحَ الإثنين ٢٠٢٤.  ثم غادر مساءً."
    article = Article(id="a", title="t", text=text)
    quote = engine(article).answer("متى وصل الرئيس إلى أستانا؟").quotes[0]
    assert quote.text == "وَصَلَ الرئيسُ إلى «أستانا»   صباحَ الإثنين ٢٠٢٤."
    assert text[quote.citation.start : quote.citation.end] == quote.text
    marked = {normalize_arabic(quote.text[s:e]) for s, e in quote.highlights}
    assert marked == {"وصل", "الرييس", "استانا"}


def test_weights_are_the_engines_own_for_the_whole_answer() -> None:
    # A sentence-only engine still composes: the rules above do not depend on the fused signals.
    plain = AnswerEngine.from_articles(
        [VISIT, FILLER], weights=SearchWeights(article=0.0, neighbour=0.0, number_answer=0.0)
    )
    assert plain.answer("ما صفقة القطارات السريعة؟").quotes[0].text == "ناقش الجانبان صفقة القطارات السريعة."


def test_a_stopword_of_the_passage_holds_a_question_word_it_shares_a_term_with() -> None:
    # «عليهم» is a stopword whose skeleton (علم) is that of «العالم»: as when every word of the
    # passage was analysed, the passage holds two of the question's words, enough to answer.
    served = Article(id="served", title="توزيع", text="وزع المتطوعون الطعام عليهم في عدد من المدن.")
    answer = engine(served).answer("كم عدد سكان العالم؟")
    assert answer.answered
    assert answer.quotes[0].citation.article.id == "served"
