"""Requests that carry a NUL character (U+0000) are refused at the door.

Nobody types one, and PostgreSQL cannot hold one in any text, not even
compare with it: a NUL in a name, a board's slug or a search filter made
the lookup itself fail with a 500. Refusing it before anything reads the
request keeps every view, on every database, from meeting it. JSON bodies
are checked by the API's parser (`api.routes.JsonParser`).
"""

from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

MESSAGE = "请求里有空字符（U+0000），无法处理：请去掉后再试。"


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    # The pages' forms; the API reads JSON, and its uploads carry no text that is looked up.
    if request.method == "POST" and not request.path.startswith("/api/"):
        return any("\x00" in value for _, values in request.POST.lists() for value in values)
    return False
