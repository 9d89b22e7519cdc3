"""Columns and their articles. Comments and votes on an article are the
post endpoints' (`/posts/{id}/replies`, `/posts/{id}/vote`): an article is a post."""

from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile

from luntan.columns import selectors, services
from luntan.errors import Invalid, NotAllowed, NotFound
from luntan.forum import selectors as forum_selectors
from luntan.forum.models import Post
from luntan.forum.selectors import decode_cursor
from luntan.stats.services import count_read

from .auth import ANYONE, MEMBERS
from .schemas import (
    ArticleIn, ArticleOut, ArticlePageOut, ArticlePatchIn, ArticleSummaryOut, ColumnIn, ColumnOut, ColumnPatchIn,
    errors,
)
from .script import ScriptParam

router = Router(tags=["专栏"])
# What PATCH /articles/{id} may change through columns.services.edit_article.
CONTENT_FIELDS = frozenset({"title", "body", "summary", "references", "repost", "source", "publish_at"})


def _own_article(request: HttpRequest, post_id: int) -> Post:
    post = selectors.readable_article(request.auth, post_id)
    if post.author_id != request.auth.pk:
        raise NotAllowed("只能修改自己的文章。")
    return post


@router.get("/columns", response={200: list[ColumnOut], **errors(422)}, summary="专栏列表（最近有新文章的在前）")
def list_columns(request: HttpRequest, script: ScriptParam = None):
    return selectors.columns()[:200]


@router.post(
    "/columns", auth=MEMBERS, response={201: ColumnOut, **errors(401, 403, 409, 422)},
    summary="开专栏", description="每人一个专栏；已经开过则 409。",
)
def open_column(request: HttpRequest, payload: ColumnIn):
    column = services.open_column(owner=request.auth, title=payload.title, intro=payload.intro, slug=payload.slug)
    return Status(201, column)


@router.get("/columns/{slug}", response={200: ColumnOut, **errors(404, 422)}, summary="一个专栏")
def get_column(request: HttpRequest, slug: str, script: ScriptParam = None):
    return selectors.column_by_slug(slug)


@router.patch("/columns/{slug}", auth=MEMBERS, response={200: ColumnOut, **errors(401, 403, 404, 422)}, summary="修改专栏")
def update_column(request: HttpRequest, slug: str, payload: ColumnPatchIn):
    column = selectors.column_by_slug(slug)
    return services.update_column(
        editor=request.auth, column=column,
        title=column.name if payload.title is None else payload.title,
        intro=column.description if payload.intro is None else payload.intro,
    )


@router.post(
    "/columns/{slug}/avatar", auth=MEMBERS, response={200: ColumnOut, **errors(401, 403, 404, 413, 422, 429)},
    summary="上传专栏头像", description="multipart/form-data，字段 file：JPEG、PNG、GIF 或 WebP，不超过 2 MB。",
)
def upload_avatar(request: HttpRequest, slug: str, file: File[UploadedFile]):
    return services.set_column_avatar(editor=request.auth, column=selectors.column_by_slug(slug), upload=file)


@router.delete("/columns/{slug}/avatar", auth=MEMBERS, response={200: ColumnOut, **errors(401, 403, 404)}, summary="去掉专栏头像")
def remove_avatar(request: HttpRequest, slug: str):
    return services.set_column_avatar(editor=request.auth, column=selectors.column_by_slug(slug), upload=None)


@router.get(
    "/columns/{slug}/articles", response={200: ArticlePageOut, **errors(404, 422)}, summary="专栏的文章",
    description="已发表的文章：第一页先列置顶，然后从新到旧；键集分页：把 next_cursor 作为 cursor 传回。",
)
def column_articles(request: HttpRequest, slug: str, cursor: str | None = None, script: ScriptParam = None):
    column = selectors.column_by_slug(slug)
    if cursor and decode_cursor(cursor) is None:
        raise Invalid("翻页游标（cursor）无效，请使用上一页返回的 next_cursor。", field="cursor")
    page = selectors.column_articles(column, cursor=cursor)
    return {"column": column.slug, "items": page.pinned + page.articles, "next_cursor": page.next_cursor}


@router.get(
    "/columns/{slug}/drafts", auth=MEMBERS, response={200: list[ArticleSummaryOut], **errors(401, 404, 422)},
    summary="未发表的文章（草稿、定时、待审核）", description="只有专栏作者能看；别人得到 404。",
)
def column_drafts(request: HttpRequest, slug: str, script: ScriptParam = None):
    column = selectors.column_by_slug(slug)
    if column.owner_id != request.auth.pk:
        raise NotFound(f"专栏「{slug}」不存在。")
    return selectors.column_unpublished(column)


@router.post(
    "/columns/{slug}/articles", auth=MEMBERS, response={201: ArticleOut, 202: ArticleOut, **errors(401, 403, 404, 413, 422, 429)},
    summary="写文章",
    description="201：已发表或已存为草稿（看 status）；202：待审核；422：被拦下，detail 说明原因。",
)
def write_article(request: HttpRequest, slug: str, payload: ArticleIn):
    post = services.write_article(author=request.auth, column=selectors.column_by_slug(slug), **payload.dict())
    post = forum_selectors.post_detail(post.pk)
    return Status(202 if post.status == Post.Status.HELD else 201, post)


@router.get(
    "/articles/{post_id}", auth=ANYONE, response={200: ArticleOut, **errors(401, 404, 422)}, summary="一篇文章",
    description="草稿和待审核的文章只有作者本人看得到，其他人得到 404。",
)
def get_article(request: HttpRequest, post_id: int, script: ScriptParam = None):
    post = selectors.readable_article(request.auth, post_id)
    count_read(request, post)
    return post


@router.patch(
    "/articles/{post_id}", auth=MEMBERS, response={200: ArticleOut, 202: ArticleOut, **errors(401, 403, 404, 409, 413, 422)},
    summary="修改文章，或发表草稿", description="只改给出的字段；publish=true 发表草稿。",
)
def edit_article(request: HttpRequest, post_id: int, payload: ArticlePatchIn):
    post = _own_article(request, post_id)
    article = post.article
    given = payload.model_fields_set
    if given & CONTENT_FIELDS:
        services.edit_article(
            editor=request.auth, post=post,
            title=post.title if payload.title is None else payload.title,
            body=post.body if payload.body is None else payload.body,
            summary=(article.summary if article.summary_by_author else "") if payload.summary is None else payload.summary,
            references=services.reference_lines(article) if payload.references is None else payload.references,
            repost=post.repost if payload.repost is None else payload.repost,
            source=post.source if payload.source is None else payload.source,
            publish_at=payload.publish_at if "publish_at" in given else article.publish_at,
        )
    if payload.publish:
        services.publish_article(author=request.auth, post=post)
    if payload.pinned is not None:
        services.pin_article(author=request.auth, post=forum_selectors.post_detail(post.pk), pinned=payload.pinned)
    post = forum_selectors.post_detail(post.pk)
    return Status(202 if post.status == Post.Status.HELD else 200, post)


@router.post(
    "/articles/{post_id}/cover", auth=MEMBERS, response={200: ArticleOut, **errors(401, 403, 404, 413, 422, 429)},
    summary="上传文章封面", description="multipart/form-data，字段 file：JPEG、PNG、GIF 或 WebP，不超过 2 MB。",
)
def upload_cover(request: HttpRequest, post_id: int, file: File[UploadedFile]):
    post = _own_article(request, post_id)
    services.set_article_cover(editor=request.auth, post=post, upload=file)
    return forum_selectors.post_detail(post.pk)


@router.delete("/articles/{post_id}/cover", auth=MEMBERS, response={200: ArticleOut, **errors(401, 403, 404)}, summary="去掉文章封面")
def remove_cover(request: HttpRequest, post_id: int):
    post = _own_article(request, post_id)
    services.set_article_cover(editor=request.auth, post=post, upload=None)
    return forum_selectors.post_detail(post.pk)


@router.delete(
    "/articles/{post_id}", auth=MEMBERS, response={204: None, **errors(401, 403, 404, 409)}, summary="删除草稿",
    description="只能删除自己未发表的草稿；已发表的文章由版务处理。",
)
def discard_draft(request: HttpRequest, post_id: int):
    services.discard_draft(author=request.auth, post=_own_article(request, post_id))
    return Status(204, None)
