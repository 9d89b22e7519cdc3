"""A post's life: the one place that changes what readers can see of a post.

States (`Post.Status`):

    draft ──publish──▶ public ◀──approve── held ◀──(written, screened for review)
      (columns only)     │ ▲                 │
                   hide/ │ │ restore         └──reject──▶ hidden
                  delete ▼ │
                      hidden / deleted

A post is *in view* when it is public and so is its thread's first post: a
reply under a hidden first post is out of view with it, whatever its own
state. What follows from a change of view is done here and nowhere else:
board and ancestor counters, day statistics, the search index and the
review queue. Callers (the posting services, the moderators' acts) check
permission and validate; they then call one function here, inside their
transaction, with the post row locked where two acts could race.

The invariants, which `forum.counts` recounts from the rows (`luntan
check-counts`, and the stateful test after every step):

- a board's `thread_count` is the number of its threads whose first post is
  public, the threads a guest sees listed;
- a board's `post_count` is the number of its posts in view, first posts
  included;
- a post's `reply_count` is the number of its descendants in view: for a
  first post, the replies a guest sees in its tree (none while it is hidden);
- a thread's `PostDayStat.replies` for a day is the number of its replies in
  view written on that local day.

Each change emits one `post_changed` signal after the transaction commits
(never for a rolled-back one), with a `PostChange`: what happened, to which
post and thread, and which boards' pages show it. The page cache and
notifications subscribe to it.
"""

import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.dispatch import Signal
from django.utils import timezone

from luntan.moderation.models import ReviewItem
from luntan.moderation.selectors import EDITED_WHILE_HELD, NEWCOMER
from luntan.search.indexing import Tokens, index_post, unindex_posts
from luntan.stats.services import add_day_stats, remove_day_replies

from .models import Board, Post, ancestor_ids


class Change(enum.StrEnum):
    SHOWN = "shown"  # written (or published) and public at once
    HELD = "held"  # written (or published, or edited while held) and held for review
    APPROVED = "approved"
    REJECTED = "rejected"
    HIDDEN = "hidden"
    RESTORED = "restored"
    DELETED = "deleted"
    MOVED = "moved"
    EDITED = "edited"


@dataclass(frozen=True)
class PostChange:
    change: Change
    post_id: int
    thread_id: int
    # The boards whose pages show the post: its board, and for a move the one it left.
    board_ids: tuple[int, ...]


# Sent after commit with `change=PostChange`.
post_changed = Signal()


# --- a post arrives ---------------------------------------------------------------


def arriving_status(held_for: Sequence[str]) -> str:
    """The state a post is written in: held when screening found review words."""
    return Post.Status.HELD if held_for else Post.Status.PUBLIC


def arrived(post: Post, *, held_for: Sequence[str], tokens: Tokens | None = None) -> None:
    """A post was just written (or its draft claimed for publication) in the
    state `arriving_status` gave: queue it for review, or count it and index
    it (from `tokens`, made before the transaction, when given)."""
    if held_for:
        ReviewItem.objects.create(post=post, reasons=list(held_for))
        _emit(Change.HELD, post)
        return
    if _thread_public(post):
        _enter_view(post)
    index_post(post, tokens)
    _emit(Change.SHOWN, post)


def claim_draft(post: Post, *, held_for: Sequence[str], title: str, at: datetime) -> bool:
    """Publish a draft as of `at`: False if it was no longer a draft (another
    process published it first, or it was deleted). The conditional update is
    the claim, so a scheduled article is published once."""
    status = arriving_status(held_for)
    claimed = Post.objects.filter(pk=post.pk, status=Post.Status.DRAFT).update(
        status=status, title=title, created=at, last_activity=at, month_day=month_day(at)
    )
    if claimed:
        post.refresh_from_db()
    return bool(claimed)


def edited(post: Post, *, held_for: Sequence[str] = (), tokens: Tokens | None = None) -> None:
    """A post's text or title changed (saved by the caller). A held post
    keeps its place in the queue, which now says why the new text is held
    (`held_for`), keeps the reasons that were about the author rather than
    the text (a newcomer's first posts), and says it was edited when nothing
    else holds it: moderators judge what will be published."""
    if post.status == Post.Status.HELD:
        item = ReviewItem.objects.select_for_update().get(post=post, decision__isnull=True)
        kept = [reason for reason in item.reasons if reason == NEWCOMER]
        item.reasons = list(dict.fromkeys([*held_for, *kept])) or [EDITED_WHILE_HELD]
        item.save(update_fields=["reasons"])
    index_post(post, tokens)
    _emit(Change.EDITED, post)


# --- moderators' decisions ----------------------------------------------------------


def approve(post: Post) -> None:
    _set_status(post, Post.Status.PUBLIC, "", Change.APPROVED)


def reject(post: Post, *, reason: str) -> None:
    _set_status(post, Post.Status.HIDDEN, reason, Change.REJECTED)


def hide(post: Post, *, reason: str) -> None:
    _set_status(post, Post.Status.HIDDEN, reason, Change.HIDDEN)


def delete(post: Post, *, reason: str) -> None:
    _set_status(post, Post.Status.DELETED, reason, Change.DELETED)


def restore(post: Post) -> None:
    _set_status(post, Post.Status.PUBLIC, "", Change.RESTORED)


def move(root: Post, *, board: Board) -> None:
    """Move a whole thread (`root` locked by the caller) to `board`: its posts
    in view leave one board's counts and join the other's."""
    source_id = root.board_id
    thread = Post.objects.filter(thread_id=root.pk)
    if root.status == Post.Status.PUBLIC:
        shown = thread.filter(status=Post.Status.PUBLIC).count()
        Board.objects.filter(pk=source_id).update(thread_count=F("thread_count") - 1, post_count=F("post_count") - shown)
        Board.objects.filter(pk=board.pk).update(
            thread_count=F("thread_count") + 1, post_count=F("post_count") + shown,
            last_activity=_latest("last_activity", root.last_activity),
        )
    thread.update(board=board)
    root.board, root.board_id = board, board.pk
    for post in thread.filter(status=Post.Status.PUBLIC):
        index_post(post)
    _emit(Change.MOVED, root, also=(source_id,))


# --- what follows from a change ------------------------------------------------------


def _set_status(post: Post, status: str, reason: str, change: Change) -> None:
    was_in_view = post.status == Post.Status.PUBLIC and _thread_public(post)
    post.status, post.status_reason = status, reason
    post.save(update_fields=["status", "status_reason"])
    if post.is_root:
        if was_in_view != (status == Post.Status.PUBLIC):
            _thread_view_changed(post, shown=status == Post.Status.PUBLIC)
        else:
            index_post(post)
    else:
        in_view = status == Post.Status.PUBLIC and _thread_public(post)
        if in_view and not was_in_view:
            _enter_view(post)
        elif was_in_view and not in_view:
            _leave_view(post)
        index_post(post)
    _emit(change, post)


def _thread_public(post: Post) -> bool:
    if post.is_root:
        return post.status == Post.Status.PUBLIC
    return Post.objects.filter(pk=post.thread_id, status=Post.Status.PUBLIC).exists()


def _enter_view(post: Post) -> None:
    """One post came into view (its thread's first post public): count it."""
    at = post.created
    if post.is_root:
        Board.objects.filter(pk=post.board_id).update(
            thread_count=F("thread_count") + 1, post_count=F("post_count") + 1,
            last_activity=_latest("last_activity", at),
        )
        return
    Post.objects.filter(pk__in=post.ancestor_ids()).update(
        reply_count=F("reply_count") + 1, last_activity=_latest("last_activity", at)
    )
    Board.objects.filter(pk=post.board_id).update(post_count=F("post_count") + 1, last_activity=_latest("last_activity", at))
    add_day_stats([(post.thread_id, timezone.localdate(at), 0, 1)])


def _leave_view(post: Post) -> None:
    """A reply left view: the inverse of `_enter_view` (activity times stay)."""
    Post.objects.filter(pk__in=post.ancestor_ids()).update(reply_count=F("reply_count") - 1)
    Board.objects.filter(pk=post.board_id).update(post_count=F("post_count") - 1)
    remove_day_replies(post.thread_id, {timezone.localdate(post.created): 1})


def _thread_view_changed(root: Post, *, shown: bool) -> None:
    """A thread's first post came into view (`shown`) or left it: it and every
    public reply of the thread come or go with it, on the board, in the
    thread's reply counts, day statistics and search."""
    rows = list(Post.objects.filter(thread_id=root.pk).values_list("pk", "path", "status", "created", "reply_count"))
    public = [(pk, path, created) for pk, path, status, created, _ in rows if status == Post.Status.PUBLIC and pk != root.pk]
    sign = 1 if shown else -1
    Board.objects.filter(pk=root.board_id).update(
        thread_count=F("thread_count") + sign, post_count=F("post_count") + sign * (1 + len(public))
    )
    # Every post's reply count, recounted: what is in view now.
    replies: Counter[int] = Counter()
    if shown:
        for pk, path, _ in public:
            replies.update(ancestor_ids(path))
    changed = [Post(pk=pk, reply_count=replies[pk]) for pk, _, _, _, count in rows if count != replies[pk]]
    Post.objects.bulk_update(changed, ["reply_count"], batch_size=500)
    per_day: Counter[date] = Counter(timezone.localdate(created) for _, _, created in public)
    if shown:
        add_day_stats([(root.pk, day, 0, n) for day, n in sorted(per_day.items())])
        index_post(root)
        for post in Post.objects.filter(pk__in=[pk for pk, _, _ in public]):
            index_post(post)
    else:
        remove_day_replies(root.pk, per_day)
        unindex_posts([root.pk, *(pk for pk, _, _ in public)])


def _emit(change: Change, post: Post, also: tuple[int, ...] = ()) -> None:
    event = PostChange(change, post.pk, post.thread_id or post.pk, (post.board_id, *also))
    transaction.on_commit(lambda: post_changed.send(sender=PostChange, change=event))


def month_day(at: datetime) -> int:
    local = timezone.localtime(at)
    return local.month * 100 + local.day


def _latest(field: str, at: datetime):
    # SQLite's MAX() is NULL if either side is; a board's first post has no predecessor.
    return Greatest(Coalesce(F(field), Value(at)), Value(at))
