"""The JSON API under /api/v1/. Thin: parse, call a service or selector, shape.

The endpoints live in one module per area (accounts, forum, stats, messages),
all mounted on the one `api`; this module holds what they share: the error
handlers that make every failure JSON with a Chinese `detail`.
"""

import json

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from luntan.errors import RateLimited, UserError

from . import accounts, columns, forum, messages, moderation, stats
from . import search
from .auth import bearer  # noqa: F401  (the API's auth, importable from here)
from .script import ReaderRenderer, for_reader

# Longer than any id or count, far shorter than the 4,300 digits at which
# Python refuses to turn text into an int.
_MAX_DIGITS = 100


class BodyUnreadable(ValueError):
    """A JSON body that parses but holds what nothing behind it can take."""


def _number(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise BodyUnreadable(f"请求体里的数字太长（最多 {_MAX_DIGITS} 位）。")
    return int(text)


class JsonParser(Parser):
    """JSON as the standard reads it, less three things it lets through: integers
    of thousands of digits, escapes of half a surrogate pair ("\\ud800"),
    which decode to a string no database, page or UTF-8 response can hold, and
    NUL ("\\u0000"), which PostgreSQL cannot hold or even compare."""

    def parse_body(self, request: HttpRequest):
        data = json.loads(request.body, parse_int=_number)
        try:
            json.dumps(data, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            raise BodyUnreadable("请求体含有无效的字符（不成对的 UTF-16 代理项，如 \\ud800）。") from None
        if _holds_nul(data):
            raise BodyUnreadable("请求体含有空字符（\\u0000），请去掉后再试。")
        return data


def _holds_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_holds_nul(key) or _holds_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_holds_nul(item) for item in data)
    return False


api = NinjaAPI(
    title="Luntan API",
    version="1",
    description="论坛的 JSON 接口。出错时返回 JSON：`detail` 为中文说明，状态码见各接口。"
    "认证：`Authorization: Bearer <token>`（令牌由 POST /api/v1/token 换取）。"
    "所有读取接口都接受 `?script=hans|hant`。",
    urls_namespace="api",
    auth=None,
    renderer=ReaderRenderer(),
    parser=JsonParser(),
)
for module in (accounts, forum, columns, stats, messages, moderation):
    api.add_router("", module.router)
api.add_router("", search.router)


@api.exception_handler(UserError)
def user_error(request: HttpRequest, error: UserError):
    body = {"detail": error.message}
    if error.field:
        body["field"] = error.field
    if isinstance(error, RateLimited):
        # Said by the site, not quoting anyone: safe to give in the reader's script, even for a write.
        body = for_reader(request, {**body, "retry_after": error.retry_after})
    response = api.create_response(request, body, status=error.status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


# Pydantic's error types, said in Chinese; anything else keeps pydantic's own words.
_PROBLEMS = {
    "missing": lambda ctx: "缺少此项",
    "literal_error": lambda ctx: f"只能是 {ctx.get('expected', '').replace(' or ', ' 或 ')}",
    "enum": lambda ctx: f"只能是 {ctx.get('expected', '').replace(' or ', ' 或 ')}",
    "int_type": lambda ctx: "应为整数",
    "int_parsing": lambda ctx: "应为整数",
    "int_from_float": lambda ctx: "应为整数",
    "string_type": lambda ctx: "应为字符串",
    "bool_type": lambda ctx: "应为 true 或 false",
    "bool_parsing": lambda ctx: "应为 true 或 false",
    "greater_than_equal": lambda ctx: f"不能小于 {ctx.get('ge')}",
    "less_than_equal": lambda ctx: f"不能大于 {ctx.get('le')}",
    "model_attributes_type": lambda ctx: "应为 JSON 对象",
    "dict_type": lambda ctx: "应为 JSON 对象",
    "model_type": lambda ctx: "应为 JSON 对象",
}


def _problem(error: dict) -> str:
    where, *rest = error.get("loc") or ("body",)
    # A body's location starts with the view's argument name; callers only know the fields.
    fields = rest[1:] if where == "body" else rest
    say = _PROBLEMS.get(error.get("type", ""))
    what = say(error.get("ctx") or {}) if say else error.get("msg", "")
    if where == "body" and not fields:
        return f"请求体{what}" if what != "缺少此项" else "缺少 JSON 请求体"
    return f"{'.'.join(str(f) for f in fields) or where}：{what}"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError):
    return api.create_response(
        request,
        {
            "detail": "请求格式不对：" + "；".join(_problem(e) for e in error.errors),
            "errors": [{"loc": e.get("loc"), "type": e.get("type"), "msg": e.get("msg")} for e in error.errors],
        },
        status=422,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError):
    return api.create_response(
        request, {"detail": "需要登录：请在 Authorization 头里带上有效的 Bearer 令牌。"}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError):
    cause = error.__cause__  # set when ninja's parser could not read the body
    if isinstance(cause, BodyUnreadable):
        return api.create_response(request, {"detail": str(cause)}, status=422)
    if isinstance(cause, json.JSONDecodeError):
        detail = f"请求体不是合法的 JSON：第 {cause.lineno} 行第 {cause.colno} 列附近有误。"
        return api.create_response(request, {"detail": detail}, status=422)
    if isinstance(cause, ValueError):
        return api.create_response(request, {"detail": "请求体不是合法的 JSON（须为 UTF-8 编码）。"}, status=422)
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404):
    return api.create_response(request, {"detail": "找不到请求的对象。"}, status=404)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, error: RequestDataTooBig):
    return api.create_response(request, {"detail": "请求体太大。"}, status=413)
