"""What "escaped or sanitised" means for a whole page, checked on the parsed
HTML (not a conftest.py: the root one is imported by name elsewhere).

Our own templates use no script, no style, no event handler and no style=
attribute (the Content-Security-Policy forbids them), so any of these on a
page can only have come from user text.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Hostile inputs: each is what some user field receives.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SVG = "'><svg/onload=alert(1)>"
JS_LINK = "[点我](javascript:alert(1))"
HOSTILE_TITLE = f"标题{SCRIPT}{IMG}"  # within TITLE_MAX
HOSTILE_TEXT = (
    f"正文 {SCRIPT}\n\n{IMG}\n\n{SVG}\n\n{JS_LINK} [外链](https://outside.example/x)\n\n"
    "<a href=\"javascript:alert(2)\" onclick=\"alert(3)\">a</a> <div style=\"position:fixed;inset:0\">cover</div>\n\n"
    "![img](javascript:alert(4)) ![data](data:image/svg+xml;base64,PHN2Zz4=) </textarea><script>alert(5)</script>"
)
# Literal markup that must never reach a page unescaped (as text, "onerror=alert(1)"
# is harmless: the parser-level checks below decide about attributes).
RAW_FORBIDDEN = ["<script", "<img src=x", "<svg/onload", '<a href="javascript', "<div style"]

SAFE_SCHEMES = {"http", "https", "mailto"}
USER_LINK_REL = {"nofollow", "ugc", "noopener"}
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "srcset"}
NEVER_ON_OUR_PAGES = {"script", "style", "iframe", "frame", "object", "embed", "base", "math", "template", "noscript"}


def scheme_of(url: str) -> str | None:
    found = _SCHEME.match(_IGNORED_IN_URL.sub("", url).lower())
    return found.group(1) if found else None


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def page_problems(html: str, *, own_hosts: frozenset[str] = frozenset({"testserver"})) -> list[str]:
    """Everything on a page (or an HTML fragment) that could run script, load a
    bad URL, restyle the page, or link out without rel="nofollow ugc noopener"."""
    found = [f"raw {text!r}" for text in RAW_FORBIDDEN if text in html]
    for tag, attrs in elements(html):
        if tag in NEVER_ON_OUR_PAGES:
            found.append(f"<{tag}>")
        if tag == "svg" and "qr" not in attrs.get("class", "").split():
            found.append("<svg> that is not our QR code")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{name}= on <{tag}>")
            if name == "style":
                found.append(f"style= on <{tag}>")
            if name in URL_ATTRIBUTES and (scheme := scheme_of(value)) and scheme not in SAFE_SCHEMES:
                found.append(f"{scheme}: in <{tag} {name}>")
        href = attrs.get("href", "")
        if tag == "a" and scheme_of(href) in ("http", "https") and urlsplit(href).hostname not in own_hosts:
            ours = any(c.startswith("share-") for c in attrs.get("class", "").split())
            if not ours and not USER_LINK_REL <= set(attrs.get("rel", "").split()):
                found.append(f"user link {href!r} with rel={attrs.get('rel')!r}")
    return found


def assert_safe(html: str, where: str = "") -> None:
    problems = page_problems(html)
    assert not problems, f"{where}: {problems}"
