"""The moderators' acts on posts, dispatched on an action string (being
split into moderation.acts)."""

from django.db import transaction

from luntan.accounts.models import User
from luntan.errors import Conflict, Invalid, NotFound
from luntan.forum import lifecycle
from luntan.forum import services as forum
from luntan.forum.models import Board, Post

from . import log
from .log import Act
from .selectors import check_moderator


# --- acts on posts -----------------------------------------------------------------------

# Acts on a thread as a whole: only on its root.
THREAD_ACTS = {Act.LOCK, Act.UNLOCK, Act.PIN, Act.UNPIN, Act.FEATURE, Act.UNFEATURE, Act.MOVE}
_FLAGS = {
    Act.LOCK: ("locked", True), Act.UNLOCK: ("locked", False),
    Act.PIN: ("pinned", True), Act.UNPIN: ("pinned", False),
    Act.FEATURE: ("featured", True), Act.UNFEATURE: ("featured", False),
}
POST_ACTS = (Act.HIDE, Act.RESTORE, Act.DELETE, Act.EDIT_TITLE, *_FLAGS, Act.MOVE)


def moderate(*, actor: User, post: Post, action: str, reason: str = "", board: Board | None = None,
             title: str | None = None) -> Post:
    """Hide, restore, delete, lock, unlock, pin, unpin, feature, unfeature,
    move (to `board`) or retitle (to `title`) a post; returns it as it is now."""
    if action not in POST_ACTS:
        raise Invalid(f"不认识的操作：{action}。", field="action")
    check_moderator(actor, post.board)
    if post.status == Post.Status.DRAFT:
        raise NotFound("帖子不存在或已被删除。")  # a draft is its author's alone
    if action in THREAD_ACTS and not post.is_root:
        raise Invalid("这个操作只能用于主题帖。", field="action")
    if action == Act.MOVE:
        return _move(actor, post, board, log.clean_reason(reason, required=False))
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("board", "author").get(pk=post.pk)
        if action in _FLAGS:
            field, value = _FLAGS[action]
            Post.objects.filter(pk=post.pk).update(**{field: value})
            setattr(post, field, value)
            log.record(actor, action, board=post.board, post=post, reason=log.clean_reason(reason, required=False))
        elif action == Act.EDIT_TITLE:
            _retitle(actor, post, title, log.clean_reason(reason, required=False))
        else:
            _change_status(actor, post, action, reason)
    return post


def _change_status(actor: User, post: Post, action: str, reason: str) -> None:
    Status = Post.Status
    if action == Act.RESTORE:
        if post.status not in (Status.HIDDEN, Status.DELETED):
            raise Conflict("这个帖子没有被隐藏或删除。")
        reason = log.clean_reason(reason, required=False)
        lifecycle.restore(post)
    else:
        allowed = (Status.PUBLIC,) if action == Act.HIDE else (Status.PUBLIC, Status.HIDDEN)
        if post.status not in allowed:
            raise Conflict("这个帖子现在不能这样处理（已隐藏、已删除、待审核或是草稿）。")
        reason = log.clean_reason(reason, required=True)
        (lifecycle.hide if action == Act.HIDE else lifecycle.delete)(post, reason=reason)
    log.record(actor, action, board=post.board, post=post, target_user=post.author, reason=reason)
    done = {Act.HIDE: "隐藏", Act.DELETE: "删除", Act.RESTORE: "恢复"}[action]
    log.tell_author(post, actor, f"你的帖子「{post.title}」已被版务{done}。" + (f"原因：{reason}" if reason else ""))


def _retitle(actor: User, post: Post, title: str | None, reason: str) -> None:
    old, post.title = post.title, forum.clean_title(title or "")
    if post.title == old:
        return
    post.save(update_fields=["title"])
    lifecycle.edited(post)
    log.record(actor, Act.EDIT_TITLE, board=post.board, post=post, target_user=post.author, reason=reason,
         old_title=old, new_title=post.title)
    log.tell_author(post, actor, f"你的帖子标题已被版务从「{old}」改为「{post.title}」。")


def _move(actor: User, root: Post, board: Board | None, reason: str) -> Post:
    """Move a thread to another forum board. A moderator may send an off-topic
    thread from their board to any board, as on every BBS; it is then that
    board's moderators' to look after."""
    if board is None:
        raise Invalid("请选择要移到的版面。", field="board")
    if board.is_column or root.board.is_column:
        raise Invalid("专栏文章和论坛版面之间不能移动。", field="board")
    if board.pk == root.board_id:
        raise Invalid("帖子已经在这个版面了。", field="board")
    with transaction.atomic():
        root = Post.objects.select_for_update().select_related("board", "author").get(pk=root.pk)
        source = root.board
        lifecycle.move(root, board=board)
        log.record(actor, Act.MOVE, board=source, post=root, target_user=root.author, reason=reason,
             source=source.slug, target=board.slug)
        log.tell_author(root, actor, f"你的帖子「{root.title}」已被版务从「{source.name}」移到「{board.name}」。")
    return root
