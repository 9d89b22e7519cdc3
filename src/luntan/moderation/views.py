"""Moderation pages: the acts on a post, the review queue, reports, bans,
moderators and the log. Thin: every change goes through moderation's acts
(acts, review, bans, moderators, reports), which check who may do it; these
pages only decide what to show."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from luntan.accounts.selectors import member_named
from luntan.errors import Invalid, NotFound, UserError
from luntan.forum import selectors as forum_selectors
from luntan.forum.models import Board, Post
from luntan.messages import selectors as message_selectors
from luntan.forms import render_rejected

from . import acts, selectors
from .bans import ban, lift_ban
from .models import ModerationLog
from .moderators import appoint_moderator, dismiss_moderator
from .reports import report, resolve_report
from .review import decide_review

LOG_PAGE_SIZE = 50


def _staff(request: HttpRequest) -> None:
    """Moderation pages exist only for moderators and operators."""
    if not selectors.is_staff_anywhere(request.user):
        raise Http404("页面不存在。")


def _moderated_post(request: HttpRequest, post_id: int) -> Post:
    post = forum_selectors.readable_post(request.user, post_id)
    if not selectors.is_moderator(request.user, post.board):
        raise NotFound(forum_selectors.NO_SUCH_POST)
    return post


def _forum_boards_for_move(post: Post) -> list[Board]:
    return [board for board in forum_selectors.forum_boards() if board.pk != post.board_id]


@login_required
def moderate_post(request: HttpRequest, post_id: int) -> HttpResponse:
    """Every act on one post, on one page: hide, restore, delete, lock, pin, feature, move, retitle."""
    post = _moderated_post(request, post_id)
    context = {"post": post, "board": post.board, "boards": _forum_boards_for_move(post), "acts": _acts_for(post)}
    if request.method != "POST":
        return render(request, "moderation/post.html", context)
    target = request.POST.get("board", "")
    try:
        acts.perform(
            request.POST.get("action", ""), actor=request.user, post=post, reason=request.POST.get("reason", ""),
            board=Board.objects.filter(slug=target, kind=Board.Kind.FORUM).first() if target else None,
            title=request.POST.get("title"),
        )
    except UserError as error:
        return render_rejected(request, "moderation/post.html", context, error)
    return redirect(post)


def _acts_for(post: Post) -> list[tuple[str, str]]:
    """The acts that make sense for the post as it is now, with their labels."""
    Act, Status = ModerationLog.Action, Post.Status
    acts = []
    if post.status == Status.PUBLIC:
        acts.append(Act.HIDE)
    if post.status in (Status.HIDDEN, Status.DELETED):
        acts.append(Act.RESTORE)
    if post.status in (Status.PUBLIC, Status.HIDDEN):
        acts.append(Act.DELETE)
    if post.is_root:
        acts += [
            Act.UNLOCK if post.locked else Act.LOCK,
            Act.UNPIN if post.pinned else Act.PIN,
            Act.UNFEATURE if post.featured else Act.FEATURE,
        ]
    return [(act.value, act.label) for act in acts]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _staff(request)
    user = request.user
    return render(request, "moderation/dashboard.html", {
        "review_count": selectors.review_queue(user).count(),
        "report_count": selectors.open_reports(user).count(),
        "log": list(selectors.moderation_log(user)[:20]),
        "boards": forum_selectors.forum_boards() if user.is_operator else user.moderated_boards.all(),
    })


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return render(request, "moderation/review.html", {"items": list(selectors.review_queue(request.user)[:100])})


@require_POST
@login_required
def decide(request: HttpRequest, item_id: int) -> HttpResponse:
    _staff(request)
    item = get_object_or_404(selectors.review_queue(request.user), pk=item_id)
    try:
        decide_review(
            actor=request.user, item=item, decision=request.POST.get("decision", ""), reason=request.POST.get("reason", "")
        )
    except UserError as error:
        context = {"items": list(selectors.review_queue(request.user)[:100]), "failed": item.pk}
        return render_rejected(request, "moderation/review.html", context, error)
    return redirect("review_queue")


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return render(request, "moderation/reports.html", {"reports": list(selectors.open_reports(request.user)[:100])})


@require_POST
@login_required
def resolve(request: HttpRequest, report_id: int) -> HttpResponse:
    _staff(request)
    report = get_object_or_404(selectors.open_reports(request.user), pk=report_id)
    try:
        resolve_report(actor=request.user, report=report, resolution=request.POST.get("resolution", ""))
    except UserError as error:
        context = {"reports": list(selectors.open_reports(request.user)[:100]), "failed": report.pk}
        return render_rejected(request, "moderation/reports.html", context, error)
    return redirect("reports")


@login_required
def log(request: HttpRequest) -> HttpResponse:
    _staff(request)
    board = None
    if slug := request.GET.get("board"):
        board = get_object_or_404(Board, slug=slug)
    page = Paginator(selectors.moderation_log(request.user, board), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page, "board": board})


def _ban_context(request: HttpRequest) -> dict:
    user = request.user
    return {
        "bans": list(selectors.bans(user)[:200]),
        "boards": forum_selectors.forum_boards() if user.is_operator else user.moderated_boards.all(),
    }


@login_required
def bans(request: HttpRequest) -> HttpResponse:
    """Bans in force on the boards one moderates (operators: all, and site bans), and a form for a new one."""
    _staff(request)
    context = _ban_context(request)
    if request.method != "POST":
        return render(request, "moderation/bans.html", context)
    slug, days = request.POST.get("board", ""), request.POST.get("days", "").strip()
    try:
        member = member_named(request.POST.get("username", ""), missing="没有这个用户。", field="username")
        if days and not days.isdigit():
            raise Invalid("封禁天数应为整数；永久封禁请留空。", field="days")
        ban(
            actor=request.user, user=member, board=get_object_or_404(Board, slug=slug) if slug else None,
            days=int(days) if days else None, reason=request.POST.get("reason", ""),
        )
    except UserError as error:
        return render_rejected(request, "moderation/bans.html", context, error)
    return redirect("bans")


@require_POST
@login_required
def lift(request: HttpRequest, ban_id: int) -> HttpResponse:
    _staff(request)
    ban = get_object_or_404(selectors.bans(request.user), pk=ban_id)
    try:
        lift_ban(actor=request.user, ban=ban, reason=request.POST.get("reason", ""))
    except UserError as error:
        return render_rejected(request, "moderation/bans.html", _ban_context(request), error)
    return redirect("bans")


@login_required
def board_moderators(request: HttpRequest, slug: str) -> HttpResponse:
    """Operators appoint and dismiss a board's moderators."""
    if not request.user.is_operator:
        raise Http404("页面不存在。")
    board = forum_selectors.board_by_slug(slug)
    context = {"board": board}
    if request.method != "POST":
        return render(request, "moderation/moderators.html", context)
    try:
        member = member_named(request.POST.get("username", ""), missing="没有这个用户。", field="username")
        act = dismiss_moderator if request.POST.get("action") == "dismiss" else appoint_moderator
        act(actor=request.user, board=board, user=member)
    except UserError as error:
        return render_rejected(request, "moderation/moderators.html", context, error)
    return redirect("board_moderators", board.slug)


def featured(request: HttpRequest, slug: str) -> HttpResponse:
    """A board's featured threads (精华区), newest first."""
    board = forum_selectors.board_by_slug(slug)
    threads = forum_selectors.featured_threads(board)
    return render(request, "moderation/featured.html", {"board": board, "threads": threads})


@login_required
def report_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = forum_selectors.readable_post(request.user, post_id)
    if not post.is_visible:  # their own held or hidden post: nothing to report
        raise NotFound(forum_selectors.NO_SUCH_POST)
    return _report(request, {"post": post, "board": post.board}, post_id=post.pk)


@login_required
def report_message(request: HttpRequest, message_id: int) -> HttpResponse:
    message = message_selectors.message_for(request.user, message_id)
    if message.recipient_id != request.user.pk:
        raise Http404("悄悄话不存在。")
    return _report(request, {"message": message}, message_id=message.pk)


def _report(request: HttpRequest, context: dict, **target) -> HttpResponse:
    if request.method != "POST":
        return render(request, "moderation/report.html", context)
    try:
        report(reporter=request.user, reason=request.POST.get("reason", ""), **target)
    except UserError as error:
        return render_rejected(request, "moderation/report.html", context, error)
    return render(request, "moderation/report.html", {**context, "done": True})

