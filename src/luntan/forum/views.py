from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from luntan.errors import NotFound, UserError
from luntan.moderation.selectors import is_moderator
from luntan.stats.selectors import hot, on_this_day
from luntan.stats.services import count_read
from luntan.forms import render_rejected

from . import selectors, services
from .models import Post


def board(request: HttpRequest, slug: str) -> HttpResponse:
    board = selectors.board_by_slug(slug)
    if board.is_column:
        return redirect(board)
    page = selectors.board_threads(board, cursor=request.GET.get("cursor"))
    return render(request, "forum/board.html", {"board": board, "page": page, "can_moderate": is_moderator(request.user, board)})


def _submitted_post(request: HttpRequest) -> dict:
    """What the thread and edit forms send."""
    return {
        "title": request.POST.get("title", ""),
        "body": request.POST.get("body", ""),
        "repost": request.POST.get("repost") == "on",
        "source": request.POST.get("source", ""),
    }


@login_required
def new_thread(request: HttpRequest, slug: str) -> HttpResponse:
    board = selectors.board_by_slug(slug)
    if board.is_column:  # articles are written through the column's own form
        return redirect("write_article", board.slug)
    context = {"board": board}
    if request.method != "POST":
        return render(request, "forum/new_thread.html", context)
    try:
        post = services.create_thread(author=request.user, board=board, **_submitted_post(request))
    except UserError as error:
        return render_rejected(request, "forum/new_thread.html", context, error)
    return redirect(post)


def _post_context(request: HttpRequest, post: Post) -> dict:
    root = selectors.thread_root(post)
    return {
        "post": post,
        "root": root,
        "board": post.board,
        "ancestors": selectors.ancestors(request.user, post),
        "my_vote": selectors.user_vote(request.user, post),
        "can_moderate": is_moderator(request.user, post.board),
        "reply_title": post.title if post.title.startswith("Re:") else f"Re: {post.title}",
    }


def post(request: HttpRequest, post: Post) -> HttpResponse:
    """A post's page (`web.views.post_page` sends a column's articles to their own)."""
    context = _post_context(request, post)
    if request.GET.get("view") == "flat":
        context["flat"] = selectors.thread_flat(context["root"])
    else:
        context["tree"] = selectors.subtree(post)
    count_read(request, post)
    context["hot_views"] = hot("views")
    context["hot_replies"] = hot("replies")
    context["on_this_day"] = on_this_day()
    return render(request, "forum/post.html", context)


@login_required
def reply(request: HttpRequest, post_id: int) -> HttpResponse:
    if request.method != "POST":
        parent = selectors.readable_post(request.user, post_id)
        return render(request, "forum/reply.html", _post_context(request, parent))
    try:
        parent = selectors.readable_post(request.user, post_id)
    except NotFound:
        # Nothing of a post the writer may not see, not even why: the reason and the kept text.
        error = NotFound("要回复的帖子已被删除或隐藏，不能回复。")
        return render_rejected(request, "web/error.html", {"message": error.message}, error)
    try:
        post = services.reply(
            author=request.user, parent=parent, title=request.POST.get("title", ""), body=request.POST.get("body", "")
        )
    except UserError as error:
        return render_rejected(request, "forum/reply.html", _post_context(request, parent), error)
    return redirect(post)


def edit(request: HttpRequest, post: Post) -> HttpResponse:
    """Edit one's post (`web.views.edit_page` checks it may be edited, and sends articles to their own form)."""
    context = {"post": post, "board": post.board}
    if request.method != "POST":
        return render(request, "forum/edit.html", context)
    try:
        services.edit_post(editor=request.user, post=post, **_submitted_post(request))
    except UserError as error:
        return render_rejected(request, "forum/edit.html", context, error)
    return redirect(post)


_VOTE_VALUES = {"1": 1, "-1": -1}


@require_POST
@login_required
def vote(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.readable_post(request.user, post_id)
    # The two values the form sends; anything else (²、--1, 5,000 digits) is
    # passed on as 0, for the service to refuse with its own message.
    value = _VOTE_VALUES.get(request.POST.get("value", "").strip(), 0)
    try:
        services.vote(user=request.user, post=post, value=value)
    except UserError as error:
        context = {"message": error.message, "back": post.get_absolute_url()}
        return render_rejected(request, "web/error.html", context, error)
    return redirect(post)
