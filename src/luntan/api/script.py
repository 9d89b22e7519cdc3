"""Simplified or Traditional Chinese for the reader (`?script=hans|hant`).

Every read endpoint declares `script: ScriptParam`, so the value is validated
(422 otherwise) and documented in the OpenAPI schema; the renderer then passes
every read response through `for_reader`, the one place where it is converted.
"""

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query
from ninja.renderers import JSONRenderer

Script = Literal["hans", "hant"]

ScriptParam = Annotated[
    Script | None,
    Query(description="hans：简体；hant：繁體。内容按读者选择的字形返回。"),
]


def for_reader(request: HttpRequest, data: Any) -> Any:
    """A read response in the reader's script.

    Posts are stored as their authors wrote them. Phrase-level conversion
    (OpenCC) to the script in `request.GET["script"]` arrives with its own
    issue; until then the data passes through unchanged.
    """
    return data


class ReaderRenderer(JSONRenderer):
    """JSON with Chinese left readable (no \\u escapes); reads go through `for_reader`."""

    json_dumps_params = {"ensure_ascii": False}

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        if request.method == "GET":
            data = for_reader(request, data)
        return super().render(request, data, response_status=response_status)
