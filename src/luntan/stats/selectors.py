"""Side lists: weekly most-read, weekly most-replied, on this day in earlier years."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from luntan.forum.models import Post

from .models import PostDayStat


@dataclass(frozen=True)
class HotEntry:
    post_id: int
    title: str
    author: str
    board: str
    count: int
    year: int | None = None

    @property
    def url(self) -> str:
        return reverse("post", args=[self.post_id])


def _entries(counts: list[tuple[int, int]]) -> list[HotEntry]:
    posts = Post.objects.filter(pk__in=[pk for pk, _ in counts], status=Post.Status.PUBLIC).values(
        "id", "title", "author__username", "board__name"
    )
    by_id = {p["id"]: p for p in posts}
    return [
        HotEntry(pk, by_id[pk]["title"], by_id[pk]["author__username"], by_id[pk]["board__name"], n)
        for pk, n in counts
        if pk in by_id
    ]


def hot(by: str = "views", days: int = 7, limit: int | None = None) -> list[HotEntry]:
    """The threads with the most reads (or replies) in the last `days` days."""
    if by not in ("views", "replies"):
        raise ValueError(by)
    limit = limit or settings.LUNTAN["HOT_LIST_SIZE"]
    key = f"hot:{by}:{days}:{limit}:{timezone.localdate()}"
    entries = cache.get(key)
    if entries is None:
        since = timezone.localdate() - timedelta(days=days - 1)
        counts = list(
            PostDayStat.objects.filter(day__gte=since, post__status=Post.Status.PUBLIC)
            .values("post_id")
            .annotate(total=Sum(by))
            .filter(total__gt=0)
            .order_by("-total", "-post_id")
            .values_list("post_id", "total")[:limit]
        )
        entries = _entries(counts)
        cache.set(key, entries, settings.LUNTAN["HOT_LIST_CACHE_SECONDS"])
    return entries


def on_this_day(today: date | None = None) -> list[HotEntry]:
    """For each earlier year, the most-replied thread started on today's month and day."""
    today = today or timezone.localdate()
    key = f"on-this-day:{today}"
    entries = cache.get(key)
    if entries is None:
        roots = (
            Post.objects.filter(parent__isnull=True, status=Post.Status.PUBLIC, month_day=today.month * 100 + today.day)
            .values("id", "created", "reply_count")
            .order_by("-reply_count", "id")
        )
        best: dict[int, tuple[int, int]] = {}
        for row in roots:
            year = timezone.localtime(row["created"]).year
            if year < today.year and year not in best:
                best[year] = (row["id"], row["reply_count"])
        years = sorted(best, reverse=True)
        found = {e.post_id: e for e in _entries([best[y] for y in years])}
        entries = [
            HotEntry(**{**found[best[y][0]].__dict__, "year": y}) for y in years if best[y][0] in found
        ]
        cache.set(key, entries, settings.LUNTAN["HOT_LIST_CACHE_SECONDS"])
    return entries
