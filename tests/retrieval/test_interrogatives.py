"""Question words of MSA and the dialects: dropped from a question's content words, kept as its kind."""

import pytest

from retrieval import ArabicAnalyzer, QuestionKind
from retrieval.interrogatives import question_kind

analyzer = ArabicAnalyzer()


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("امتى بوتين راح كازاخستان؟", QuestionKind.TIME),  # Egyptian "when"
        ("إيمتى رح يفتح المعرض؟", QuestionKind.TIME),  # Levantine
        ("في أي يوم افتتح المعرض؟", QuestionKind.TIME),
        ("ما تاريخ توقيع الاتفاقية؟", QuestionKind.TIME),
        ("قديش عدد سكان المدينة؟", QuestionKind.NUMBER),
        ("بكام بيعت اللوحة؟", QuestionKind.NUMBER),
        ("ما عدد ضحايا الزلزال؟", QuestionKind.NUMBER),
        ("فين اتقابل الرئيسين؟", QuestionKind.PLACE),
        ("وين صار الاجتماع؟", QuestionKind.PLACE),
        ("في أي مدينة عقدت القمة؟", QuestionKind.PLACE),
        ("مين وقع الاتفاق؟", QuestionKind.PERSON),
        ("ليه طردت روسيا الصحافيين؟", QuestionKind.REASON),
        ("ليش استقال الوزير؟", QuestionKind.REASON),
        ("ما سبب انقطاع الكهرباء؟", QuestionKind.REASON),
        ("شو صار بالمفاوضات؟", QuestionKind.OTHER),
    ],
)
def test_dialect_and_msa_question_words_set_the_kind(question: str, kind: QuestionKind) -> None:
    assert question_kind(question) is kind
    assert analyzer.analyze_question(question).kind is kind


@pytest.mark.parametrize(
    ("question", "content"),
    [
        ("امتى بوتين راح كازاخستان؟", ["بوتين", "راح", "كازاخستان"]),
        ("لو سمحت ليه الدولار غالي؟", ["دولار", "غالي"]),
        ("يعني فين اتقابل الرئيسين؟", ["اتقابل", "رييسين"]),
        ("ازاي اشتغل القطار الجديد؟", ["اشتغل", "قطار", "جديد"]),
        ("هل وقع الطرفان الاتفاق؟", ["وقع", "طرفان", "اتفاق"]),
        ("شو صار هلق بالانتخابات؟", ["انتخابات"]),
        ("ايه اللي حصل دلوقتي في البورصة؟", ["حصل", "بورصه"]),
    ],
)
def test_question_words_and_fillers_are_not_content_words(question: str, content: list[str]) -> None:
    assert [word.word for word in analyzer.analyze_question(question).words] == content


def test_a_time_question_still_wants_a_number_when_asked_in_dialect() -> None:
    assert analyzer.analyze_question("امتى وصل الوفد؟").kind.wants_number
    assert not analyzer.analyze_question("فين وصل الوفد؟").kind.wants_number
