"""User text to safe HTML: CommonMark with line breaks kept, then sanitised."""

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the source is shown as text, never passed through.
_markdown = MarkdownIt("commonmark", {"breaks": True, "html": False}).enable("table").enable("strikethrough")

_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


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
