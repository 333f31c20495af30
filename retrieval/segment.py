"""Arabic sentence segmentation that keeps character offsets into the original text.

Rules: ``. ! ? ؟ …`` end a sentence when followed by white space (closing quotes and
brackets stay with the sentence they close); line breaks always end one; ``،`` ``؛``
and ``:`` never do. A full stop after a one-letter abbreviation (``د.``, ``م.``, ``U.S.``)
or inside a number (``27.5``) is not a boundary. A full stop glued to the next Arabic
word (``لحظة.وصل``, common in scraped text) is one.

Sentences longer than ``max_chars`` are cut at the last clause mark (``؛ ، , ; :``)
before the limit, else at the last space, so every passage stays quotable.
"""

from __future__ import annotations

import re

from retrieval.records import MAX_QUOTE_CHARS, Sentence

_TERMINALS = ".!?؟…"
_CLOSERS = "»\"”’')]}›"
# A terminal run, then closers, then white space or the end of text.
_BOUNDARY = re.compile(rf"[{re.escape(_TERMINALS)}]+[{re.escape(_CLOSERS)}]*(?=\s|$)")
# A full stop between two Arabic letters, e.g. text glued by a scraper.
_GLUED = re.compile(r"(?<=[\u0621-\u064a]{2})\.(?=[\u0621-\u064a])")
_CLAUSE_MARKS = re.compile(r"[؛،,;:](?=\s)")
_HAS_LETTER_OR_DIGIT = re.compile(r"\w")
# Multi-letter abbreviations that end in a full stop; one-letter ones are handled generally.
_ABBREVIATIONS = frozenset({"ق.م", "أ.د", "ص.ب", "Mr", "Dr", "St", "No", "vs", "etc"})

# A whole sentence may be quoted: cutting below the quote limit splits answers from their sentence.
DEFAULT_MAX_CHARS = MAX_QUOTE_CHARS


def segment_sentences(
    text: str, article_id: str = "", *, max_chars: int = DEFAULT_MAX_CHARS
) -> list[Sentence]:
    """Split ``text`` into sentences; each is ``text[start:end]`` with outer white space trimmed."""
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text):
        spans.extend(_sentences_in_line(text, line_start, line_end))
    sentences: list[Sentence] = []
    for start, end in spans:
        for piece_start, piece_end in _cap_length(text, start, end, max_chars):
            piece_start, piece_end = _trim(text, piece_start, piece_end)
            if piece_start < piece_end and _HAS_LETTER_OR_DIGIT.search(text, piece_start, piece_end):
                sentences.append(
                    Sentence(
                        article_id=article_id,
                        index=len(sentences),
                        start=piece_start,
                        end=piece_end,
                        text=text[piece_start:piece_end],
                    )
                )
    return sentences


def _lines(text: str) -> list[tuple[int, int]]:
    lines = []
    start = 0
    for match in re.finditer(r"\r\n|\r|\n|\u2028|\u2029", text):
        lines.append((start, match.start()))
        start = match.end()
    lines.append((start, len(text)))
    return lines


def _sentences_in_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [
        m.end() for m in _BOUNDARY.finditer(text, start, end) if not _is_abbreviation(text, start, m.start())
    ]
    cuts += [m.end() for m in _GLUED.finditer(text, start, end)]
    spans = []
    previous = start
    for cut in sorted(set(cuts)):
        spans.append((previous, cut))
        previous = cut
    spans.append((previous, end))
    return spans


def _is_abbreviation(text: str, line_start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = _word_before(text, line_start, dot)
    if not word:
        return False
    if len(word) == 1 and not word.isdigit():
        return True
    # Dotted abbreviations such as "ق.م" or "U.S": look back over the dots.
    back = text[max(line_start, dot - 6) : dot].split()[-1:] or [""]
    return word in _ABBREVIATIONS or back[0] in _ABBREVIATIONS


def _word_before(text: str, line_start: int, dot: int) -> str:
    """The last word (a run of ``\\w`` characters) in ``text[line_start:dot]``, or "".

    Scanned backwards from the dot: a regex anchored at the end would be tried from every
    position of the line, quadratic in a one-line article.
    """
    end = dot
    while end > line_start and not _is_word_character(text[end - 1]):
        end -= 1
    start = end
    while start > line_start and _is_word_character(text[start - 1]):
        start -= 1
    return text[start:end]


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"  # what re's \w matches in a str pattern


def _cap_length(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > max_chars:
        window_end = start + max_chars
        floor = start + max_chars // 3
        marks = [m.end() for m in _CLAUSE_MARKS.finditer(text, floor, window_end)]
        if marks:
            cut = marks[-1]
        else:
            space = text.rfind(" ", floor, window_end)
            cut = space if space > start else window_end
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
