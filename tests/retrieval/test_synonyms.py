"""Question words news says differently (a dialect verb, a verb of going): searched also as news says them."""

import pytest

from retrieval import AnswerEngine, ArabicAnalyzer, Article, SearchWeights
from retrieval.search import SentenceIndex
from retrieval.synonyms import SynonymTable, add_hamza_spellings, add_synonyms

VISIT = Article(
    id="visit",
    title="زيارة رسمية",
    text="وصل الوفد التجاري إلى عمان صباح الخميس 3 أكتوبر 2024. ناقش الوفد التجاري ملفات الاستثمار مع المسؤولين.",
)
FILLER = Article(
    id="filler",
    title="طقس",
    text="هطلت أمطار غزيرة على الساحل. انخفضت درجات الحرارة ليلا. نصحت الأرصاد السائقين بالحذر.",
)


def index() -> SentenceIndex:
    return SentenceIndex.build([VISIT, FILLER], ArabicAnalyzer(), SearchWeights())


# The table -----------------------------------------------------------------------------------


def test_the_bundled_table_maps_dialect_verbs_and_verbs_of_going_to_news_verbs() -> None:
    table = SynonymTable.bundled()
    assert "ذهب" in table.lookup("راح")
    assert "رأى" in table.lookup("شاف")
    assert "وصل" in table.lookup("ذهب")
    assert table.lookup("وصل") == ()  # news's own word needs nothing


def test_a_lookup_ignores_spelling_variants_and_a_leading_conjunction() -> None:
    table = SynonymTable.parse("حكى\tقال|صرح\n")
    assert table.lookup("حكي") == ("قال", "صرح")  # alef maqsura folded
    assert table.lookup("وحكى") == ("قال", "صرح")
    assert table.lookup("فحكى") == ("قال", "صرح")
    assert table.lookup("يحكي") == ()


def test_a_table_file_is_read_line_by_line_and_a_bad_line_is_named() -> None:
    table = SynonymTable.parse("# comment\n\nراح\tذهب|توجه\n").with_synonyms([("راح", "زار"), ("راح", "ذهب")])
    assert table.lookup("راح") == ("ذهب", "توجه", "زار")  # a known news word is not repeated
    for bad in ("راح ذهب\n", "راح\t\n", "راح\tذهب إلى\n", "راح جدا\tذهب\n"):
        with pytest.raises(ValueError, match="line 1"):
            SynonymTable.parse(bad)


# The question --------------------------------------------------------------------------------


def test_a_news_word_the_corpus_holds_becomes_another_spelling_of_the_question_word() -> None:
    sentences = index()
    question = sentences.analyzer.analyze_question("امتى راح الوفد التجاري؟")
    table = SynonymTable.parse("راح\tذهب|وصل\n")
    searched = add_synonyms(question, table, sentences.analyzer, sentences)
    went = [word.word for word in question.words].index("راح")
    # «ذهب» is in no article, so only «وصل» is added; the question's own word stays first.
    assert [spelling.word for spelling in searched.spellings()[went]] == ["راح", "وصل"]
    assert "وصل" in searched.terms.stem and "راح" in searched.terms.stem
    assert add_synonyms(question, SynonymTable(), sentences.analyzer, sentences) == question


def test_synonyms_come_after_the_spellings_a_latin_name_already_has() -> None:
    sentences = index()
    question = sentences.analyzer.analyze_question("متى راح الوفد؟")
    analyzer = sentences.analyzer
    arrived, trade = analyzer.one_content_word("وصل"), analyzer.one_content_word("التجاري")
    assert arrived is not None and trade is not None
    once = question.respelled({0: [trade]})
    twice = once.respelled({0: [arrived, trade]})
    assert twice.spellings()[0] == (question.words[0], trade, arrived)


def test_a_dialect_question_is_answered_with_the_sentence_news_wrote() -> None:
    engine = AnswerEngine.from_articles([VISIT, FILLER])
    answer = engine.answer("امتى راح الوفد؟")
    assert answer.quotes, answer.abstain_reason
    assert answer.quotes[0].text.startswith("وصل الوفد التجاري")


def test_one_content_word_is_none_for_a_stopword_or_a_phrase() -> None:
    analyzer = ArabicAnalyzer()
    assert analyzer.one_content_word("وصل") is not None
    assert analyzer.one_content_word("إلى") is None
    assert analyzer.one_content_word("وصل الوفد") is None


# Hamza on an initial «ال» ----------------------------------------------------------------------

TALKS = Article(
    id="talks",
    title="محادثات",
    text="التقى وزير الخارجية نظيره في برلين. وقعت ألمانيا اتفاقا للطاقة مع النرويج.",
)


@pytest.mark.parametrize(
    ("question", "written", "searched_as"),
    [
        ("ماذا وقعت المانيا؟", "المانيا", "المانيا"),  # the reader skipped the hamza the article wrote
        ("أين إلتقى الوزير نظيره؟", "إلتقى", "تقي"),  # the reader added a hamza the article did not write
    ],
)
def test_a_question_word_is_also_searched_with_the_other_reading_of_its_al(
    question: str, written: str, searched_as: str
) -> None:
    sentences = SentenceIndex.build([TALKS, FILLER], ArabicAnalyzer(), SearchWeights())
    analysed = sentences.analyzer.analyze_question(question)
    [number] = [n for n, token in enumerate(analysed.tokens) if token.surface == written]
    word = analysed.tokens[number].terms
    assert not sentences.holds_term("word", word.word)  # as typed, the corpus never holds it
    spellings = add_hamza_spellings(analysed, sentences.analyzer, sentences).spellings()
    assert [spelling.word for spelling in spellings[analysed.words.index(word)]] == [word.word, searched_as]


def test_a_question_without_the_hamza_finds_the_sentence_written_with_it() -> None:
    engine = AnswerEngine.from_articles([TALKS, VISIT, FILLER])
    answer = engine.answer("ماذا وقعت المانيا مع النرويج؟")
    assert answer.quotes and answer.quotes[0].text == "وقعت ألمانيا اتفاقا للطاقة مع النرويج."
