"""Latin words in an Arabic question: searched as written and as the corpus spells them in Arabic."""

import pytest

from retrieval import AliasTable, AnswerEngine, ArabicAnalyzer, Article, Question, SearchWeights
from retrieval.aliases import respell_latin_words
from retrieval.search import SentenceIndex

FILLER = Article(
    id="filler",
    title="طقس",
    text="هطلت أمطار غزيرة على الساحل. انخفضت درجات الحرارة ليلا. نصحت الأرصاد السائقين بالحذر. "
    "أغلقت المدارس أبوابها يوما واحدا.",
)
REACTOR = Article(
    id="reactor",
    title="محطة نووية",
    text="تتنافس شركة روساتوم على بناء المحطة النووية في المغرب. "
    "وقع الوزير سليموف اتفاقا مع الجانب الروسي. انضمت الدولة إلى مجموعة بريكس العام الماضي.",
)
NO_ALIASES = AliasTable()


def engine(*articles: Article, aliases: AliasTable | None = None) -> AnswerEngine:
    return AnswerEngine.from_articles([*articles, FILLER], aliases=aliases)


# The table -----------------------------------------------------------------------------------


def test_the_bundled_table_spells_common_news_acronyms_and_names() -> None:
    table = AliasTable.bundled()
    assert table.lookup("NATO") == ("الناتو",)
    assert table.lookup("brics") == ("بريكس",)
    assert table.lookup("Rosatom") == ("روساتوم",)
    assert table.lookup("OPEC") == ("أوبك",)
    assert table.lookup("UNESCO") == ("اليونسكو",)
    assert table.lookup("Putin") == ("بوتين", "بوتن")  # most common spelling first


def test_the_table_grows_without_changing_the_original() -> None:
    grown = NO_ALIASES.with_aliases({"Salimov": "سليموف"}).with_aliases([("SALIMOV", "ساليموف")])
    assert grown.lookup("salimov") == ("سليموف", "ساليموف")
    assert NO_ALIASES.lookup("salimov") == ()
    assert grown.with_aliases([("Salimov", "سليموف")]) == grown  # a known spelling is not repeated


@pytest.mark.parametrize(
    ("latin", "arabic"), [("two words", "كلمة"), ("بوتين", "بوتين"), ("UN", "الأمم المتحدة"), ("", "كلمة")]
)
def test_an_alias_must_be_one_latin_word_for_one_arabic_word(latin: str, arabic: str) -> None:
    with pytest.raises(ValueError):
        NO_ALIASES.with_aliases([(latin, arabic)])


def test_a_table_file_is_read_line_by_line_and_a_bad_line_is_named() -> None:
    table = AliasTable.parse("# comment\nNATO\tالناتو|ناتو\n\nOPEC\tأوبك\n")
    assert table.lookup("nato") == ("الناتو", "ناتو")
    assert table.lookup("opec") == ("أوبك",)
    with pytest.raises(ValueError, match="line 2"):
        AliasTable.parse("NATO\tالناتو\nOPEC أوبك\n", name="aliases")


# Respelling a question -------------------------------------------------------------------------


ANALYZER = ArabicAnalyzer()


def respell(question: str, aliases: AliasTable, *articles: Article) -> Question:
    index = SentenceIndex.build([*articles, FILLER], ANALYZER, SearchWeights())
    return respell_latin_words(ANALYZER.analyze_question(question), aliases, ANALYZER, index)


def test_a_latin_word_gets_the_arabic_spelling_the_corpus_uses() -> None:
    question = respell("ما هو دور Rosatom في المغرب؟", AliasTable.bundled(), REACTOR)
    (latin,) = [spellings for spellings in question.spellings() if spellings[0].word == "rosatom"]
    assert [spelling.word for spelling in latin] == ["rosatom", "روساتوم"]
    assert "روساتوم" in question.terms.word  # searched too
    assert question.words == ANALYZER.analyze_question("ما هو دور Rosatom في المغرب؟").words  # still one word


def test_a_table_spelling_the_corpus_never_uses_is_not_added() -> None:
    question = respell("ما موقف NATO من المغرب؟", AliasTable.bundled(), REACTOR)
    assert all(len(spellings) == 1 for spellings in question.spellings())


def test_a_name_the_table_lacks_is_transliterated_and_kept_where_the_corpus_holds_it() -> None:
    question = respell("ماذا وقع Salimov؟", NO_ALIASES, REACTOR)
    (spellings,) = [s for s in question.spellings() if s[0].word == "salimov"]
    assert [spelling.skeleton for spelling in spellings[1:]] == ["سلمف"]  # سليموف's skeleton
    assert respell("ماذا وقع Petrov؟", NO_ALIASES, REACTOR).alternatives == ()


def test_arabic_words_are_never_respelled() -> None:
    assert respell("ماذا وقع سليموف؟", AliasTable.bundled(), REACTOR).alternatives == ()


# Answers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("ما هو دور Rosatom في بناء المحطة النووية؟", "تتنافس شركة روساتوم"),  # through the table
        ("متى انضمت الدولة إلى BRICS؟", "انضمت الدولة إلى مجموعة بريكس"),
        ("ماذا وقع الوزير Salimov؟", "وقع الوزير سليموف"),  # transliterated
    ],
)
def test_a_question_with_a_latin_name_is_answered_from_its_arabic_spelling(
    question: str, quoted: str
) -> None:
    answer = engine(REACTOR).answer(question)
    assert answer.answered, answer.abstain_reason
    assert answer.quotes[0].text.startswith(quoted)


def test_the_arabic_spelling_is_highlighted() -> None:
    quote = engine(REACTOR).answer("ما هو دور Rosatom في بناء المحطة النووية؟").quotes[0]
    assert "روساتوم" in [quote.text[start:end] for start, end in quote.highlights]


def test_a_table_the_caller_grows_reaches_names_transliteration_misses() -> None:
    # Morocco's consonants (مرك) are not المغرب's: only an alias finds it.
    question = "ما دور روساتوم في Morocco؟"
    plain = engine(REACTOR, aliases=NO_ALIASES)
    assert plain.answer(question).abstain_reason == "weak_match"
    grown = plain.with_aliases(plain.aliases.with_aliases({"Morocco": "المغرب"}))
    assert grown.answer(question).quotes[0].text.startswith("تتنافس شركة روساتوم")


def test_a_latin_word_the_corpus_writes_in_latin_is_searched_as_written() -> None:
    latin = Article(id="latin", title="t", text="أعلنت شركة Rosatom عن مشروع جديد في المغرب.")
    quote = engine(latin, aliases=NO_ALIASES).answer("ما مشروع Rosatom في المغرب؟").quotes[0]
    assert quote.article.id == "latin"


def test_markup_like_characters_in_a_question_are_just_text() -> None:
    answer = engine(REACTOR).answer("<b>x</b> ما دور شركة روساتوم في بناء المحطة النووية؟")
    assert answer.answered
    assert answer.quotes[0].text.startswith("تتنافس شركة روساتوم")
