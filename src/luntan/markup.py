"""User text to safe HTML and to plain text, from one parse.

CommonMark with line breaks kept, then sanitised. Section headings get ids of
our own making (`sec-1`, `sec-2`, … in document order), so a table of
contents (`headings`) can link to them; the source cannot set ids, as raw
HTML is shown as text.

The plain text (what search indexes and quotes, what a summary is drawn
from) is read off markdown-it's tokens, never off the source with regular
expressions: the parser is linear in the length of the text, and a pattern
over brackets or emphasis marks is not (a body of 30,000 "[" once took 11 s
per page view). `render` runs once, when a post is written.
"""

import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

# Raw HTML in the source is shown as text, never passed through.
_markdown = MarkdownIt("commonmark", {"breaks": True, "html": False}).enable("table").enable("strikethrough")
# Levels a table of contents lists.
TOC_LEVELS = (1, 2, 3)


def _number_headings(state) -> None:
    number = 0
    for token in state.tokens:
        if token.type == "heading_open":
            number += 1
            token.attrSet("id", f"sec-{number}")


_markdown.core.ruler.push("heading_ids", _number_headings)


def _image_as_link(renderer, tokens, idx, options, env) -> str:
    """An image in a post is shown as a link to it: the page loads nothing
    from other sites (the Content Security Policy would refuse it anyway), so
    a reader's address goes nowhere they did not choose to go."""
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env).strip()
    src = escapeHtml(token.attrGet("src") or "")
    return f'<a href="{src}">[图片{"：" + escapeHtml(alt) if alt else ""}]</a>'


_markdown.add_render_rule("image", _image_as_link)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


def headings(text: str) -> list[Heading]:
    """The section headings of a Markdown text, in order, with the anchors
    `render_markdown` gives them: what a table of contents lists."""
    tokens = _markdown.parse(text)
    found = []
    for opening, inline in zip(tokens, tokens[1:]):
        if opening.type == "heading_open" and int(opening.tag[1]) in TOC_LEVELS:
            plain = "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))
            if plain.strip():
                found.append(Heading(int(opening.tag[1]), plain.strip(), opening.attrGet("id")))
    return found

_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
_ATTRIBUTES = {**{f"h{n}": {"id"} for n in range(1, 7)}, "a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


@dataclass(frozen=True)
class Rendered:
    html: str
    # The words a reader sees, on one line, code blocks left out: search
    # indexes it and quotes from it.
    text: str
    # The same without section headings: what a summary is drawn from.
    lead: str


_SPACE = re.compile(r"\s+")


def render(source: str, *, limit: int) -> Rendered:
    """`source` as sanitised HTML and as plain text, parsed once.

    `limit` bounds the work: a longer source is refused (ValueError), as the
    posting services refuse it with a message before they get here."""
    if len(source) > limit:
        raise ValueError(f"text of {len(source)} characters, over the limit of {limit}")
    if not source.strip():
        return Rendered("", "", "")
    env: dict = {}
    tokens = _markdown.parse(source, env)
    html = nh3.clean(
        _markdown.renderer.render(tokens, _markdown.options, env),
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    every, lead = [], []
    in_heading = False
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline":
            words = _inline_text(token.children or [])
            every.append(words)
            if not in_heading:
                lead.append(words)
    return Rendered(html, _one_line(every), _one_line(lead))


def render_markdown(source: str, *, limit: int) -> str:
    """Only the HTML of `render` (messages, site pages: nothing quotes them)."""
    return render(source, limit=limit).html


def _inline_text(children) -> str:
    """The words of one paragraph, heading or cell: text, code, the alt text
    of images; line breaks as spaces; markup (emphasis, links) dropped."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
    return "".join(parts)


def _one_line(pieces: list[str]) -> str:
    return _SPACE.sub(" ", " ".join(pieces)).strip()
