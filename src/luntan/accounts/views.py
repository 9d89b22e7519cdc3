from django.conf import settings
from django.contrib import auth
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from luntan import ratelimit
from luntan.columns.selectors import column_of
from luntan.errors import RateLimited, UserError
from luntan.forum.selectors import user_replies, user_threads
from luntan.messages.selectors import is_blocked
from luntan.forms import render_rejected, safe_next_url

from . import services
from .models import User
from .selectors import api_tokens_of


def register(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/register.html")
    if request.POST.get("password") != request.POST.get("password2"):
        return render(
            request, "accounts/register.html",
            {"error": "两次输入的密码不一致。", "error_field": "password2", "form": request.POST}, status=422,
        )
    try:
        ratelimit.hit("register", address=ratelimit.client_address(request))
        user = services.register(
            username=request.POST.get("username", ""),
            password=request.POST.get("password", ""),
            email=request.POST.get("email", ""),
        )
    except UserError as error:
        return render_rejected(request, "accounts/register.html", {}, error)
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(safe_next_url(request))


def login(request: HttpRequest) -> HttpResponse:
    context = {"next": safe_next_url(request)}
    if request.method != "POST":
        return render(request, "accounts/login.html", context)
    try:
        user = services.log_in(
            username=request.POST.get("username", ""), password=request.POST.get("password", ""),
            address=ratelimit.client_address(request), request=request,
        )
    except RateLimited as error:
        return render_rejected(request, "accounts/login.html", context, error)
    if user is None:
        context.update(error="用户名或密码不正确。", form=request.POST)
        return render(request, "accounts/login.html", context, status=401)
    auth.login(request, user)
    return redirect(context["next"])


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("home")


@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/password.html")
    try:
        services.change_password(
            user=request.user,
            old_password=request.POST.get("old_password", ""),
            new_password=request.POST.get("new_password", ""),
        )
    except UserError as error:
        return render(request, "accounts/password.html", {"error": error.message, "error_field": error.field}, status=error.status)
    auth.update_session_auth_hash(request, request.user)  # this session stays; every other one has ended
    return render(request, "accounts/password.html", {"done": True})


def _tokens_page(request: HttpRequest) -> dict:
    return {"tokens": api_tokens_of(request.user), "idle_days": settings.LUNTAN["API_TOKEN_IDLE_DAYS"]}


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/tokens.html", _tokens_page(request))


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_token(user=request.user, token_id=token_id)
    except UserError as error:
        return render_rejected(request, "accounts/tokens.html", _tokens_page(request), error)
    return redirect("api_tokens")


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """Profile and tipping links (打赏): bio, Alipay and WeChat payment links."""
    user = request.user
    if request.method == "POST":
        try:
            with transaction.atomic():  # all of it or none of it
                services.update_profile(user=user, bio=request.POST.get("bio", ""))
                services.set_tip_links(user=user, alipay=request.POST.get("alipay"), wechat=request.POST.get("wechat"))
        except UserError as error:
            user.refresh_from_db()  # forget what the rolled-back writes left in memory
            return render_rejected(request, "accounts/settings.html", {}, error)
    form = {"bio": user.bio, "alipay": user.tip_links.get("alipay", ""), "wechat": user.tip_links.get("wechat", "")}
    return render(request, "accounts/settings.html", {"form": form, "done": request.method == "POST"})


def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username, is_active=True)
    return render(
        request, "accounts/profile.html",
        {
            "member": member,
            "column": column_of(member),
            "threads": user_threads(member),
            "replies": user_replies(member),
            "is_blocked": request.user.is_authenticated and is_blocked(request.user, member),
        },
    )
