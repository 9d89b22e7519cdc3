"""Reads that the forum's pages and the API share."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from luntan.accounts.models import User
from luntan.errors import NotFound
from luntan.moderation.selectors import is_moderator

from .models import Board, Post, Vote

# Fields a tree line needs: no bodies.
TREE_FIELDS = (
    "id", "board_id", "thread_id", "parent_id", "path", "depth", "title", "size", "status",
    "repost", "created", "edited", "reply_count", "views", "up", "down",
    "pinned", "featured", "locked", "last_activity", "author__id", "author__username",
)


def forum_boards() -> QuerySet[Board]:
    return Board.objects.filter(kind=Board.Kind.FORUM).prefetch_related(
        Prefetch("moderators", queryset=User.objects.only("id", "username").order_by("username"))
    )


def board_by_slug(slug: str) -> Board:
    board = (
        Board.objects.prefetch_related(Prefetch("moderators", queryset=User.objects.only("id", "username")))
        .filter(slug=slug)
        .first()
    )
    if board is None:
        raise NotFound(f"版面「{slug}」不存在。")
    return board


@dataclass
class ThreadPage:
    pinned: list[Post]
    threads: list[Post]
    next_cursor: str | None


def _thread_list(board: Board) -> QuerySet[Post]:
    return (
        Post.objects.filter(board=board, parent__isnull=True, status=Post.Status.PUBLIC)
        .select_related("author")
        .only(*TREE_FIELDS)
    )


def encode_cursor(post: Post) -> str:
    return f"{int(post.last_activity.timestamp() * 1_000_000)}_{post.pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        micros, pk = cursor.split("_")
        from datetime import timezone as tz

        return datetime.fromtimestamp(int(micros) / 1_000_000, tz=tz.utc), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def board_threads(board: Board, cursor: str | None = None, page_size: int | None = None) -> ThreadPage:
    """Pinned threads (first page only), then the rest by latest activity, keyset-paginated."""
    page_size = page_size or settings.LUNTAN["PAGE_SIZE"]
    rows = _thread_list(board).filter(pinned=False).order_by("-last_activity", "-id")
    position = decode_cursor(cursor) if cursor else None
    if position:
        at, pk = position
        rows = rows.filter(Q(last_activity__lt=at) | Q(last_activity=at, id__lt=pk))
    threads = list(rows[: page_size + 1])
    pinned = [] if position else list(_thread_list(board).filter(pinned=True).order_by("-last_activity", "-id"))
    next_cursor = encode_cursor(threads[page_size - 1]) if len(threads) > page_size else None
    return ThreadPage(pinned=pinned, threads=threads[:page_size], next_cursor=next_cursor)


def featured_threads(board: Board, limit: int = 100) -> list[Post]:
    """A board's featured threads (精华), newest first."""
    return list(_thread_list(board).filter(featured=True).order_by("-created", "-id")[:limit])


NO_SUCH_POST = "帖子不存在或已被删除。"


def post_detail(post_id: int) -> Post:
    """A post whatever its state: for those who decide themselves what to show (use `readable_post`)."""
    post = Post.objects.select_related("author", "board", "thread").filter(pk=post_id).first()
    if post is None:
        raise NotFound(NO_SUCH_POST)
    return post


def readable_post(user, post_id: int) -> Post:
    """The post, if `user` may read it (`can_read`); else NotFound, the same
    whether it does not exist or is not theirs to see."""
    post = post_detail(post_id)
    if not can_read(user, post):
        raise NotFound(NO_SUCH_POST)
    return post


def can_read(user, post: Post) -> bool:
    """Whether `user` may read `post`: a public post of a public thread; their
    own post whatever its state; and, for the board's moderators (operators
    everywhere), hidden, deleted and held posts — never someone's draft."""
    if post.is_visible and (post.is_root or post.thread.status == Post.Status.PUBLIC):
        return True
    if getattr(user, "pk", None) is not None and post.author_id == user.pk:
        return True
    return post.status != Post.Status.DRAFT and is_moderator(user, post.board)


def thread_root(post: Post) -> Post:
    if post.is_root:
        return post
    return Post.objects.select_related("author").only(*TREE_FIELDS).get(pk=post.thread_id)


def subtree(post: Post) -> list[Post]:
    """The post and all its descendants in tree order, without bodies."""
    return list(
        Post.objects.filter(thread_id=post.thread_id, path__startswith=post.path)
        .select_related("author")
        .only(*TREE_FIELDS)
        .order_by("path")
    )


def thread_flat(root: Post) -> list[Post]:
    """Every post of a thread, bodies included, in tree order."""
    return list(Post.objects.filter(thread_id=root.pk).select_related("author").order_by("path"))


def title_shown(viewer, post: Post) -> bool:
    """Whether a page naming `post` (a tree line, the "回复给" trail) may show its
    title and link to it: a public post, or the viewer's own. A hidden,
    deleted or held post of someone else keeps its place under a placeholder."""
    return post.is_visible or (getattr(viewer, "pk", None) is not None and post.author_id == viewer.pk)


@dataclass(frozen=True)
class Crumb:
    """One ancestor in the trail above a reply: its title and address, or,
    where the reader may not see it, a placeholder that names neither."""

    title: str
    url: str | None


def ancestors(viewer, post: Post) -> list[Crumb]:
    """The posts above `post`, from its thread's first post down, as `viewer` may see them."""
    ids = post.ancestor_ids()
    if not ids:
        return []
    found = {p.pk: p for p in Post.objects.filter(pk__in=ids).only("id", "title", "status", "author_id")}
    return [
        Crumb(found[i].title, found[i].get_absolute_url())
        if title_shown(viewer, found[i])
        else Crumb(f"（该帖{found[i].get_status_display()}）", None)
        for i in ids
        if i in found
    ]


def user_vote(user: User, post: Post) -> int:
    if not user.is_authenticated:
        return 0
    return Vote.objects.filter(post=post, user=user).values_list("value", flat=True).first() or 0


def user_threads(user: User, limit: int = 20) -> list[Post]:
    return list(
        Post.objects.filter(author=user, parent__isnull=True, status=Post.Status.PUBLIC)
        .select_related("board").order_by("-created")[:limit]
    )


def user_replies(user: User, limit: int = 20) -> list[Post]:
    return list(
        Post.objects.filter(author=user, parent__isnull=False, status=Post.Status.PUBLIC)
        .select_related("board").order_by("-created")[:limit]
    )


def user_thread_count(user: User) -> int:
    return Post.objects.filter(author=user, parent__isnull=True, status=Post.Status.PUBLIC).count()


def moderated_board_slugs(user: User) -> list[str]:
    return list(user.moderated_boards.order_by("position", "id").values_list("slug", flat=True))
