"""Boards, threads, posts, trees and votes."""

from django.http import HttpRequest
from ninja import Router, Status

from luntan.errors import Invalid, NotFound
from luntan.forum import selectors, services
from luntan.forum.models import Board, Post
from luntan.stats.services import count_read

from .auth import ANYONE, MEMBERS
from .schemas import (
    BoardOut, NewThreadIn, PostOut, ReplyIn, ThreadOut, ThreadPageOut, TreeNodeOut, VoteIn, VotesOut, errors,
)
from .script import ScriptParam

router = Router(tags=["论坛"])


def forum_board(slug: str) -> Board:
    """A forum board; columns have their own endpoints."""
    board = selectors.board_by_slug(slug)
    if board.is_column:
        raise NotFound(f"版面「{slug}」不存在。")
    return board


def _created(post: Post) -> Status:
    return Status(201 if post.status == Post.Status.PUBLIC else 202, post)


@router.get("/boards", response={200: list[BoardOut], **errors(422)}, summary="论坛版面列表")
def list_boards(request: HttpRequest, script: ScriptParam = None):
    return selectors.forum_boards()


@router.get(
    "/boards/{slug}/threads", response={200: ThreadPageOut, **errors(404, 422)}, summary="版面里的主题帖",
    description="按最新动态排序，键集分页：把上一页的 next_cursor 作为 cursor 传回。第一页先列置顶帖。",
)
def board_threads(request: HttpRequest, slug: str, cursor: str | None = None, script: ScriptParam = None):
    board = forum_board(slug)
    if cursor and selectors.decode_cursor(cursor) is None:
        raise Invalid("翻页游标（cursor）无效，请使用上一页返回的 next_cursor。", field="cursor")
    page = selectors.board_threads(board, cursor=cursor)
    return {"board": board.slug, "items": page.pinned + page.threads, "next_cursor": page.next_cursor}


FEATURED_SIZE = 100


@router.get(
    "/boards/{slug}/featured", response={200: list[ThreadOut], **errors(404, 422)}, summary="版面的精华帖",
    description=f"加精的公开主题帖，新的在前，最多 {FEATURED_SIZE} 条。",
)
def board_featured(request: HttpRequest, slug: str, script: ScriptParam = None):
    board = forum_board(slug)
    return selectors.featured_threads(board, limit=FEATURED_SIZE)


@router.post(
    "/boards/{slug}/threads", auth=MEMBERS, response={201: PostOut, 202: PostOut, **errors(401, 403, 404, 413, 422)},
    summary="发主题帖", description="201：已发表；202：待审核。",
)
def create_thread(request: HttpRequest, slug: str, payload: NewThreadIn):
    post = services.create_thread(
        author=request.auth, board=forum_board(slug),
        title=payload.title, body=payload.body, repost=payload.repost, source=payload.source,
    )
    return _created(post)


@router.get(
    "/posts/{post_id}", auth=ANYONE, response={200: PostOut, **errors(401, 404, 422)}, summary="一个帖子（含正文）",
    description="未公开的帖子（草稿、待审核、已隐藏、已删除）只有作者本人和本版版主（草稿除外）看得到，其他人得到 404。",
)
def get_post(request: HttpRequest, post_id: int, script: ScriptParam = None):
    post = selectors.readable_post(request.auth, post_id)
    count_read(request, post)
    return post


@router.get(
    "/posts/{post_id}/tree", auth=ANYONE, response={200: TreeNodeOut, **errors(401, 404, 422)},
    summary="帖子及其全部跟帖（树形，无正文）",
)
def get_tree(request: HttpRequest, post_id: int, script: ScriptParam = None):
    post = selectors.readable_post(request.auth, post_id)
    nodes: dict[int, dict] = {}
    for line in selectors.subtree(post):  # tree order: a parent always comes before its children
        shown = selectors.title_shown(request.auth, line)
        if line.status == Post.Status.HELD and not shown:
            continue  # held for review: not there for others (and never has replies)
        nodes[line.pk] = node = {
            "id": line.pk,
            "title": line.title if shown else "",
            "author": line.author.username if shown else None,
            "created": line.created,
            "size": line.size if shown else 0,
            "reply_count": line.reply_count,
            "up": line.up,
            "down": line.down,
            "repost": line.repost,
            "status": line.status,
            "url": line.get_absolute_url() if shown else None,
            "children": [],
        }
        if line.pk != post.pk:
            nodes[line.parent_id]["children"].append(node)
    return nodes[post.pk]


@router.post(
    "/posts/{post_id}/replies", auth=MEMBERS, response={201: PostOut, 202: PostOut, **errors(401, 403, 404, 413, 422)},
    summary="回复一个帖子", description="标题必填，正文选填。201：已发表；202：待审核。",
)
def create_reply(request: HttpRequest, post_id: int, payload: ReplyIn):
    parent = selectors.readable_post(request.auth, post_id)
    post = services.reply(author=request.auth, parent=parent, title=payload.title, body=payload.body)
    return _created(post)


@router.post(
    "/posts/{post_id}/vote", auth=MEMBERS, response={200: VotesOut, **errors(401, 403, 404, 422)},
    summary="赞或踩",
)
def vote(request: HttpRequest, post_id: int, payload: VoteIn):
    up, down = services.vote(user=request.auth, post=selectors.readable_post(request.auth, post_id), value=payload.value)
    return {"up": up, "down": down}
