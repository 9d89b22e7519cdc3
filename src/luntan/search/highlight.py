"""Highlighted titles and snippets for search results.

Matching happens on the folded text (script, width and case folded, as the
index folds it); the marks go around the characters of the original text
those folded characters came from, so a reader sees 阿爾特曼 or ＡＩ marked as
it was written. Everything else is HTML-escaped.

A query term matches where its tokens follow each other with nothing but
separators between them, as in the index; a letter/digit token only as a whole
run (ai is not found inside "said"). Where no term matches as a whole (a
second-tier result), the query's characters are marked one by one.
"""

import re
from html import escape
from collections.abc import Iterable, Sequence

from django.utils.safestring import SafeString, mark_safe

from luntan.zh.normalize import fold_chars, fold_chars_with_offsets, is_cjk

from .backends import Terms

SNIPPET_LENGTH = 80
LEAD = 20  # characters of context before the first match
# Texts longer than this are searched for their first match in folded form
# first, and only a region around it is folded character by character.
REGION = 300
# How far into a text a snippet's first match is looked for: past it, the
# snippet shows the text's start. A bound on the work one hit can cost.
SCAN_LIMIT = 20_000

_SEPARATORS = r"[\W_]*"


class Highlighter:
    """The patterns for one query, applied to every result."""

    def __init__(self, terms: Terms):
        self.phrases = _pattern(terms.phrases)
        self.chars = _pattern([(char,) for char in terms.chars])

    def title(self, title: str) -> SafeString:
        folded, offsets = _fold_mapped(title)
        return _marked(title, self._spans(folded, offsets))

    def snippet(self, text: str, *, limit: int = SCAN_LIMIT) -> SafeString:
        """About SNIPPET_LENGTH characters of a body's plain text (`Post.body_text`)
        around its first match within its first `limit` characters."""
        complete = len(text)
        text = text[:limit]
        start = 0
        if len(text) > REGION:
            # Find the match in the cheap folded form, then fold a region around it exactly.
            folded = fold_chars(text)
            first = _first(folded, self.phrases)
            if first is None:
                first = _first(folded, self.chars)
            # fold_chars rarely changes the length; when it does, scale.
            approx = 0 if first is None else first * len(text) // max(len(folded), 1)
            start = max(0, approx - REGION // 3)
        region = text[start : start + REGION]
        folded, offsets = _fold_mapped(region)
        # A match touching a cut edge of the region may be part of a longer run.
        cut_start, cut_end = start > 0, start + len(region) < len(text)
        spans = [
            (a, b) for a, b in self._spans(folded, offsets)
            if not (cut_start and a == 0) and not (cut_end and b == len(region))
        ]
        lead_in = spans[0][0] - LEAD if spans else 0
        window_start = max(0, min(lead_in, len(region) - SNIPPET_LENGTH))
        window_end = window_start + SNIPPET_LENGTH
        shown = region[window_start:window_end]
        inside = [
            (max(a, window_start) - window_start, min(b, window_end) - window_start)
            for a, b in spans
            if a < window_end and b > window_start
        ]
        html = _marked(shown, inside)
        before = "…" if start + window_start > 0 else ""
        after = "…" if start + window_end < complete else ""
        return mark_safe(f"{before}{html}{after}")

    def _spans(self, folded: str, offsets: list[int]) -> list[tuple[int, int]]:
        """Spans of the original text to mark: the terms', else the single characters'."""
        spans = list(_matches(folded, self.phrases)) or list(_matches(folded, self.chars))
        return [(offsets[a], offsets[b - 1] + 1) for a, b in spans]


def _pattern(units: Iterable[Sequence[str]]) -> re.Pattern | None:
    alternatives = sorted({_SEPARATORS.join(map(re.escape, unit)) for unit in units if unit}, key=len, reverse=True)
    return re.compile("|".join(alternatives)) if alternatives else None


def _is_latin(char: str) -> bool:
    """A letter or digit that is not CJK: part of a run the index keeps whole."""
    return char.isalnum() and not is_cjk(char)


def _whole(text: str, start: int, end: int) -> bool:
    """A match does not cut a letter/digit run at either end."""
    return not (
        (start > 0 and _is_latin(text[start]) and _is_latin(text[start - 1]))
        or (end < len(text) and _is_latin(text[end - 1]) and _is_latin(text[end]))
    )


def _matches(text: str, pattern: re.Pattern | None) -> Iterable[tuple[int, int]]:
    if pattern is None:
        return
    position = 0
    while (found := pattern.search(text, position)) is not None:
        if found.end() > found.start() and _whole(text, *found.span()):
            yield found.span()
            position = found.end()
        else:
            position = found.start() + 1


def _first(text: str, pattern: re.Pattern | None) -> int | None:
    return next((start for start, _ in _matches(text, pattern)), None)


def _fold_mapped(text: str) -> tuple[str, list[int]]:
    """`fold_chars(text)` and, for each of its characters, the index of the
    original character it came from."""
    located = fold_chars_with_offsets(text)
    return located.text, located.offsets


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans as one: 阿尔 is one mark, not two."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif start < end:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[tuple[int, int]]) -> SafeString:
    pieces, position = [], 0
    for start, end in _merged(spans):
        pieces += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))
