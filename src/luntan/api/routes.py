"""The JSON API under /api/v1/. Thin: parse, call a service or selector, shape."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from luntan.accounts.services import user_for_token
from luntan.errors import UserError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(title="Luntan API", version="1", urls_namespace="api", auth=None)
bearer = BearerToken()


@api.exception_handler(UserError)
def user_error(request: HttpRequest, error: UserError):
    body = {"detail": error.message}
    if error.field:
        body["field"] = error.field
    return api.create_response(request, body, status=error.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError):
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or 'body'}: {e.get('msg', '')}" for e in error.errors
    )
    return api.create_response(request, {"detail": f"请求格式不对：{problems}", "errors": error.errors}, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError):
    return api.create_response(request, {"detail": "需要登录：请在 Authorization 头里带上 Bearer 令牌。"}, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError):
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)
