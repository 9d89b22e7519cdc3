"""Writes to columns and articles: the one way in.

A column is a forum board of kind `column`; an article is a thread written
through `forum.services` (screened, counted, indexed as every post is) plus
its `Article` row. Drafts are threads in status `draft`.
"""

import logging
import re
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from luntan import images, ratelimit
from luntan.accounts.models import User
from luntan.errors import Conflict, Invalid, NotAllowed, NotFound
from luntan.forum import services as forum
from luntan.forum.models import Board, Post
from luntan.moderation import selectors as moderation_selectors
from luntan.moderation.screening import screen_part, screen_text
from luntan.textfields import clean_text

from .models import Article

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,48}[a-z0-9]$")
_URL_IN_LINE = re.compile(r"https?://\S+", re.I)
_LINK_SEPARATORS = " \t-—–|｜:："

log = logging.getLogger(__name__)


def _check_owner(user: User, column: Board) -> None:
    if column.owner_id != user.pk:
        raise NotAllowed("只有专栏作者才能修改这个专栏。")
    _check_not_banned(user, column)


def _check_not_banned(user: User, column: Board | None = None) -> None:
    """A column's name, intro and avatar are public words too: a ban stops them as it stops posts."""
    if ban := moderation_selectors.active_ban(user, column):
        raise NotAllowed(moderation_selectors.ban_message(ban))


def _clean_column_title(title: str) -> str:
    limit = settings.LUNTAN["BOARD_NAME_MAX"]
    title = clean_text(title, field="title", label="专栏名称", limit=limit, required=True)
    return screen_text(text=title, field="title")


def _clean_intro(intro: str) -> str:
    intro = clean_text(intro, field="intro", label="专栏简介", limit=settings.LUNTAN["BOARD_INTRO_MAX"], multiline=True)
    return screen_text(text=intro, field="intro") if intro else ""


def _free_slug(owner: User) -> str:
    base = f"u{owner.pk}"
    slug, n = base, 1
    while Board.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def open_column(*, owner: User, title: str, intro: str = "", slug: str = "") -> Board:
    """Open the user's column (one per user). `slug` is the column's address,
    /c/<slug>/: lower-case letters, digits and hyphens; chosen for them if empty."""
    if not owner.is_active:
        raise NotAllowed("此账户已停用，不能开专栏。")
    _check_not_banned(owner)
    title, intro = _clean_column_title(title), _clean_intro(intro)
    slug = (slug or "").strip().lower()
    if slug and not SLUG.match(slug):
        raise Invalid("专栏地址只能用小写字母、数字和连字符（-），2 到 50 个字符。", field="slug")
    if Board.objects.filter(kind=Board.Kind.COLUMN, owner=owner).exists():
        raise Conflict("你已经开过专栏了，每人只能开一个。")
    try:
        with transaction.atomic():
            return Board.objects.create(
                kind=Board.Kind.COLUMN, owner=owner, name=title, description=intro, slug=slug or _free_slug(owner)
            )
    except IntegrityError:
        if Board.objects.filter(kind=Board.Kind.COLUMN, owner=owner).exists():
            raise Conflict("你已经开过专栏了，每人只能开一个。") from None
        raise Conflict(f"专栏地址「{slug}」已被使用，请换一个。", field="slug") from None


def update_column(*, editor: User, column: Board, title: str, intro: str) -> Board:
    _check_owner(editor, column)
    column.name, column.description = _clean_column_title(title), _clean_intro(intro)
    column.save(update_fields=["name", "description"])
    return column


def _store_image(upload: UploadedFile, *, kind: images.ImageKind, uploader: User) -> str:
    """Every upload is decoded, refused ones too, so every one counts against
    the member's "upload" rate limit before it is opened."""
    ratelimit.hit("upload", user=uploader)
    return images.store_image(upload, kind=kind)


def set_column_avatar(*, editor: User, column: Board, upload: UploadedFile | None) -> Board:
    """Replace the column's avatar with `upload` (checked and re-encoded), or remove it (None)."""
    _check_owner(editor, column)
    old = column.avatar
    column.avatar = _store_image(upload, kind=images.ImageKind.AVATAR, uploader=editor) if upload else ""
    column.save(update_fields=["avatar"])
    if old:
        transaction.on_commit(lambda: images.delete_image(old))
    return column


def parse_references(lines: Iterable[str]) -> list[dict]:
    """References as the author gives them, one per line: text, an http(s)
    link, or text and a link ("史记 https://…"). Empty lines are skipped."""
    references = []
    validate = URLValidator(schemes=["http", "https"])
    text_max, url_max = settings.LUNTAN["REFERENCE_TEXT_MAX"], settings.LUNTAN["REFERENCE_URL_MAX"]
    for number, line in enumerate(lines, 1):
        label = f"参考资料第 {number} 条"
        # The whole line first, its link included: a link may not smuggle in what a text may not hold.
        line = clean_text(line, field="references", label=label, limit=text_max + 1 + url_max)
        if not line:
            continue
        url = ""
        if found := _URL_IN_LINE.search(line):
            url = found.group(0)
            line = (line[: found.start()] + " " + line[found.end() :]).strip(_LINK_SEPARATORS) or url
            try:
                validate(url)
            except ValidationError:
                raise Invalid(f"{label}的链接无效：{url}", field="references") from None
            if len(url) > url_max:
                raise Invalid(f"{label}的链接太长。", field="references")
        text = clean_text(line, field="references", label=label, limit=text_max)
        references.append({"text": text, "url": url})
    limit = settings.LUNTAN["REFERENCES_MAX"]
    if len(references) > limit:
        raise Invalid(f"参考资料至多 {limit} 条（现在 {len(references)} 条）。", field="references")
    return references


def reference_lines(article: Article) -> list[str]:
    """The stored references as the lines `parse_references` reads."""
    return [" ".join(part for part in (ref["text"] if ref["text"] != ref["url"] else "", ref["url"]) if part)
            for ref in article.references]


def _clean_summary(summary: str) -> str:
    return clean_text(summary, field="summary", label="摘要", limit=settings.LUNTAN["SUMMARY_MAX"], multiline=True)


def _screen_extras(summary: str, references: list[dict]) -> tuple[str, list[dict], list[str]]:
    """The keyword rules on an article's own texts, which share its review:
    the summary and references with replace rules applied, and the review
    categories that fired. A block rule refuses them."""
    held: list[str] = []
    if summary:
        summary, categories = screen_part(text=summary, field="summary")
        held += categories
    screened = []
    for reference in references:
        text, categories = screen_part(text=reference["text"], field="references")
        screened.append({**reference, "text": text})
        held += categories
    return summary, screened, list(dict.fromkeys(held))


def _clean_schedule(publish_at: datetime | None) -> datetime | None:
    if publish_at is None:
        return None
    if timezone.is_naive(publish_at):
        publish_at = timezone.make_aware(publish_at)
    if publish_at <= timezone.now():
        raise Invalid("定时发表的时间要晚于现在。", field="publish_at")
    return publish_at


def _set_summary(article: Article, summary: str, post: Post) -> None:
    article.summary_by_author = bool(summary)
    article.summary = summary or post.excerpt


def write_article(
    *,
    author: User,
    column: Board,
    title: str,
    body: str,
    summary: str = "",
    references: Iterable[str] = (),
    repost: bool = False,
    source: str = "",
    publish: bool = True,
    publish_at: datetime | None = None,
    cover: UploadedFile | None = None,
    at: datetime | None = None,
) -> Post:
    """Write an article in the author's column. It is published now
    (`publish`), kept as a draft only the author sees, or, with `publish_at`,
    a draft published at that time. Returns its post (status public, held,
    or draft). `at` back-dates a published article (demo content)."""
    if not column.is_column:
        raise NotFound("这不是专栏。")
    summary, references, held = _screen_extras(_clean_summary(summary), parse_references(references))
    publish_at = _clean_schedule(publish_at)
    draft = bool(publish_at) or not publish
    cover_name = _store_image(cover, kind=images.ImageKind.COVER, uploader=author) if cover else ""
    def save_article(post: Post) -> None:
        article = Article(post=post, references=references, cover=cover_name, publish_at=publish_at)
        _set_summary(article, summary, post)
        article.save()

    try:
        post = forum.create_thread(
            author=author, board=column, title=title, body=body, repost=repost, source=source,
            draft=draft, held_for=held, at=at, also=save_article,
        )
    except Exception:
        if cover_name:
            images.delete_image(cover_name)
        raise
    return post


def edit_article(
    *,
    editor: User,
    post: Post,
    title: str,
    body: str,
    summary: str = "",
    references: Iterable[str] = (),
    repost: bool = False,
    source: str = "",
    publish_at: datetime | None = None,
) -> Post:
    """Change an article (its author only). `publish_at` reschedules a draft
    (None: not scheduled); a published article keeps its date."""
    article = _article_of(post)
    forum.check_can_edit(editor=editor, post=post)
    summary, references, held = _screen_extras(_clean_summary(summary), parse_references(references))
    is_draft = post.status == Post.Status.DRAFT
    if held and post.status == Post.Status.PUBLIC:
        # As for the body (forum.services.edit_post): an edit does not send a published article back to review.
        raise Invalid(f"修改后的摘要或参考资料需要审核（{'、'.join(held)}），请修改后再保存。", field="summary")
    publish_at = _clean_schedule(publish_at) if is_draft else None
    def save_article(post: Post) -> None:
        article.references = references
        article.publish_at = publish_at
        _set_summary(article, summary, post)
        article.save(update_fields=["summary", "summary_by_author", "references", "publish_at"])

    return forum.edit_post(
        editor=editor, post=post, title=title, body=body, repost=repost, source=source, held_for=held, also=save_article
    )


def set_article_cover(*, editor: User, post: Post, upload: UploadedFile | None) -> Article:
    """Replace the article's cover with `upload`, or remove it (None)."""
    article = _article_of(post)
    forum.check_can_edit(editor=editor, post=post)
    old = article.cover
    article.cover = _store_image(upload, kind=images.ImageKind.COVER, uploader=editor) if upload else ""
    article.save(update_fields=["cover"])
    if old:
        transaction.on_commit(lambda: images.delete_image(old))
    return article


def publish_article(*, author: User, post: Post) -> Post:
    """Publish the author's draft now."""
    article = _authors_article(post, author, "只能发表自己的文章。")
    if post.status != Post.Status.DRAFT:
        raise Conflict("这篇文章已经发表了。")
    _publish(article, timezone.now())
    post.refresh_from_db()
    return post


def pin_article(*, author: User, post: Post, pinned: bool) -> Post:
    """The column's author pins (置顶) an article to the top of the column, or unpins it."""
    _article_of(post)
    if post.board.owner_id != author.pk:
        raise NotAllowed("只有专栏作者才能置顶文章。")
    if post.status != Post.Status.PUBLIC:
        raise Conflict("只能置顶已发表的文章。")
    Post.objects.filter(pk=post.pk).update(pinned=pinned)
    post.pinned = pinned
    return post


def discard_draft(*, author: User, post: Post) -> None:
    """Delete a draft for good: nobody else ever saw it."""
    article = _authors_article(post, author, "只能删除自己的草稿。")
    if post.status != Post.Status.DRAFT:
        raise Conflict("文章已经发表，不能当作草稿删除。")
    cover = article.cover
    with transaction.atomic():
        Post.objects.filter(pk=post.pk, status=Post.Status.DRAFT).delete()
        if cover:
            transaction.on_commit(lambda: images.delete_image(cover))


def publish_due_articles(*, now: datetime | None = None) -> int:
    """Publish every scheduled draft whose time has come; how many. Safe to
    run in several processes at once: each draft is published once."""
    now = now or timezone.now()
    published = 0
    due = Article.objects.filter(publish_at__lte=now, post__status=Post.Status.DRAFT).select_related("post")
    for article in due.order_by("publish_at")[:200]:
        try:
            published += _publish(article, article.publish_at)
        except (Invalid, NotAllowed) as error:
            # A rule added since it was written blocks it, or its author was banned since:
            # it stays a draft, unscheduled, for its author to see to.
            Article.objects.filter(pk=article.pk).update(publish_at=None)
            log.warning("scheduled article %s not published: %s", article.pk, error.message)
    return published


def _publish(article: Article, at: datetime) -> bool:
    """Publish the article's draft; its own texts are screened again with the post's."""
    summary = article.summary if article.summary_by_author else ""
    summary, references, held = _screen_extras(summary, article.references)
    with transaction.atomic():
        if not forum.publish_draft(post=article.post, at=at, held_for=held):
            return False
        article.publish_at = None
        article.references = references
        _set_summary(article, summary, article.post)
        article.save(update_fields=["publish_at", "summary", "summary_by_author", "references"])
    return True


def _authors_article(post: Post, user: User, refusal: str) -> Article:
    article = _article_of(post)
    if post.author_id != user.pk:
        raise NotAllowed(refusal)
    return article


def _article_of(post: Post) -> Article:
    try:
        return post.article
    except Article.DoesNotExist:
        raise NotFound("这不是专栏文章。") from None
