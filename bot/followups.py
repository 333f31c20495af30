"""Follow-up questions: does a message lean on the previous question, and what does it ask then.

Pure functions over text (the analyzer decides what a content word is, so stopwords are not
listed twice). A follow-up is answered as the previous question's topic plus its own words:
after «متى وصل بوتين إلى كازاخستان؟», «وماذا عن اليورانيوم؟» asks
«اليورانيوم (بوتين، كازاخستان)؟». The bot shows that reading, so a wrong guess is visible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.question_rule import INTERROGATIVES, OPENING_INTERROGATIVES
from retrieval import ArabicAnalyzer, normalize_arabic

# Openers that only make sense after another question (normalised spelling, longest first).
# «و» before an interrogative («ومتى», «وكيف») is handled generally below.
OPENERS: Final = ("وماذا عن", "ماذا عن", "وما رايك في", "وماذا بشان", "وبالنسبه ل", "وبالنسبه الي")
# The interrogatives of ``bot.question_rule`` (standard and dialect, wherever they stand), plus «لِمَ»
# and «لِما» (why): after another question they ask, while a group reply opening with «لم» is
# usually "did not" («لم أفهم»), so the group rule leaves them out.
_INTERROGATIVES: Final = INTERROGATIVES | OPENING_INTERROGATIVES | {"لما", "لم"}
# Interrogatives usually followed by the verb of the question («متى وصل…», «لماذا طردت…»).
_VERB_FOLLOWS: Final = frozenset({"متي", "لماذا", "لم", "كيف", "هل", "اين", "ماذا"})
# Words that point back («that», «there») rather than name something.
_POINTING: Final = frozenset(
    {"ذلك", "تلك", "هناك", "هنالك", "هؤلاء", "اولئك", "عنه", "عنها", "عنهم", "فيه", "فيها"}
)
# Third-person pronouns standing alone; after «ما/من» they are a copula («ما هي عاصمة…»), not a reference.
_PRONOUNS: Final = frozenset({"هو", "هي", "هم", "هما", "هن"})
_COPULA_BEFORE: Final = frozenset({"ما", "من", "ماذا"})
# Attached pronouns at the end of a word as typed (before normalisation folds ة into ه).
_ATTACHED: Final = ("هما", "هم", "هن", "ها", "ه")
_MIN_ATTACHED_WORD = 4
# Words whose final «ه» belongs to the word: «الله» and its prefixed forms.
_NOT_ATTACHED: Final = ("لله",)
# A message with at most this many content words can lean on a pronoun or on a reply.
FEW_CONTENT_WORDS: Final = 2
# A completed question keeps at most this many topic words, so a chain of follow-ups stays short.
MAX_TOPIC_WORDS: Final = 6
_WORD = re.compile(r"\S+")
_TRAILING_MARKS = "؟?!.،,؛;:…"


@dataclass(frozen=True, slots=True)
class Reading:
    """A message read as a possible follow-up: its own part and its content words."""

    rest: str  # the message without a follow-up opener («وماذا عن اليورانيوم؟» -> «اليورانيوم؟»)
    opener: bool  # it opened with «وماذا عن», «وهل», «ولماذا», «و» + interrogative…
    refers_back: bool  # a pronoun or a pointing word («زارها», «ذلك»)
    content_words: tuple[str, ...]  # surfaces of the words the analyzer keeps as content
    asks: bool = False  # it holds an interrogative («لماذا؟» alone asks about the previous topic)


def read_message(text: str, analyzer: ArabicAnalyzer) -> Reading:
    """Split off a follow-up opener and find pronouns and content words in the rest."""
    words = _WORD.findall(text.strip())
    normalized = [normalize_arabic(word).strip(_TRAILING_MARKS) for word in words]
    opener = False
    joined = " ".join(normalized)
    for phrase in OPENERS:
        if joined == phrase or joined.startswith(phrase + " "):
            words = words[len(phrase.split()) :]
            normalized = normalized[len(phrase.split()) :]
            opener = True
            break
    else:
        if len(normalized) > 1 and normalized[0] == "و" and normalized[1] in _INTERROGATIVES:
            # «و ما نتيجتها؟»: the «و» typed apart.
            words, normalized = words[1:], normalized[1:]
            opener = True
        elif normalized and normalized[0].startswith("و") and normalized[0][1:] in _INTERROGATIVES:
            # «وهل», «ولماذا», «ومتى»: keep the interrogative, drop the «و» that ties it to before.
            words = [words[0][1:], *words[1:]]
            normalized = [normalized[0][1:], *normalized[1:]]
            opener = True
    rest = " ".join(words)
    content = tuple(
        token.surface
        # The engine's own reading of content words; «ولماذا» is not in its stopwords, so interrogatives go too.
        for token in analyzer.analyze_question(rest).tokens
        if not _is_interrogative(token.surface)
    )
    return Reading(
        rest=rest,
        opener=opener,
        refers_back=_refers_back(words, normalized),
        content_words=content,
        asks=any(word in _INTERROGATIVES for word in normalized),
    )


def leans_on_previous(reading: Reading, *, replies_to_answer: bool = False) -> bool:
    """True when the message needs the previous question to be understood.

    An opener is enough. A pronoun, or a reply to the bot's answer, counts only with few content
    words: «لماذا زارها؟» leans on what came before, a full question replying to an answer does not.
    """
    if reading.opener:
        return bool(reading.rest.strip(_TRAILING_MARKS + " "))
    if not reading.content_words:
        return reading.asks  # «لماذا؟», «متى؟»: nothing but the question word
    few = len(reading.content_words) <= FEW_CONTENT_WORDS
    return few and (reading.refers_back or replies_to_answer)


def expand_followup(previous: str, reading: Reading, analyzer: ArabicAnalyzer) -> str:
    """The follow-up completed with the previous question, in a form the reader can check.

    A bare interrogative («ولماذا؟») takes the previous question's place: «لماذا وصل بوتين إلى
    كازاخستان؟». Otherwise the follow-up's own words come first and the previous topic follows
    in parentheses: «اليورانيوم (بوتين، كازاخستان)؟». The topic is the previous question's content
    words the follow-up does not already hold (by stem), at most ``MAX_TOPIC_WORDS``, without the
    verb right after its interrogative («متى وصل…»): that verb asked about the old fact, not the topic.
    Words that stood together stay together: «(رئيس الوزراء الماليزي، القاهرة)».
    """
    own = reading.rest.strip().rstrip(_TRAILING_MARKS).strip()
    if not reading.content_words:
        return f"{own} {_without_interrogatives(previous)}؟".strip()
    own_stems = {token.terms.stem for token in analyzer.tokens(own)}
    # Kept words as runs: words next to each other in the question («رئيس الوزراء الماليزي») stay together.
    runs: list[list[str]] = []
    kept = 0
    last_end: int | None = None
    asked_verb: str | None = None
    after_interrogative = False
    for token in analyzer.tokens(previous):
        if _is_interrogative(token.surface):
            after_interrogative = normalize_arabic(token.surface).removeprefix("و") in _VERB_FOLLOWS
            continue
        if after_interrogative and not token.is_stopword and asked_verb is None:
            asked_verb = token.surface
            after_interrogative = False
            continue
        after_interrogative = False
        stem = token.terms.stem
        if token.is_stopword or stem in own_stems or kept >= MAX_TOPIC_WORDS:
            continue
        own_stems.add(stem)
        adjacent = last_end is not None and not previous[last_end : token.start].strip()
        if adjacent and runs:
            runs[-1].append(token.surface)
        else:
            runs.append([token.surface])
        kept += 1
        last_end = token.end
    if not runs and asked_verb is not None:
        runs = [[asked_verb]]
    topic = "، ".join(" ".join(run) for run in runs)
    return f"{own} ({topic})؟" if topic else f"{own}؟"


def _without_interrogatives(question: str) -> str:
    """``question`` without its leading interrogatives and its final question mark."""
    words = question.strip().rstrip(_TRAILING_MARKS).split()
    while words and _is_interrogative(words[0]):
        words = words[1:]
    return " ".join(words)


def _is_interrogative(surface: str) -> bool:
    word = normalize_arabic(surface)
    return word in _INTERROGATIVES or (word.startswith("و") and word[1:] in _INTERROGATIVES)


def _refers_back(words: list[str], normalized: list[str]) -> bool:
    for index, (word, plain) in enumerate(zip(words, normalized, strict=True)):
        if plain in _POINTING:
            return True
        if plain in _PRONOUNS:
            if index == 0 or normalized[index - 1] not in _COPULA_BEFORE:
                return True
            continue
        bare = word.strip(_TRAILING_MARKS)
        if (
            len(bare) >= _MIN_ATTACHED_WORD
            and bare.endswith(_ATTACHED)
            and plain not in _INTERROGATIVES
            and not plain.endswith(_NOT_ATTACHED)
        ):
            return True
    return False
