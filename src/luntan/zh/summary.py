"""Summaries (摘要) drawn from a body: a prefix of its text that ends at a
sentence end, punctuation and digits kept — not the keyword-stripped, digit-free
mash some sites show."""

import re

SENTENCE_END = "。！？!?…；;"
_CLOSERS = "”’」』）)】\"'"

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_LINE_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.M)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)(?=\S)(.+?)(?<=\S)\1")
_SPACE = re.compile(r"\s+")
# A section heading names what follows; it is not a sentence of the summary.
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}(?:[ \t].*)?$", re.M)


def plain_text(markdown: str) -> str:
    """Markdown reduced to the words a reader sees, on one line."""
    text = _FENCE.sub(" ", markdown)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _LINE_MARK.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    return _SPACE.sub(" ", text).strip()


def _sentence_ends(text: str) -> list[int]:
    """Positions just after each sentence end (closing quotes included)."""
    ends = []
    for index, char in enumerate(text):
        is_end = char in SENTENCE_END or (char == "." and (index + 1 == len(text) or text[index + 1] == " "))
        if not is_end:
            continue
        stop = index + 1
        while stop < len(text) and text[stop] in SENTENCE_END + _CLOSERS:
            stop += 1
        if not ends or ends[-1] != stop:
            ends.append(stop)
    return ends


def summarize(markdown: str, limit: int = 120) -> str:
    """The longest run of whole sentences from the start within `limit` characters.

    When even the first sentence is longer, it is cut at `limit` and marked with
    "……" (the one case where the summary does not end a sentence of the text).
    A text with no sentence end at all is treated as one sentence. Section
    headings are left out.
    """
    text = plain_text(_HEADING_LINE.sub("", markdown))
    if len(text) <= limit:
        return text
    fitting = [end for end in _sentence_ends(text) if end <= limit]
    if fitting:
        return text[: fitting[-1]].strip()
    return text[:limit].rstrip() + "……"
