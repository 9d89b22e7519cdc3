"""Registration, tokens and profiles."""

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from luntan import ratelimit
from luntan.accounts import services
from luntan.accounts.models import User
from luntan.accounts.selectors import api_tokens_of, member_named
from luntan.errors import UserError
from luntan.forum.selectors import moderated_board_slugs, user_thread_count
from luntan.messages.selectors import unread_count

from .auth import MEMBERS
from .schemas import MeOut, ProfileIn, ProfileOut, RegisterIn, TokenIn, TokenInfoOut, TokenOut, errors
from .script import ScriptParam

router = Router(tags=["用户"])


class WrongCredentials(UserError):
    status = 401


def _profile(user: User) -> dict:
    return {
        "username": user.username,
        "joined": user.date_joined,
        "bio": user.bio,
        "url": user.get_absolute_url(),
        "thread_count": user_thread_count(user),
        "moderates": moderated_board_slugs(user),
        "tip_links": {"alipay": user.tip_links.get("alipay"), "wechat": user.tip_links.get("wechat")},
    }


def _own_profile(user: User) -> dict:
    return {
        **_profile(user),
        "email": user.email,
        "is_operator": user.is_operator,
        "unread_messages": unread_count(user),
    }


@router.post("/register", response={201: ProfileOut, **errors(409, 422, 429)}, summary="注册")
def register(request: HttpRequest, payload: RegisterIn):
    ratelimit.hit("register", address=ratelimit.client_address(request))
    user = services.register(username=payload.username, password=payload.password, email=payload.email)
    return Status(201, _profile(user))


@router.post(
    "/token", response={200: TokenOut, **errors(401, 422, 429)}, summary="用用户名和密码换取 API 令牌",
    description=(
        "同一用户名在同一地址连续登录失败几次后暂时锁定（429，Retry-After 给出秒数），锁定时间逐次加倍；"
        "同一地址或同一用户名失败太多次也会暂时锁定。令牌闲置太久（默认 90 天）即失效，改密码后全部作废。"
    ),
)
def token(request: HttpRequest, payload: TokenIn):
    user = services.log_in(
        username=payload.username, password=payload.password, address=ratelimit.client_address(request), request=request
    )
    if user is None:
        raise WrongCredentials("用户名或密码不正确。")
    label = payload.label or request.headers.get("User-Agent", "")
    return {"token": services.issue_token(user=user, label=label)}


@router.get(
    "/me/tokens", auth=MEMBERS, response={200: list[TokenInfoOut], **errors(401, 422)}, summary="我的 API 令牌",
    description="仍有效的令牌，最近用过的在前。",
)
def my_tokens(request: HttpRequest, script: ScriptParam = None):
    current = request.api_token.pk
    return [
        {"id": t.pk, "label": t.label, "created": t.created, "last_used": t.last_used, "current": t.pk == current}
        for t in api_tokens_of(request.auth)
    ]


@router.delete(
    "/me/tokens/{token_id}", auth=MEMBERS, response={204: None, **errors(401, 404)}, summary="撤销我的一个 API 令牌",
    description="撤销后该令牌立即失效；撤销本次请求所用的令牌也可以。",
)
def revoke_my_token(request: HttpRequest, token_id: int):
    services.revoke_token(user=request.auth, token_id=token_id)
    return Status(204, None)


@router.get("/users/{username}", response={200: ProfileOut, **errors(404, 422)}, summary="用户资料")
def get_user(request: HttpRequest, username: str, script: ScriptParam = None):
    return _profile(member_named(username, missing=f"用户「{username}」不存在。"))


@router.get("/me", auth=MEMBERS, response={200: MeOut, **errors(401, 422)}, summary="我的资料和设置")
def get_me(request: HttpRequest, script: ScriptParam = None):
    return _own_profile(request.auth)


@router.patch(
    "/me", auth=MEMBERS, response={200: MeOut, **errors(401, 413, 422)}, summary="修改我的资料",
    description="只改给出的字段。",
)
def update_me(request: HttpRequest, payload: ProfileIn):
    user = request.auth
    with transaction.atomic():  # all of it or none of it
        if payload.bio is not None:
            user = services.update_profile(user=user, bio=payload.bio)
        if payload.tip_links is not None:
            user = services.set_tip_links(
                user=user, alipay=payload.tip_links.alipay, wechat=payload.tip_links.wechat
            )
    return _own_profile(user)
