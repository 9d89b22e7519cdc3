from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from luntan.accounts.models import User
from luntan.accounts.selectors import member_named
from luntan.errors import UserError
from luntan.forms import render_rejected, safe_next_url

from . import selectors, services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "messages/list.html", {"box": "inbox", "items": selectors.inbox(request.user)[:100]})


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "messages/list.html", {"box": "sent", "items": selectors.sent(request.user)[:100]})


@login_required
def detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_for(request.user, message_id)
    services.mark_read(user=request.user, message=message)
    return render(request, "messages/detail.html", {"message": message})


@login_required
def compose(request: HttpRequest) -> HttpResponse:
    context = {"to": request.GET.get("to", "")}
    if request.method != "POST":
        return render(request, "messages/compose.html", context)
    try:
        recipient = member_named(request.POST.get("to", ""), missing="收件人不存在。", field="to")
        message = services.send(sender=request.user, recipient=recipient, body=request.POST.get("body", ""))
    except UserError as error:
        return render_rejected(request, "messages/compose.html", context, error)
    return redirect(message)


@login_required
def blocked(request: HttpRequest) -> HttpResponse:
    return render(request, "messages/blocked.html", {"blocked": selectors.blocked_users(request.user)})


@require_POST
@login_required
def block(request: HttpRequest, username: str) -> HttpResponse:
    other = get_object_or_404(User, username=username)
    try:
        if request.POST.get("action") == "unblock":
            services.unblock(user=request.user, blocked=other)
        else:
            services.block(user=request.user, blocked=other)
    except UserError as error:
        return render(request, "web/error.html", {"message": error.message}, status=error.status)
    return redirect(safe_next_url(request, default=reverse("blocked")))


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """The member's notices, newest first; opening the page marks them read."""
    shown = list(selectors.notices(request.user)[:100])
    services.mark_notices_read(user=request.user)
    return render(request, "messages/notices.html", {"notices": shown, "box": "notices", "unread_notices": 0})
