"""Simplified or Traditional Chinese for the reader (`?script=hans|hant`).

Every read endpoint declares `script: ScriptParam`, so the value is validated
(422 otherwise) and documented in the OpenAPI schema; the renderer then passes
every read response through `for_reader`, the one place where it is converted.
"""

from collections.abc import Iterator
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query
from ninja.renderers import JSONRenderer

from luntan.web.script import reader_script
from luntan.zh.script import SCRIPT_CONFIG, Script, convert_many

ScriptParam = Annotated[
    Script | None,
    Query(description="hans：简体；hant：繁體。内容按读者选择的字形返回。"),
]


# Keys whose values are identifiers or addresses: a client sends them back or
# follows them, so they must stay byte for byte as stored.
IDENTIFIER_KEYS = frozenset({
    "url", "slug", "cursor", "next_cursor", "token", "email",
    # usernames (a name may be written in either script: 鲍勃 and 鮑勃 are two people)
    "username", "author", "sender", "recipient", "to", "moderators",
    # board slugs a user moderates
    "moderates",
    # columns: the owner's name, the column's slug, image addresses, heading anchors, payment links
    "owner", "column", "avatar", "cover", "anchor", "tip_links",
    # keyword rules: an operator sees (and deletes) the words as entered
    "pattern", "replacement",
    # moderation: who acted, on whom, who reported, decided or resolved
    "actor", "target_user", "reporter", "decided_by", "resolved_by", "created_by",
})


def for_reader(request: HttpRequest, data: Any) -> Any:
    """A read response in the reader's script.

    Posts are stored as their authors wrote them; a read returns them in the
    reader's script, converted at phrase level with OpenCC (t2s for hans,
    s2t for hant). The script is `?script=` (validated by `ScriptParam`),
    else the `script` cookie, else Accept-Language, else Simplified: the
    same rule as pages (`luntan.web.script.reader_script`).

    The rule: every string value, at any depth of dicts and lists, is
    converted, except the values (and everything nested in them) of the keys
    in `IDENTIFIER_KEYS`: addresses, cursors, tokens, emails, usernames and
    slugs. Dict keys are never converted; numbers, booleans, null and dates
    pass through. A `board` key needs no exemption: where it holds a slug,
    the slug is ASCII (the URL pattern admits nothing else) and conversion
    never changes ASCII; where it holds a board's name (hot lists), the name
    reads in the reader's script like any other text. All the strings of a
    response go through OpenCC in one call.
    """
    script = reader_script(request)
    texts: list[str] = []
    _collect(data, texts)
    if not texts:
        return data
    converted = iter(convert_many(texts, SCRIPT_CONFIG[script]))
    return _replace(data, converted)


def _collect(value: Any, texts: list[str]) -> None:
    if isinstance(value, str):
        texts.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in IDENTIFIER_KEYS:
                _collect(item, texts)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, texts)


def _replace(value: Any, converted: Iterator[str]) -> Any:
    """`value` rebuilt with its strings taken, in `_collect`'s order, from `converted`."""
    if isinstance(value, str):
        return next(converted)
    if isinstance(value, dict):
        return {key: item if key in IDENTIFIER_KEYS else _replace(item, converted) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_replace(item, converted) for item in value]
    return value


class ReaderRenderer(JSONRenderer):
    """JSON with Chinese left readable (no \\u escapes); reads go through `for_reader`."""

    json_dumps_params = {"ensure_ascii": False}

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        if request.method == "GET":
            data = for_reader(request, data)
        return super().render(request, data, response_status=response_status)
