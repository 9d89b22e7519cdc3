"""Every page in the reader's script: Simplified (简体) or Traditional (繁體).

The reader chooses with `?script=hans|hant` on any URL; the choice is kept in
the `script` cookie. Without either, Accept-Language decides. Pages are
written in whatever script their authors used; `ReaderScriptMiddleware` then
converts each HTML response in full (interface and content) with OpenCC,
except the author's own text in edit boxes and whatever a template wraps in
`<!--noconvert-->…<!--/noconvert-->`.
"""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path

from luntan.zh.script import SCRIPT_CONFIG, SCRIPTS, Script, convert_many

DEFAULT_SCRIPT: Script = "hans"
SCRIPT_PARAM = "script"
SCRIPT_COOKIE = "script"
SCRIPT_COOKIE_AGE = 365 * 24 * 60 * 60

# BCP 47 subtags of a zh tag that mean Traditional: the script itself, or a
# region where Traditional is the norm. An explicit script subtag wins
# (zh-Hans-HK is Simplified).
_TRADITIONAL_REGIONS = frozenset({"tw", "hk", "mo"})


def _valid(value: str | None) -> Script | None:
    return value if value in SCRIPTS else None  # type: ignore[return-value]


def script_from_accept_language(header: str) -> Script:
    """The script the browser asks for: the most preferred zh tag decides.

    Tags are ranked by q-value (ties keep their order, q=0 means "not
    wanted"); zh-Hant, zh-TW, zh-HK and zh-MO, in any case, mean Traditional;
    any other zh tag, or none at all, means Simplified.
    """
    ranked: list[tuple[float, int, list[str]]] = []
    for position, item in enumerate(header.split(",")):
        tag, *params = item.strip().split(";")
        subtags = tag.strip().lower().replace("_", "-").split("-")
        if subtags[0] != "zh":
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, subtags[1:]))
    if not ranked:
        return DEFAULT_SCRIPT
    subtags = min(ranked)[2]
    if "hant" in subtags:
        return "hant"
    if "hans" in subtags:
        return "hans"
    return "hant" if _TRADITIONAL_REGIONS.intersection(subtags) else "hans"


def reader_script(request: HttpRequest) -> Script:
    """The reader's script: `?script=`, else the cookie, else Accept-Language."""
    return (
        _valid(request.GET.get(SCRIPT_PARAM))
        or _valid(request.COOKIES.get(SCRIPT_COOKIE))
        or script_from_accept_language(request.headers.get("Accept-Language", ""))
    )


def script_switch_urls(request: HttpRequest) -> dict[Script, str]:
    """This page's address in each script: the same path and query, `script` replaced or added."""
    path = escape_uri_path(request.path)  # ASCII, so no conversion can touch it
    urls = {}
    for script in SCRIPTS:
        query = request.GET.copy()
        query[SCRIPT_PARAM] = script
        urls[script] = f"{path}?{query.urlencode()}"
    return urls


# What a page keeps exactly as written: edit boxes (a <textarea>'s text, an
# <input>'s value) and regions a template marks. Django escapes ">" inside
# attribute values, so a tag ends at the first ">".
_PROTECTED = re.compile(
    r"(<textarea\b[^>]*>.*?</textarea\s*>|<input\b[^>]*>|<!--noconvert-->.*?<!--/noconvert-->)",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG_LANG = re.compile(r"(<html\b[^>]*?\blang=)([\"']?)[\w-]*\2", re.IGNORECASE)
_HTML_LANG: dict[Script, str] = {"hans": "zh-Hans", "hant": "zh-Hant"}


def html_for_script(html: str, script: Script) -> str:
    """A whole page in `script`, its protected spans untouched, in one OpenCC call."""
    # re.split with one group: even items are free text, odd ones protected.
    pieces = _PROTECTED.split(html)
    pieces[::2] = convert_many(pieces[::2], SCRIPT_CONFIG[script])
    converted = "".join(pieces)
    return _HTML_TAG_LANG.sub(rf"\g<1>\g<2>{_HTML_LANG[script]}\g<2>", converted, count=1)


def _is_html(response: HttpResponse) -> bool:
    return (
        not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.has_header("Content-Encoding")
    )


class ReaderScriptMiddleware:
    """Sets `request.script`, remembers a `?script=` choice, converts HTML responses.

    Also sets `request.script_urls` ({"hans": url, "hant": url}) for the
    switch in the page header. Place it early (after SessionMiddleware): every
    later middleware and view can then read `request.script`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = _valid(request.GET.get(SCRIPT_PARAM))
        request.script = reader_script(request)
        request.script_urls = script_switch_urls(request)
        response = self.get_response(request)

        if chosen:
            response.set_cookie(
                SCRIPT_COOKIE, chosen, max_age=SCRIPT_COOKIE_AGE, path="/", samesite="Lax", secure=request.is_secure()
            )
        is_html = _is_html(response)
        if is_html:
            charset = response.charset
            response.content = html_for_script(response.content.decode(charset), request.script).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        if is_html or response.get("Content-Type", "").startswith("application/json"):
            # The same URL reads differently per script: a shared cache must key by what decides it.
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response
