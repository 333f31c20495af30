"""Telegram HTML for right-to-left text: escaping, direction marks, bold spans, blockquotes cut to
size, and lines packed into messages within ``MessageLimit.MAX_TEXT_LENGTH``.

The building blocks ``bot.render`` (and the listing, alerts and handlers) compose messages from;
pure functions. Every value goes through ``escape`` (``html.escape`` after replacing lone
surrogates, which a JSON ``"\ud800"`` escape in an article file can carry and which UTF-8 cannot
send); messages are split only between blocks (quotes, lines), never inside a tag.

Right-to-left: Telegram clients pick a paragraph's direction from its first strong
character, so a line that opens with Latin text or a URL would flip to left-to-right.
Lines we compose start with RLM; metadata values (outlets, dates, titles) sit in
first-strong isolates so their own direction cannot reorder the line around them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from telegram.constants import MessageLimit

RLM = "\u200f"  # RIGHT-TO-LEFT MARK
FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
MAX_MESSAGE = int(MessageLimit.MAX_TEXT_LENGTH)


@dataclass(frozen=True, slots=True)
class Block:
    """Consecutive HTML lines that belong together; messages split between blocks if possible."""

    lines: tuple[str, ...]


_SURROGATE = re.compile("[\ud800-\udfff]")


def escape(value: str) -> str:
    """``value`` as HTML text: escaped, and each lone surrogate shown as U+FFFD (same length, so
    offsets into ``value`` still hold)."""
    return html.escape(_SURROGATE.sub("\ufffd", value))


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); HTML markup only overestimates it."""
    return len(text.encode("utf-16-le")) // 2


def rtl(text: str) -> str:
    """Start every line of composed ``text`` with RLM so it stays right-to-left whatever it opens with."""
    return RLM + text.replace("\n", "\n" + RLM)


def isolate(value: str) -> str:
    """Escape ``value`` and isolate it so Latin text, URLs or digits do not reorder the line."""
    return f"{FSI}{escape(value)}{PDI}"


def _starts_left_to_right(text: str) -> bool:
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return False
        if direction == "L":
            return True
    return False


def _merge_spans(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Clip, sort and merge spans; spans separated only by whitespace become one (fewer entities)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if start >= end:
            continue
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def emphasize(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escape ``text`` and wrap the given character spans in <b>; tags never cross a line."""
    parts: list[str] = []
    cursor = 0
    for start, end in _merge_spans(text, spans):
        parts.append(escape(text[cursor:start]))
        # Bold stops at line breaks so that every line keeps its own balanced tags.
        bold_lines = text[start:end].split("\n")
        parts.append("\n".join(f"<b>{escape(chunk)}</b>" if chunk else "" for chunk in bold_lines))
        cursor = end
    parts.append(escape(text[cursor:]))
    return "".join(parts)


def _blockquote_lines(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """One <blockquote>; a line opening with Latin text gets an RLM so it stays right-to-left."""
    body = emphasize(text, spans)
    lines = body.split("\n")
    source_lines = text.split("\n")
    fixed = [
        RLM + line if _starts_left_to_right(raw) else line
        for line, raw in zip(lines, source_lines, strict=True)
    ]
    return "<blockquote>" + "\n".join(fixed) + "</blockquote>"


def _pieces(text: str, budget: int) -> list[tuple[int, int]]:
    """Cut ``text`` into (start, end) ranges of at most ``budget`` characters, at whitespace if possible."""
    ranges: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > budget:
        cut = text.rfind(" ", start + budget // 2, start + budget)
        cut = cut if cut > start else start + budget
        ranges.append((start, cut))
        start = cut
    ranges.append((start, len(text)))
    return ranges


def quote_atoms(text: str, spans: Sequence[tuple[int, int]], *, limit: int) -> list[str]:
    """The quote as one or more blockquotes, each within ``limit`` once escaped and emphasised."""
    whole = _blockquote_lines(text, spans)
    if telegram_length(whole) <= limit:
        return [whole]
    # Escaping can grow text up to 6x (&quot;) and bold adds tags: shrink until every piece fits.
    budget = limit // 2
    while True:
        atoms = []
        for start, end in _pieces(text, budget):
            local = [(s - start, e - start) for s, e in spans if e > start and s < end]
            atoms.append(_blockquote_lines(text[start:end], local))
        if all(telegram_length(atom) <= limit for atom in atoms):
            return atoms
        budget //= 2


def shorten(value: str, limit: int) -> str:
    """``value`` cut to at most ``limit`` characters, the cut marked with «…»."""
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def pack(blocks: Sequence[Block], *, limit: int = MAX_MESSAGE) -> list[str]:
    """Join blocks into messages within ``limit``; a block is split across messages only if it must be."""
    messages: list[str] = []
    current: list[str] = []

    def size(lines: Sequence[str]) -> int:
        return telegram_length("\n".join(lines))

    def flush() -> None:
        if current:
            messages.append("\n".join(current).strip("\n"))
            current.clear()

    for block in blocks:
        separator = [""] if current else []
        if size([*current, *separator, *block.lines]) <= limit:
            current.extend([*separator, *block.lines])
            continue
        flush()
        for line in block.lines:
            if current and size([*current, line]) > limit:
                flush()
            current.append(line)
    flush()
    return messages
