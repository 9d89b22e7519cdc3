"""Summaries (摘要) drawn from a text: a prefix that ends at a sentence end,
punctuation and digits kept — not the keyword-stripped, digit-free mash some
sites show.

The text is plain already (`luntan.markup.render` reads it off the Markdown
parser's tokens); nothing here looks at markup.
"""

SENTENCE_END = "。！？!?…；;"
_CLOSERS = "”’」』）)】\"'"


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


def summarize(text: str, limit: int = 120) -> str:
    """The longest run of whole sentences from the start of `text` within
    `limit` characters; only the first `limit` + 1 characters are read.

    When even the first sentence is longer, it is cut at `limit` and marked with
    "……" (the one case where the summary does not end a sentence of the text).
    A text with no sentence end at all is treated as one sentence.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    # A sentence ending at `limit` may be followed by a closing quote, which
    # then belongs to it: one character more tells.
    head = text[: limit + 1]
    fitting = [end for end in _sentence_ends(head) if end <= limit]
    if fitting:
        return head[: fitting[-1]].strip()
    return text[:limit].rstrip() + "……"
