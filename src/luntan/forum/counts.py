"""Every counter a reader sees, recounted from the rows: the test oracle of
`forum.lifecycle` and the command `luntan check-counts [--fix]`.

What is recounted (the invariants written down in `forum.lifecycle`):
- a board's `thread_count`: its threads whose first post is public;
- a board's `post_count`: its posts in view (public, in a thread whose first
  post is public), first posts included;
- a post's `reply_count`: its descendants in view (for a first post, the
  replies a guest sees in its tree);
- a thread's day statistics (`PostDayStat.replies`): its replies in view
  written on that local day.

Read counts and latest-activity times are not recounted: reads reach the
database through a buffer and leave no rows, and activity times only move
forward by design.

The posts are read once, a range of threads at a time, so memory stays
bounded and a million posts take minutes (`bench/RESULTS.md`).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from luntan.stats.models import PostDayStat

from .models import Board, Post, ancestor_ids

# Threads read per batch: their posts come back in one query.
THREAD_BATCH = 2000


@dataclass(frozen=True)
class Mismatch:
    """One counter that disagrees with the rows: what it is, what it says, what it should."""

    counter: str  # "board.thread_count", "board.post_count", "post.reply_count", "day.replies"
    key: tuple  # (board slug,), (post id,), (thread id, day)
    stored: int
    counted: int

    def __str__(self) -> str:
        return f"{self.counter} {'/'.join(map(str, self.key))}: 记录为 {self.stored}，实数 {self.counted}"


def check(*, fix: bool = False, progress: Callable[[int, int], None] | None = None) -> list[Mismatch]:
    """Every counter that disagrees with a recount; with `fix`, each is set to the recounted value."""
    total = Post.objects.filter(parent__isnull=True).count()
    board_threads: Counter[int] = Counter()
    board_posts: Counter[int] = Counter()
    found: list[Mismatch] = []
    done, last_thread = 0, 0
    while True:
        thread_ids = list(
            Post.objects.filter(parent__isnull=True, pk__gt=last_thread).order_by("pk").values_list("pk", flat=True)[:THREAD_BATCH]
        )
        if not thread_ids:
            break
        last_thread = thread_ids[-1]
        found += _check_threads(thread_ids[0], last_thread, board_threads, board_posts, fix)
        done += len(thread_ids)
        if progress:
            progress(done, total)
    found += _check_boards(board_threads, board_posts, fix)
    return found


def _check_threads(first: int, last: int, board_threads: Counter, board_posts: Counter, fix: bool) -> list[Mismatch]:
    rows = list(
        Post.objects.filter(thread_id__gte=first, thread_id__lte=last)
        .values_list("pk", "thread_id", "parent_id", "board_id", "path", "status", "created", "reply_count")
    )
    public_roots = {pk for pk, _, parent, _, _, status, _, _ in rows if parent is None and status == Post.Status.PUBLIC}
    replies: Counter[int] = Counter()
    day_replies: Counter[tuple[int, date]] = Counter()
    for pk, thread_id, parent_id, board_id, path, status, created, _ in rows:
        if status != Post.Status.PUBLIC or thread_id not in public_roots:
            continue
        board_posts[board_id] += 1
        if parent_id is None:
            board_threads[board_id] += 1
            continue
        replies.update(ancestor_ids(path))
        day_replies[(thread_id, timezone.localdate(created))] += 1
    found = [
        Mismatch("post.reply_count", (pk,), stored, replies[pk])
        for pk, *_, stored in rows
        if stored != replies[pk]
    ]
    stats = {
        (thread_id, day): stored
        for thread_id, day, stored in PostDayStat.objects.filter(post_id__gte=first, post_id__lte=last).values_list(
            "post_id", "day", "replies"
        )
    }
    found += [
        Mismatch("day.replies", key, stats.get(key, 0), day_replies[key])
        for key in sorted(set(stats) | set(day_replies))
        if stats.get(key, 0) != day_replies[key]
    ]
    if fix and found:
        _fix_threads(found)
    return found


def _fix_threads(found: list[Mismatch]) -> None:
    """Write the recounted values of one batch of threads, in bulk."""
    replies = [Post(pk=m.key[0], reply_count=m.counted) for m in found if m.counter == "post.reply_count"]
    days = {m.key: m.counted for m in found if m.counter == "day.replies"}
    with transaction.atomic():
        Post.objects.bulk_update(replies, ["reply_count"], batch_size=1000)
        stored = PostDayStat.objects.filter(post_id__in={thread for thread, _ in days}, day__in={day for _, day in days})
        changed = []
        for stat in stored:
            if (key := (stat.post_id, stat.day)) in days:
                stat.replies = days.pop(key)
                changed.append(stat)
        PostDayStat.objects.bulk_update(changed, ["replies"], batch_size=1000)
        PostDayStat.objects.bulk_create(
            [PostDayStat(post_id=thread, day=day, replies=count) for (thread, day), count in days.items()], batch_size=1000
        )


def _check_boards(threads: Counter, posts: Counter, fix: bool) -> list[Mismatch]:
    found = []
    for board in Board.objects.order_by("pk").only("pk", "slug", "thread_count", "post_count"):
        for counter, stored, counted in (
            ("board.thread_count", board.thread_count, threads[board.pk]),
            ("board.post_count", board.post_count, posts[board.pk]),
        ):
            if stored != counted:
                found.append(Mismatch(counter, (board.slug,), stored, counted))
                if fix:
                    Board.objects.filter(pk=board.pk).update(**{counter.split(".")[1]: counted})
    return found
