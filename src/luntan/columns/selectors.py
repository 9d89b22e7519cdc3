"""Reads that the column pages, the home page, feeds and the API share."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, QuerySet

from luntan.accounts.models import User
from luntan.errors import NotFound
from luntan.forum.models import Board, Post
from luntan.forum.selectors import decode_cursor, readable_post

# Fields an article's line in a list needs: no body.
LIST_FIELDS = (
    "id", "board_id", "thread_id", "parent_id", "title", "status", "repost", "created", "reply_count", "views",
    "up", "down", "pinned", "featured", "locked", "last_activity", "size",
    "author__id", "author__username", "article__summary", "article__cover", "article__publish_at",
)


def columns() -> QuerySet[Board]:
    """Every column, the most recently active first."""
    return (
        Board.objects.filter(kind=Board.Kind.COLUMN)
        .select_related("owner")
        .order_by(F("last_activity").desc(nulls_last=True), "-id")
    )


def column_by_slug(slug: str) -> Board:
    column = Board.objects.select_related("owner").filter(slug=slug, kind=Board.Kind.COLUMN).first()
    if column is None:
        raise NotFound(f"专栏「{slug}」不存在。")
    return column


def readable_article(user, post_id: int) -> Post:
    """A column's article, if `user` may read it (`forum.selectors.readable_post`)."""
    post = readable_post(user, post_id)
    if not (post.is_root and post.board.is_column):
        raise NotFound("文章不存在或已被删除。")
    return post


def column_of(user: User) -> Board | None:
    if not user.is_authenticated:
        return None
    return Board.objects.filter(kind=Board.Kind.COLUMN, owner=user).first()


def _articles() -> QuerySet[Post]:
    return Post.objects.filter(parent__isnull=True).select_related("author", "article").only(*LIST_FIELDS)


@dataclass
class ArticlePage:
    pinned: list[Post]
    articles: list[Post]
    next_cursor: str | None


def encode_cursor(post: Post) -> str:
    return f"{int(post.created.timestamp() * 1_000_000)}_{post.pk}"


def column_articles(column: Board, cursor: str | None = None, page_size: int | None = None) -> ArticlePage:
    """Published articles: pinned first (first page only), then the newest, keyset-paginated."""
    page_size = page_size or settings.LUNTAN["PAGE_SIZE"]
    public = _articles().filter(board=column, status=Post.Status.PUBLIC)
    rows = public.filter(pinned=False).order_by("-created", "-id")
    position = decode_cursor(cursor) if cursor else None
    if position:
        at, pk = position
        rows = rows.filter(Q(created__lt=at) | Q(created=at, id__lt=pk))
    articles = list(rows[: page_size + 1])
    pinned = [] if position else list(public.filter(pinned=True).order_by("-created", "-id"))
    next_cursor = encode_cursor(articles[page_size - 1]) if len(articles) > page_size else None
    return ArticlePage(pinned=pinned, articles=articles[:page_size], next_cursor=next_cursor)


def column_unpublished(column: Board) -> list[Post]:
    """Drafts (scheduled ones included) and articles waiting for review: for the column's author."""
    statuses = [Post.Status.DRAFT, Post.Status.HELD]
    return list(_articles().filter(board=column, status__in=statuses).order_by("-created", "-id"))


def recent_articles(limit: int = 10) -> list[Post]:
    """The newest published articles of every column (home page)."""
    column_ids = Board.objects.filter(kind=Board.Kind.COLUMN, thread_count__gt=0).values("id")
    return list(
        _articles().filter(board_id__in=column_ids, status=Post.Status.PUBLIC).select_related("board")
        .only(*LIST_FIELDS, "board__slug", "board__name", "board__kind").order_by("-created", "-id")[:limit]
    )
