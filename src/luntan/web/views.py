from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from luntan.columns import views as columns
from luntan.columns.selectors import recent_articles
from luntan.errors import UserError
from luntan.forum import views as forum
from luntan.forum.selectors import forum_boards, readable_post
from luntan.forum.services import check_can_edit
from luntan.markup import render_markdown
from luntan.stats.selectors import hot, on_this_day

from .models import SitePage


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/home.html",
        {
            "boards": forum_boards(),
            "recent_articles": recent_articles(8),
            "hot_views": hot("views"),
            "hot_replies": hot("replies"),
            "on_this_day": on_this_day(),
        },
    )


HOT_PAGE_SIZE = 50


def hot_page(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by") if request.GET.get("by") in ("views", "replies") else "views"
    return render(request, "web/hot.html", {"by": by, "entries": hot(by, limit=HOT_PAGE_SIZE)})


def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(SitePage, slug=slug)
    return render(request, "web/site_page.html", {"page": page, "body_html": render_markdown(page.body, limit=settings.LUNTAN["BODY_MAX"])})


def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


# --- /p/<id>/: one address for every post, an article's page or a forum post's --------------


def post_page(request: HttpRequest, post_id: int) -> HttpResponse:
    """A column's article reads as an article; `?view=flat` and every other
    post read on the forum's page."""
    post = readable_post(request.user, post_id)
    if post.is_article and request.GET.get("view") != "flat":
        return columns.article(request, post)
    return forum.post(request, post)


@login_required
def edit_page(request: HttpRequest, post_id: int) -> HttpResponse:
    """The author's edit form, the article's or the post's; refused before the form
    is shown when it may not be edited (a ban, a moderator's hide)."""
    post = readable_post(request.user, post_id)
    try:
        check_can_edit(editor=request.user, post=post)
    except UserError as error:
        context = {"message": error.message, "back": post.get_absolute_url()}
        return render(request, "web/error.html", context, status=error.status)
    return (columns.edit if post.is_article else forum.edit)(request, post)
