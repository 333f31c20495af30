"""Telegram's HTML parse mode, re-implemented for the Bot API stand-in and for render tests.

Follows the Bot API "HTML style" rules and TDLib's error texts: only the documented tags,
only &lt; &gt; &amp; &quot; and numeric entities (an unknown ``&...;`` stays literal, as in
TDLib), end tags must match the innermost open tag, and every tag must be closed.
Entity offsets and lengths are in UTF-16 code units, as the Bot API reports them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; ``str(error)`` is TDLib's description."""


@dataclass
class _OpenTag:
    name: str
    start: int  # UTF-16 offset in the output text
    attributes: dict[str, str] = field(default_factory=dict)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, index: int) -> tuple[str, int] | None:
    """The character of the entity at ``text[index] == '&'`` and the index after it, or None."""
    end = text.find(";", index + 1, index + 12)
    if end == -1:
        return None
    name = text[index + 1 : end]
    if name in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[name], end + 1
    try:
        if name.startswith(("#x", "#X")):
            code = int(name[2:], 16)
        elif name.startswith("#"):
            code = int(name[1:], 10)
        else:
            return None
        return chr(code), end + 1
    except (ValueError, OverflowError):
        return None


def _parse_attributes(text: str, index: int, tag: str) -> tuple[dict[str, str], int]:
    """Parse ``name="value"`` pairs up to '>'; return them and the index after '>'."""
    attributes: dict[str, str] = {}
    length = len(text)
    while True:
        while index < length and text[index].isspace():
            index += 1
        if index >= length:
            raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(text, index)}")
        if text[index] == ">":
            return attributes, index + 1
        if text[index] == "/" and index + 1 < length and text[index + 1] == ">":
            return attributes, index + 2
        name_start = index
        while index < length and not text[index].isspace() and text[index] not in "=>/":
            index += 1
        name = text[name_start:index].lower()
        if not name:
            raise HtmlParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {_byte_offset(text, index)}'
            )
        while index < length and text[index].isspace():
            index += 1
        if index >= length or text[index] != "=":
            # A bare attribute such as <blockquote expandable>.
            attributes[name] = ""
            continue
        index += 1
        while index < length and text[index].isspace():
            index += 1
        if index >= length:
            raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(text, index)}")
        if text[index] in "\"'":
            quote = text[index]
            end = text.find(quote, index + 1)
            if end == -1:
                raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(text, index)}")
            raw = text[index + 1 : end]
            index = end + 1
        else:
            value_start = index
            while index < length and not text[index].isspace() and text[index] != ">":
                index += 1
            raw = text[value_start:index]
        attributes[name] = html.unescape(raw) if "&" in raw else raw


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and Bot API entities of ``text``; raise HtmlParseError like Telegram does."""
    out: list[str] = []
    out_len = 0  # UTF-16 length of the output so far
    entities: list[dict[str, Any]] = []
    stack: list[_OpenTag] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "&":
            decoded = _decode_entity(text, index)
            if decoded is not None:
                out.append(decoded[0])
                out_len += utf16_length(decoded[0])
                index = decoded[1]
                continue
        if char != "<":
            out.append(char)
            out_len += utf16_length(char)
            index += 1
            continue
        tag_offset = index
        if index + 1 < length and text[index + 1] == "/":
            end = text.find(">", index)
            if end == -1:
                raise HtmlParseError(f"Unclosed end tag at byte offset {_byte_offset(text, tag_offset)}")
            name = text[index + 2 : end].strip().lower()
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {_byte_offset(text, tag_offset)}")
            open_tag = stack.pop()
            if name != open_tag.name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, tag_offset)}, "
                    f'expected "</{open_tag.name}>", found "</{name}>"'
                )
            entity = _entity(open_tag, out_len, stack)
            if entity is not None:
                entities.append(entity)
            index = end + 1
            continue
        name_start = index + 1
        name_end = name_start
        while name_end < length and not text[name_end].isspace() and text[name_end] not in ">/":
            name_end += 1
        name = text[name_start:name_end].lower()
        if name not in _ENTITY_TYPES:
            raise HtmlParseError(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, tag_offset)}'
            )
        attributes, index = _parse_attributes(text, name_end, name)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
        if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise HtmlParseError('Custom emoji entity must have "emoji-id" attribute')
        if name == "blockquote" and any(tag.name == "blockquote" for tag in stack):
            raise HtmlParseError("Blockquote entities can't be nested")
        stack.append(_OpenTag(name, out_len, attributes))
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(out), entities


def _entity(tag: _OpenTag, end: int, outer: list[_OpenTag]) -> dict[str, Any] | None:
    if end <= tag.start:
        return None  # Telegram drops empty entities
    kind = _ENTITY_TYPES[tag.name]
    entity: dict[str, Any] = {"type": kind, "offset": tag.start, "length": end - tag.start}
    if kind == "text_link":
        url = tag.attributes.get("href", "")
        if not url.startswith(("http://", "https://", "tg://")):
            return None  # Telegram silently drops links it cannot use
        entity["url"] = url
    elif kind == "blockquote" and "expandable" in tag.attributes:
        entity["type"] = "expandable_blockquote"
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = tag.attributes["emoji-id"]
    elif kind == "code" and outer and outer[-1].name == "pre":
        return None  # <pre><code class="language-x"> becomes one pre entity with a language
    elif kind == "pre":
        language = tag.attributes.get("class", "")
        if language.startswith("language-"):
            entity["language"] = language.removeprefix("language-")
    return entity
