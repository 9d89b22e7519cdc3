from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from luntan.columns.selectors import recent_articles
from luntan.forum.selectors import forum_boards
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
