"""User text to safe HTML: CommonMark with line breaks kept, then sanitised.

Section headings get ids of our own making (`sec-1`, `sec-2`, … in document
order), so a table of contents (`headings`) can link to them; the source
cannot set ids, as raw HTML is shown as text.
"""

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


def render_markdown(text: str) -> str:
    if not text.strip():
        return ""
    return nh3.clean(
        _markdown.render(text),
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
