"""``---``-fenced ``key: value`` metadata at the top of a text or Markdown article."""

from __future__ import annotations

from collections.abc import Collection

_FENCE = "---\n"
_CLOSING_FENCE = "\n---\n"


def split_front_matter(text: str, keys: Collection[str]) -> tuple[dict[str, str], str]:
    """The known ``keys`` of a leading front-matter block, and the text after it.

    Text without a complete block is returned whole, with no metadata: a stray ``---`` line in
    an article must not swallow its opening paragraphs.
    """
    if not text.startswith(_FENCE):
        return {}, text
    end = text.find(_CLOSING_FENCE, len(_FENCE) - 1)
    if end == -1:
        return {}, text
    metadata: dict[str, str] = {}
    for line in text[len(_FENCE) : end].splitlines():
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if colon and key in keys and value.strip():
            metadata[key] = value.strip().strip("\"'")
    return metadata, text[end + len(_CLOSING_FENCE) :]
