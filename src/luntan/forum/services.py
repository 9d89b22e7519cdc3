"""Writes to the forum: the one way in for boards, threads, replies, edits and votes.

Every function checks permission, validates, writes in one transaction and
keeps the denormalised counters (board, thread, ancestors, day stats) exact.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from luntan import ratelimit
from luntan.accounts.models import User
from luntan.errors import Invalid, NotAllowed, NotFound, TooLarge
from luntan.markup import render
from luntan.moderation import selectors as moderation_selectors
from luntan.moderation.screening import screen_post
from luntan.search.indexing import tokenize
from luntan.textfields import clean_text
from luntan.zh.summary import summarize

from . import lifecycle
from .models import EXCERPT_LENGTH, MAX_DEPTH, PATH_STEP, Board, Post, Vote


def clean_title(title: str) -> str:
    return clean_text(title, field="title", label="标题", limit=settings.LUNTAN["TITLE_MAX"], required=True)


def _clean_body(body: str) -> str:
    limit = settings.LUNTAN["BODY_MAX"]
    return clean_text(body, field="body", label="内容", limit=limit, multiline=True, too_long=TooLarge)


def _clean_source(repost: bool, source: str) -> str:
    source = clean_text(source, field="source", label="来源", limit=settings.LUNTAN["SOURCE_MAX"])
    if source and not repost:
        raise Invalid("只有转帖才能注明来源。", field="source")
    return source


def _check_can_post(author: User, board: Board) -> None:
    if not author.is_active:
        raise NotAllowed("此账户已停用，不能发帖。")
    if ban := moderation_selectors.active_ban(author, board):
        raise NotAllowed(moderation_selectors.ban_message(ban))


BODY_FIELDS = ["body", "body_html", "body_text", "excerpt", "size"]


def _body_fields(body: str) -> dict:
    """The body and what is read off it once, here, rather than per view."""
    rendered = render(body, limit=settings.LUNTAN["BODY_MAX"])
    return {
        "body": body, "body_html": rendered.html, "body_text": rendered.text,
        "excerpt": summarize(rendered.lead, EXCERPT_LENGTH), "size": len(body.encode()),
    }


def _set_body(post: Post, body: str) -> None:
    for field, value in _body_fields(body).items():
        setattr(post, field, value)


def create_board(*, slug: str, name: str, description: str = "", position: int = 0) -> Board:
    name = clean_text(name, field="name", label="版面名称", limit=settings.LUNTAN["BOARD_NAME_MAX"], required=True)
    description = clean_text(
        description, field="description", label="版面简介", limit=settings.LUNTAN["BOARD_INTRO_MAX"], multiline=True
    )
    return Board.objects.create(slug=slug, name=name, description=description, position=position)


def create_thread(
    *,
    author: User,
    board: Board,
    title: str,
    body: str = "",
    repost: bool = False,
    source: str = "",
    draft: bool = False,
    held_for: Sequence[str] = (),
    at: datetime | None = None,
    also: Callable[[Post], None] | None = None,
) -> Post:
    """Start a thread. `at` back-dates it (imports, demo content); default now.

    A draft (column articles only) is saved for its author alone: not counted,
    not indexed, not held for review until `publish_draft`. `held_for` are
    review categories the caller's screening of the post's other texts found
    (an article's summary): the post is held for them too. `also` writes what
    the caller keeps beside the post (an article's own row) in the same short
    transaction, after the slow work is done."""
    if at is None:  # back-dated posts (imports, the demo) are history, not a member posting now
        ratelimit.hit("thread", user=author)
    _check_can_post(author, board)
    title, body, source = clean_title(title), _clean_body(body), _clean_source(repost, source)
    if board.is_column and board.owner_id != author.pk:
        raise NotAllowed("只有专栏作者才能在专栏发文。")
    if draft and not board.is_column:
        raise Invalid("只有专栏文章可以存为草稿。")
    screened = screen_post(title=title, body=body)
    screened.held_for = list(dict.fromkeys([*screened.held_for, *held_for, *moderation_selectors.newcomer_review(author)]))
    at = at or timezone.now()
    post = Post(
        board=board, author=author, title=screened.title, repost=repost, source=source,
        status=Post.Status.DRAFT if draft else lifecycle.arriving_status(screened.held_for),
        created=at, last_activity=at, month_day=lifecycle.month_day(at),
    )
    _set_body(post, screened.body)
    tokens = None if draft else tokenize(post.title, post.body_text)
    with transaction.atomic():
        post.save()
        post.thread_id = post.pk
        post.path = _path_segment(post.pk)
        Post.objects.filter(pk=post.pk).update(thread_id=post.thread_id, path=post.path)
        if not draft:
            lifecycle.arrived(post, held_for=screened.held_for, tokens=tokens)
        if also:
            also(post)
    return post


def publish_draft(*, post: Post, at: datetime | None = None, held_for: Sequence[str] = ()) -> bool:
    """Publish a draft as of `at` (default now): it takes that date, is screened
    again (the rules may have changed since it was written), then counted and
    indexed, or held for review (also for `held_for`, as in create_thread).
    False if it was no longer a draft (another process published it first, or
    it was deleted). A banned author's draft waits (NotAllowed)."""
    _check_can_post(post.author, post.board)
    screened = screen_post(title=post.title, body=post.body)
    screened.held_for = list(dict.fromkeys([*screened.held_for, *held_for, *moderation_selectors.newcomer_review(post.author)]))
    at = at or timezone.now()
    # A replace rule may have changed the body: what is read off it is made before the write lock.
    replaced = _body_fields(screened.body) if screened.body != post.body else {}
    tokens = tokenize(screened.title, replaced.get("body_text", post.body_text))
    with transaction.atomic():
        if not lifecycle.claim_draft(post, held_for=screened.held_for, title=screened.title, at=at):
            return False
        if replaced:
            Post.objects.filter(pk=post.pk).update(**replaced)
            for field, value in replaced.items():
                setattr(post, field, value)
        lifecycle.arrived(post, held_for=screened.held_for, tokens=tokens)
    return True


def reply(*, author: User, parent: Post, title: str, body: str = "", at: datetime | None = None) -> Post:
    """Reply to any post of a thread; the reply joins the tree under `parent`."""
    if at is None:  # back-dated posts (imports, the demo) are history, not a member posting now
        ratelimit.hit("reply", user=author)
    _check_can_post(author, parent.board)
    title, body = clean_title(title), _clean_body(body)
    screened = screen_post(title=title, body=body)
    screened.held_for += moderation_selectors.newcomer_review(author)
    at = at or timezone.now()
    post = Post(
        author=author, title=screened.title, created=at, last_activity=at, month_day=lifecycle.month_day(at),
        status=lifecycle.arriving_status(screened.held_for),
    )
    _set_body(post, screened.body)  # slow work before the write lock, as in create_thread
    tokens = tokenize(post.title, post.body_text)
    with transaction.atomic():
        # Locking the root serialises replies with lock/move of the thread.
        root = Post.objects.select_for_update().get(pk=parent.thread_id)
        parent = Post.objects.get(pk=parent.pk)
        if root.locked:
            raise NotAllowed("此帖已锁定，不能回复。")
        if parent.status != Post.Status.PUBLIC or root.status != Post.Status.PUBLIC:
            raise NotFound("要回复的帖子已被删除或隐藏，不能回复。")
        if parent.depth >= MAX_DEPTH:
            raise Invalid("回复层级太深，请回复上层的帖子。")
        post.board_id, post.thread_id, post.parent, post.depth = root.board_id, root.pk, parent, parent.depth + 1
        post.save()
        post.path = parent.path + _path_segment(post.pk)
        Post.objects.filter(pk=post.pk).update(path=post.path)
        lifecycle.arrived(post, held_for=screened.held_for, tokens=tokens)
    return post


def check_can_edit(*, editor: User, post: Post) -> None:
    """Whether `editor` may change `post` now (pages ask before showing the
    form): their own post, on a board they may post on, and not taken out of
    view by a moderator. A hidden post (a rejected one is hidden too) stays as
    the moderator judged it: a rewrite would slip past that judgement when it
    is restored."""
    if post.author_id != editor.pk:
        raise NotAllowed(f"只能编辑自己的{_kind(post)}。")
    _check_can_post(editor, post.board)
    _check_editable_status(post)


def _check_editable_status(post: Post) -> None:
    if post.status == Post.Status.DELETED:
        raise NotFound(f"{_kind(post)}已被删除。")
    if post.status == Post.Status.HIDDEN:
        raise NotAllowed(f"这个{_kind(post)}已被版务隐藏或未通过审核，不能再修改。")


def _kind(post: Post) -> str:
    return "文章" if post.is_root and post.board.is_column else "帖子"


def edit_post(
    *, editor: User, post: Post, title: str, body: str, repost: bool | None = None, source: str | None = None,
    held_for: Sequence[str] = (),
    also: Callable[[Post], None] | None = None,
) -> Post:
    """Change one's own post. The new text is screened again. A public post
    stays public: an edit that a review rule would hold is refused, so a read
    post never drops out of view. A held post stays held, and its review item
    now gives the reasons for the new text: moderators judge what will be
    published. `held_for`: review categories of the post's other texts (an
    article's summary), and `also`, as in create_thread."""
    check_can_edit(editor=editor, post=post)
    screened = screen_post(title=clean_title(title), body=_clean_body(body))
    held = list(dict.fromkeys([*screened.held_for, *held_for]))
    post.title = screened.title
    if repost is not None:
        post.repost = repost
        post.source = _clean_source(repost, post.source if source is None else source)
    _set_body(post, screened.body)
    post.edited = timezone.now()
    tokens = tokenize(post.title, post.body_text)
    with transaction.atomic():
        # As it is now: a moderator may have hidden or approved it since the form was read.
        post.status = Post.objects.select_for_update().values_list("status", flat=True).get(pk=post.pk)
        _check_editable_status(post)
        if held and post.status == Post.Status.PUBLIC:
            raise Invalid(f"修改后的内容需要审核（{'、'.join(held)}），请修改后再保存。")
        post.save(update_fields=["title", *BODY_FIELDS, "repost", "source", "edited"])
        lifecycle.edited(post, held_for=held, tokens=tokens)
        if also:
            also(post)
    return post


def vote(*, user: User, post: Post, value: int) -> tuple[int, int]:
    """Vote a post up (1) or down (-1); voting again the other way changes the vote."""
    ratelimit.hit("vote", user=user)
    if value not in (1, -1):
        raise Invalid("投票只能是 1（赞）或 -1（踩）。", field="value")
    if post.author_id == user.pk:
        raise NotAllowed("不能给自己的帖子投票。")
    if ban := moderation_selectors.active_ban(user, post.board):
        raise NotAllowed(moderation_selectors.ban_message(ban))
    if post.status != Post.Status.PUBLIC:
        raise NotFound("帖子不存在或已被隐藏。")
    column = {1: "up", -1: "down"}
    try:
        with transaction.atomic():
            previous = Vote.objects.select_for_update().filter(post=post, user=user).first()
            if previous is None:
                Vote.objects.create(post=post, user=user, value=value)
                Post.objects.filter(pk=post.pk).update(**{column[value]: F(column[value]) + 1})
            elif previous.value != value:
                previous.value = value
                previous.save(update_fields=["value", "created"])
                Post.objects.filter(pk=post.pk).update(
                    **{column[value]: F(column[value]) + 1, column[-value]: F(column[-value]) - 1}
                )
    except IntegrityError:
        pass  # the same user's concurrent identical vote won; nothing to change
    post.refresh_from_db(fields=["up", "down"])
    return post.up, post.down


def _path_segment(post_id: int) -> str:
    return f"{post_id:0{PATH_STEP}d}"
