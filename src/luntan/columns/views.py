"""Column and article pages. Articles live at their post's address, /p/<id>/:
the forum's post view hands a column's thread root to `article`."""

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luntan.errors import Invalid, UserError
from luntan.forum import selectors as forum_selectors
from luntan.forum.models import Board, Post
from luntan.markup import headings
from luntan.moderation.selectors import is_moderator
from luntan.stats.services import count_read
from luntan.forms import render_rejected

from . import selectors, services


def column_list(request: HttpRequest) -> HttpResponse:
    return render(request, "columns/list.html", {
        "columns": selectors.columns()[:200],
        "my_column": selectors.column_of(request.user),
        "recent": selectors.recent_articles(20),
    })


@login_required
def open_column(request: HttpRequest) -> HttpResponse:
    if mine := selectors.column_of(request.user):
        return redirect(mine)
    if request.method != "POST":
        return render(request, "columns/open.html", {})
    try:
        column = services.open_column(
            owner=request.user, title=request.POST.get("title", ""), intro=request.POST.get("intro", ""),
            slug=request.POST.get("slug", ""),
        )
        if avatar := request.FILES.get("avatar"):
            services.set_column_avatar(editor=request.user, column=column, upload=avatar)
    except UserError as error:
        return render_rejected(request, "columns/open.html", {}, error)
    return redirect(column)


def column(request: HttpRequest, slug: str) -> HttpResponse:
    column = selectors.column_by_slug(slug)
    is_owner = request.user.is_authenticated and request.user.pk == column.owner_id
    return render(request, "columns/column.html", {
        "column": column,
        "page": selectors.column_articles(column, cursor=request.GET.get("cursor")),
        "is_owner": is_owner,
        "unpublished": selectors.column_unpublished(column) if is_owner else [],
    })


def _own_column(request: HttpRequest, slug: str) -> Board:
    column = selectors.column_by_slug(slug)
    if column.owner_id != request.user.pk:
        raise Http404("专栏不存在。")
    return column


@login_required
def column_settings(request: HttpRequest, slug: str) -> HttpResponse:
    column = _own_column(request, slug)
    context = {"column": column}
    if request.method != "POST":
        return render(request, "columns/settings.html", context)
    try:
        services.update_column(
            editor=request.user, column=column, title=request.POST.get("title", ""), intro=request.POST.get("intro", "")
        )
        if avatar := request.FILES.get("avatar"):
            services.set_column_avatar(editor=request.user, column=column, upload=avatar)
        elif request.POST.get("remove_avatar") == "on":
            services.set_column_avatar(editor=request.user, column=column, upload=None)
    except UserError as error:
        column.refresh_from_db()
        return render_rejected(request, "columns/settings.html", context, error)
    return redirect(column)


def _schedule(request: HttpRequest) -> datetime | None:
    """The publication time of the form, when the author chose "定时发表"."""
    if request.POST.get("action") != "schedule":
        return None
    raw = request.POST.get("publish_at", "").strip()
    try:
        at = datetime.fromisoformat(raw)
    except ValueError:
        raise Invalid("请填写定时发表的日期和时间。", field="publish_at") from None
    return timezone.make_aware(at) if timezone.is_naive(at) else at


def _submitted_article(request: HttpRequest) -> dict:
    return {
        "title": request.POST.get("title", ""),
        "body": request.POST.get("body", ""),
        "summary": request.POST.get("summary", ""),
        "references": request.POST.get("references", "").splitlines(),
        "repost": request.POST.get("repost") == "on",
        "source": request.POST.get("source", ""),
        "publish_at": _schedule(request),
    }


@login_required
def write(request: HttpRequest, slug: str) -> HttpResponse:
    column = _own_column(request, slug)
    context = {"column": column}
    if request.method != "POST":
        return render(request, "columns/write.html", context)
    try:
        post = services.write_article(
            author=request.user, column=column, publish=request.POST.get("action") == "publish",
            cover=request.FILES.get("cover"), **_submitted_article(request),
        )
    except UserError as error:
        return render_rejected(request, "columns/write.html", context, error)
    return redirect(post)


@login_required
def edit(request: HttpRequest, post: Post) -> HttpResponse:
    """The forum's edit view hands articles here, once their author may edit them."""
    article = post.article
    context = {"column": post.board, "post": post, "article": article, "references": "\n".join(services.reference_lines(article))}
    if request.method != "POST":
        return render(request, "columns/write.html", context)
    try:
        services.edit_article(editor=request.user, post=post, **_submitted_article(request))
        if cover := request.FILES.get("cover"):
            services.set_article_cover(editor=request.user, post=post, upload=cover)
        elif request.POST.get("remove_cover") == "on":
            services.set_article_cover(editor=request.user, post=post, upload=None)
        if post.status == Post.Status.DRAFT and request.POST.get("action") == "publish":
            services.publish_article(author=request.user, post=post)
    except UserError as error:
        return render_rejected(request, "columns/write.html", context, error)
    return redirect(post)


def article(request: HttpRequest, post: Post) -> HttpResponse:
    """An article's page; the forum's post view hands column thread roots here."""
    article = post.article
    context = {
        "post": post,
        "root": post,
        "article": article,
        "column": post.board,
        "board": post.board,
        "toc": headings(post.body),
        "my_vote": forum_selectors.user_vote(request.user, post),
        "can_moderate": is_moderator(request.user, post.board),
        "reply_title": f"Re: {post.title}",
        "tree": forum_selectors.subtree(post),
    }
    count_read(request, post)
    return render(request, "columns/article.html", context)


def _own_post(request: HttpRequest, post_id: int) -> Post:
    post = forum_selectors.post_detail(post_id)
    if post.author_id != request.user.pk:
        raise Http404("文章不存在。")
    return post


def _author_action(request: HttpRequest, post_id: int, act) -> HttpResponse:
    """Run `act(post)` for the post's author; back to the article, or the reason."""
    post = _own_post(request, post_id)
    try:
        return redirect(act(post))
    except UserError as error:
        back = post.get_absolute_url()
        return render(request, "web/error.html", {"message": error.message, "back": back}, status=error.status)


@require_POST
@login_required
def publish(request: HttpRequest, post_id: int) -> HttpResponse:
    return _author_action(request, post_id, lambda post: services.publish_article(author=request.user, post=post))


@require_POST
@login_required
def pin(request: HttpRequest, post_id: int) -> HttpResponse:
    pinned = request.POST.get("pinned") == "1"
    return _author_action(
        request, post_id, lambda post: services.pin_article(author=request.user, post=post, pinned=pinned)
    )


@require_POST
@login_required
def discard(request: HttpRequest, post_id: int) -> HttpResponse:
    def discard_and_go_to_the_column(post: Post) -> Board:
        services.discard_draft(author=request.user, post=post)
        return post.board

    return _author_action(request, post_id, discard_and_go_to_the_column)
