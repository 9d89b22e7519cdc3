"""Whatever Markdown a member writes, `render_markdown` gives back HTML that
cannot run script, load a javascript:/data:/vbscript: address, or style
itself out of its box.

Hypothesis builds the input from the fragments attackers actually use (raw
tags, event handlers, obfuscated schemes in every kind of Markdown link) mixed
with free text and emphasis; the output is then read back with an HTML parser,
which unescapes attribute values as a browser does, and checked element by
element.
"""

import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from luntan.markup import render_markdown

# What the sanitiser may let through at most (markup._TAGS and _ATTRIBUTES,
# restated: a test that imported them would pass whatever they became).
ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"href", "title", "rel", "src", "alt", "id", "start", "align"}
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "form", "input",
    "button", "textarea", "select", "link", "meta", "base", "template", "noscript", "video", "audio", "source",
}
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data"}
# What a browser ignores inside or around a URL before reading its scheme:
# ASCII whitespace and C0 controls (WHATWG URL: leading/trailing C0 and space
# stripped, tab and newlines removed anywhere). Stripped everywhere here, to be strict.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
REQUIRED_REL = {"nofollow", "ugc", "noopener"}


class Element:
    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]):
        self.tag = tag
        self.attrs = attrs


class Collector(HTMLParser):
    """Every start tag with its attributes, values unescaped (html.parser does
    it as a browser would: named, decimal and hex references, with or without ;)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append(Element(tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, attrs))


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see in an attribute's (already unescaped) value, or None for a relative URL."""
    found = _SCHEME.match(_IGNORED_IN_URL.sub("", url).lower())
    return found.group(1) if found else None


def problems_in(html: str) -> list[str]:
    """Everything unsafe in rendered HTML, described; [] when it is clean."""
    parser = Collector()
    parser.feed(html)
    parser.close()
    found = []
    for element in parser.elements:
        tag = element.tag
        if tag in FORBIDDEN_TAGS or tag not in ALLOWED_TAGS:
            found.append(f"tag <{tag}>")
        names = [name for name, _ in element.attrs]
        for name, value in element.attrs:
            value = value or ""
            if name.startswith("on"):
                found.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                found.append(f"style= on <{tag}>")
            if name not in ALLOWED_ATTRIBUTES:
                found.append(f"attribute {name}= on <{tag}>")
            if name in URL_ATTRIBUTES:
                scheme = scheme_of(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"{scheme}: URL in <{tag} {name}={value!r}>")
            if name == "id" and not re.fullmatch(r"sec-\d+", value):
                found.append(f"id={value!r} not of our making (DOM clobbering)")
        if tag == "a" and "href" in names:
            rel = set((dict(element.attrs).get("rel") or "").split())
            if not REQUIRED_REL <= rel:
                found.append(f"<a href> with rel={sorted(rel)}")
    return found


# --- the generator -------------------------------------------------------------

_BAD_SCHEMES = ["javascript:", "data:", "vbscript:"]
_SCHEME_DISGUISES = [
    "javascript:", "JavaScript:", "JAVASCRIPT:", "jav&#x61;script:", "jav&#97;script:", "&#106;avascript:",
    "javascript&colon;", "jav\tascript:", "java\nscript:", " javascript:", "\x01javascript:", "java\x00script:",
    "javas&#x09;cript:", "jAvAsCrIpT&#58;", "%6Aavascript:", "vbscript:", "VBScript:", "data:",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data:image/svg+xml,<svg onload=alert(1)>",
    "data:image/png;base64,iVBORw0KGgo=", "DATA:image/gif;base64,R0lGOD==", "file:", "livescript:",
]
_PAYLOADS = ["alert(1)", "alert(document.cookie)", "//%0aalert(1)", "void(0)", "", "x"]
_SAFE_URLS = ["https://example.com/", "http://例子.cn/路径?q=1&a=2", "mailto:a@b.cn", "/p/1/", "#sec-1", "relative/path"]

bad_url = st.builds(lambda scheme, payload: scheme + payload, st.sampled_from(_SCHEME_DISGUISES), st.sampled_from(_PAYLOADS))
any_url = st.one_of(bad_url, st.sampled_from(_SAFE_URLS))
label = st.sampled_from(["点这里", "x", "**粗**", "`code`", "<b>b</b>", "![i](javascript:alert(1))", ""])
title_text = st.sampled_from(['', ' "t"', " 't'", ' "x\\" onmouseover=\\"alert(1)"', ' "a" onerror=alert(1)', " (t)"])

_RAW_HTML = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<scr<script>ipt>alert(1)</script>",
    "<style>body{display:none}</style>", "<style>@import 'javascript:alert(1)';</style>",
    '<iframe src="javascript:alert(1)"></iframe>', "<iframe srcdoc='<script>alert(1)</script>'>",
    "<svg onload=alert(1)>", "<svg><script>alert(1)</script></svg>", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', '<math href="javascript:alert(1)">x</math>',
    "<img src=x onerror=alert(1)>", '"><img src=x onerror=alert(1)>', "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    '<a href="javascript:alert(1)">x</a>', '<a href="x" onclick="alert(1)">x</a>', '<a href=x style="position:fixed;inset:0">',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">cover</div>', '<p style="background:url(javascript:alert(1))">',
    "<object data=javascript:alert(1)>", "<embed src=javascript:alert(1)>", '<form action="javascript:alert(1)"><input type=submit>',
    "<input autofocus onfocus=alert(1)>", '<button formaction="javascript:alert(1)">b</button>',
    '<link rel=stylesheet href="javascript:alert(1)">', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">', "<body onload=alert(1)>", "<details open ontoggle=alert(1)>",
    "<template><script>alert(1)</script></template>", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<!--<img src=x onerror=alert(1)>-->", "<![CDATA[<script>alert(1)</script>]]>", "<video><source onerror=alert(1)>",
    "<table background=javascript:alert(1)>", "<h1 id=x style=color:red>h</h1>", '<ol start=1 onclick=alert(1)>',
    "&lt;script&gt;alert(1)&lt;/script&gt;", "&#60;script&#62;alert(1)&#60;/script&#62;",
]

raw_html = st.sampled_from(_RAW_HTML)
inline_link = st.builds(lambda t, u, ti: f"[{t}]({u}{ti})", label, any_url, title_text)
angle_link = st.builds(lambda t, u: f"[{t}](<{u}>)", label, any_url)
image = st.builds(lambda t, u, ti: f"![{t}]({u}{ti})", label, any_url, title_text)
autolink = st.builds(lambda u: f"<{u}>", any_url)
reference = st.builds(
    lambda t, name, u, ti: f"[{t}][{name}]\n\n[{name}]: {u}{ti}\n", label, st.sampled_from(["r", "R 1", "引用"]), any_url, title_text
)
image_reference = st.builds(lambda name, u: f"![alt][{name}]\n\n[{name}]: <{u}>\n", st.sampled_from(["i", "图"]), any_url)
attribute_break = st.sampled_from(['" onmouseover="alert(1)', "' onfocus='alert(1)", "`onload=alert(1)`", "x=\"y\" style=\"z\""])
free_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(list("<>&\"'`=:;/\\()[]!*_#\n\t ")),
    max_size=40,
)
fragment = st.one_of(
    raw_html, inline_link, angle_link, image, autolink, reference, image_reference, attribute_break, free_text, bad_url
)


@st.composite
def emphasised(draw, inner):
    marker = draw(st.sampled_from(["*", "**", "_", "__", "~~", "`", "***"]))
    return f"{marker}{draw(inner)}{marker}"


block_prefix = st.sampled_from(["", "", "", "# ", "## ", "> ", "- ", "1. ", "    ", "```\n", "| a | b |\n| - | - |\n| ", "\n\n"])
piece = st.one_of(fragment, emphasised(fragment), emphasised(emphasised(fragment)))
line = st.builds(lambda prefix, parts: prefix + "".join(parts), block_prefix, st.lists(piece, min_size=1, max_size=4))
separator = st.sampled_from(["\n", "\n\n", " ", ""])
document = st.lists(st.tuples(line, separator), min_size=1, max_size=8).map(lambda pairs: "".join(a + b for a, b in pairs))


@given(document)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("[x](jav&#x61;script:alert(1))")
@example("[x](<javascript:alert(1)>)")
@example("<javascript:alert(1)>")
@example("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)")
@example("![x](data:image/png;base64,iVBORw0KGgo=)")
@example("[r]\n\n[r]: vbscript:msgbox(1)")
@example('[x](https://ok.example/ "t\\" onclick=\\"alert(1)")')
@example("<div style=\"position:fixed;inset:0\">盖住整页</div>")
@example("# <script>alert(1)</script>\n\n> <svg onload=alert(1)>")
def test_rendered_markdown_never_carries_script_handlers_bad_urls_or_style(text):
    html = render_markdown(text, limit=len(text))
    assert problems_in(html) == [], (text, html)


@given(st.lists(fragment, min_size=1, max_size=6).map("".join))
@settings(max_examples=300, deadline=None)
def test_fragments_run_together_without_line_breaks_are_safe_too(text):
    html = render_markdown(text, limit=len(text))
    assert problems_in(html) == [], (text, html)


@given(st.sampled_from(_SAFE_URLS[:3]), st.sampled_from(["链接", "link"]))
def test_safe_links_survive_with_the_user_content_rel(url, text):
    """The checks above are not passing because everything was stripped."""
    html = render_markdown(f"[{text}]({url})", limit=100_000)
    parser = Collector()
    parser.feed(html)
    [anchor] = [e for e in parser.elements if e.tag == "a"]
    attrs = dict(anchor.attrs)
    assert scheme_of(attrs["href"]) in SAFE_SCHEMES
    assert set(attrs["rel"].split()) == REQUIRED_REL


def test_the_checker_itself_sees_what_it_must():
    """problems_in must catch each kind of hole, or the properties prove nothing."""
    assert problems_in("<script>alert(1)</script>")
    assert problems_in('<img src="x" onerror="alert(1)">')
    assert problems_in('<a href="jav&#x61;script:alert(1)" rel="nofollow ugc noopener">x</a>')
    assert problems_in('<a href="  java\tscript:alert(1)" rel="nofollow ugc noopener">x</a>')
    assert problems_in('<a href="DATA:text/html,x" rel="nofollow ugc noopener">x</a>')
    assert problems_in('<img src="vbscript:x">')
    assert problems_in('<p style="position:fixed">x</p>')
    assert problems_in('<a href="https://ok.example/">no rel</a>')
    assert problems_in('<svg><a>x</a></svg>')
    assert problems_in('<h2 id="login-form">x</h2>')
    assert not problems_in('<p><a href="https://ok.example/" rel="nofollow ugc noopener">ok</a> &lt;script&gt;</p>')
