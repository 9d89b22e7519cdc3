"""The moderators' acts on posts and threads: one small function per act, as
in Misago's threads/moderation. Each checks that the actor moderates the
board (operators: every board), locks the post's row, makes the change (a
change of what readers see goes through luntan.forum.lifecycle, which keeps
counters, day statistics, the search index and the review queue), writes a
`ModerationLog` entry and tells the author after the transaction commits.

The pages and the API name an act by a string (`{"action": "hide"}`); `ACTS`
and `perform` translate it once, at that edge. No act looks at a string.
"""

from collections.abc import Callable

from django.db import transaction

from luntan.accounts.models import User
from luntan.errors import Conflict, Invalid, NotFound
from luntan.forum import lifecycle
from luntan.forum import services as forum
from luntan.forum.models import Board, Post

from . import log
from .log import Act
from .selectors import check_moderator

Status = Post.Status


# --- a post's visibility ---------------------------------------------------------------


def hide_post(*, actor: User, post: Post, reason: str = "") -> Post:
    """Hide a public post (and, for a first post, its thread) from readers; a reason is required."""
    post = _checked(actor, post)
    with transaction.atomic():
        post = _locked(post)
        reason = _taking_down(post, reason, allowed=(Status.PUBLIC,))
        lifecycle.hide(post, reason=reason)
        return _done(actor, post, Act.HIDE, reason, "隐藏")


def delete_post(*, actor: User, post: Post, reason: str = "") -> Post:
    """Delete a public or hidden post; a reason is required."""
    post = _checked(actor, post)
    with transaction.atomic():
        post = _locked(post)
        reason = _taking_down(post, reason, allowed=(Status.PUBLIC, Status.HIDDEN))
        lifecycle.delete(post, reason=reason)
        return _done(actor, post, Act.DELETE, reason, "删除")


def restore_post(*, actor: User, post: Post, reason: str = "") -> Post:
    """Show a hidden or deleted post again."""
    post = _checked(actor, post)
    with transaction.atomic():
        post = _locked(post)
        if post.status not in (Status.HIDDEN, Status.DELETED):
            raise Conflict("这个帖子没有被隐藏或删除。")
        reason = log.clean_reason(reason, required=False)
        lifecycle.restore(post)
        return _done(actor, post, Act.RESTORE, reason, "恢复")


def move_thread(*, actor: User, post: Post, board: Board | None, reason: str = "") -> Post:
    """Move a thread to another forum board. A moderator may send an off-topic
    thread from their board to any board, as on every BBS; it is then that
    board's moderators' to look after."""
    post = _checked(actor, post, whole_thread=True)
    reason = log.clean_reason(reason, required=False)
    if board is None:
        raise Invalid("请选择要移到的版面。", field="board")
    if board.is_column or post.board.is_column:
        raise Invalid("专栏文章和论坛版面之间不能移动。", field="board")
    if board.pk == post.board_id:
        raise Invalid("帖子已经在这个版面了。", field="board")
    with transaction.atomic():
        post = _locked(post)
        source = post.board
        lifecycle.move(post, board=board)
        log.record(actor, Act.MOVE, board=source, post=post, target_user=post.author, reason=reason,
                   source=source.slug, target=board.slug)
        log.tell_author(post, actor, f"你的帖子「{post.title}」已被版务从「{source.name}」移到「{board.name}」。")
    return post


# --- a post's title ----------------------------------------------------------------------


def retitle_post(*, actor: User, post: Post, title: str | None, reason: str = "") -> Post:
    """Give a post a new title; the author is told the old and the new one."""
    post = _checked(actor, post)
    with transaction.atomic():
        post = _locked(post)
        reason = log.clean_reason(reason, required=False)
        old, post.title = post.title, forum.clean_title(title or "")
        if post.title == old:
            return post
        post.save(update_fields=["title"])
        lifecycle.edited(post)
        log.record(actor, Act.EDIT_TITLE, board=post.board, post=post, target_user=post.author, reason=reason,
                   old_title=old, new_title=post.title)
        log.tell_author(post, actor, f"你的帖子标题已被版务从「{old}」改为「{post.title}」。")
    return post


# --- a thread's flags: locked (no new replies), pinned (first on its board), featured (精华) ---


def lock_thread(*, actor: User, post: Post, reason: str = "") -> Post:
    return _flag(actor, post, Act.LOCK, "locked", True, reason)


def unlock_thread(*, actor: User, post: Post, reason: str = "") -> Post:
    return _flag(actor, post, Act.UNLOCK, "locked", False, reason)


def pin_thread(*, actor: User, post: Post, reason: str = "") -> Post:
    return _flag(actor, post, Act.PIN, "pinned", True, reason)


def unpin_thread(*, actor: User, post: Post, reason: str = "") -> Post:
    return _flag(actor, post, Act.UNPIN, "pinned", False, reason)


def feature_thread(*, actor: User, post: Post, reason: str = "") -> Post:
    return _flag(actor, post, Act.FEATURE, "featured", True, reason)


def unfeature_thread(*, actor: User, post: Post, reason: str = "") -> Post:
    return _flag(actor, post, Act.UNFEATURE, "featured", False, reason)


# --- the edge: an act named by a string ----------------------------------------------------

ACTS: dict[str, Callable[..., Post]] = {
    Act.HIDE: hide_post, Act.DELETE: delete_post, Act.RESTORE: restore_post,
    Act.LOCK: lock_thread, Act.UNLOCK: unlock_thread, Act.PIN: pin_thread, Act.UNPIN: unpin_thread,
    Act.FEATURE: feature_thread, Act.UNFEATURE: unfeature_thread,
    Act.MOVE: move_thread, Act.EDIT_TITLE: retitle_post,
}


def perform(action: str, *, actor: User, post: Post, reason: str = "", board: Board | None = None,
            title: str | None = None) -> Post:
    """The act a form or a request body names (see ACTS), done to `post`:
    `board` goes only to move_thread, `title` only to retitle_post."""
    act = ACTS.get(action)
    if act is None:
        raise Invalid(f"不认识的操作：{action}。", field="action")
    if act is move_thread:
        return move_thread(actor=actor, post=post, board=board, reason=reason)
    if act is retitle_post:
        return retitle_post(actor=actor, post=post, title=title, reason=reason)
    return act(actor=actor, post=post, reason=reason)


# --- what every act shares -------------------------------------------------------------------


def _checked(actor: User, post: Post, *, whole_thread: bool = False) -> Post:
    """Refuse a non-moderator, a draft and, for an act on a whole thread, a reply."""
    check_moderator(actor, post.board)
    if post.status == Status.DRAFT:
        raise NotFound("帖子不存在或已被删除。")  # a draft is its author's alone
    if whole_thread and not post.is_root:
        raise Invalid("这个操作只能用于主题帖。", field="action")
    return post


def _locked(post: Post) -> Post:
    """The post as it is now, its row locked until the transaction ends."""
    return Post.objects.select_for_update().select_related("board", "author").get(pk=post.pk)


def _taking_down(post: Post, reason: str, *, allowed: tuple[str, ...]) -> str:
    """Hiding or deleting: only from the states in `allowed`, and only with a reason."""
    if post.status not in allowed:
        raise Conflict("这个帖子现在不能这样处理（已隐藏、已删除、待审核或是草稿）。")
    return log.clean_reason(reason, required=True)


def _done(actor: User, post: Post, act: str, reason: str, done: str) -> Post:
    """Log a change of visibility and tell the author."""
    log.record(actor, act, board=post.board, post=post, target_user=post.author, reason=reason)
    log.tell_author(post, actor, f"你的帖子「{post.title}」已被版务{done}。" + (f"原因：{reason}" if reason else ""))
    return post


def _flag(actor: User, post: Post, act: str, field: str, value: bool, reason: str) -> Post:
    """Set one of a thread's flags, and log it; the author is not told."""
    post = _checked(actor, post, whole_thread=True)
    with transaction.atomic():
        post = _locked(post)
        Post.objects.filter(pk=post.pk).update(**{field: value})
        setattr(post, field, value)
        log.record(actor, act, board=post.board, post=post, reason=log.clean_reason(reason, required=False))
    return post
