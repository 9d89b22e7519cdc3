from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

PATH_STEP = 12  # digits of one post id inside a tree path
MAX_DEPTH = 90  # deepest reply level; keeps `path` inside its column
EXCERPT_LENGTH = 120  # characters of a body's first sentences (zh.summary), before any "……"


class Board(models.Model):
    class Kind(models.TextChoices):
        FORUM = "forum", "论坛版面"
        COLUMN = "column", "专栏"

    slug = models.SlugField(unique=True, max_length=50)
    name = models.CharField("名称", max_length=100)
    description = models.TextField("简介", blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FORUM)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_boards")
    position = models.IntegerField("排序", default=0)
    # A column's avatar: a storage name written by luntan.images.
    avatar = models.CharField(max_length=200, blank=True)
    moderators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="moderated_boards", verbose_name="版主")
    # Kept current by forum.services so the home page needs no aggregation.
    thread_count = models.IntegerField(default=0)
    post_count = models.IntegerField(default=0)
    last_activity = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "版面"
        verbose_name_plural = "版面"
        constraints = [
            models.UniqueConstraint(fields=["owner"], condition=Q(kind="column"), name="one_column_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("column" if self.is_column else "board", args=[self.slug])

    @property
    def is_column(self) -> bool:
        return self.kind == self.Kind.COLUMN


class Post(models.Model):
    """A thread's root or any reply in its tree.

    `path` is the ids of the post's ancestors and itself, each zero-padded to
    PATH_STEP digits, so ordering a thread by path yields it in tree order and
    a subtree is the posts whose path starts with its root's path.
    """

    class Status(models.TextChoices):
        PUBLIC = "public", "公开"
        HELD = "held", "待审核"
        HIDDEN = "hidden", "已隐藏"
        DELETED = "deleted", "已删除"
        # A column article not yet published: only its author sees it.
        DRAFT = "draft", "草稿"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="posts")
    thread = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    path = models.CharField(max_length=PATH_STEP * (MAX_DEPTH + 1), blank=True)
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    body_html = models.TextField(blank=True)
    # Read off the body's Markdown when it is written (markup.render), so no
    # page view or search hit parses it again: the words a reader sees, for
    # search and its snippets, and the first sentences, for page descriptions.
    body_text = models.TextField(blank=True)
    excerpt = models.CharField(max_length=EXCERPT_LENGTH + 2, blank=True)
    size = models.PositiveIntegerField(default=0, help_text="body length in bytes, shown in the tree")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLIC)
    repost = models.BooleanField("转帖", default=False)
    source = models.CharField("来源", max_length=500, blank=True)
    created = models.DateTimeField()
    month_day = models.PositiveSmallIntegerField(help_text="month*100+day of `created`, for on-this-day")
    edited = models.DateTimeField(null=True, blank=True)
    # Descendants (for a root: the whole thread's replies) and the latest of them.
    reply_count = models.PositiveIntegerField(default=0)
    last_activity = models.DateTimeField()
    views = models.PositiveIntegerField(default=0)
    up = models.PositiveIntegerField(default=0)
    down = models.PositiveIntegerField(default=0)
    pinned = models.BooleanField("置顶", default=False)
    featured = models.BooleanField("精华", default=False)
    locked = models.BooleanField("锁定", default=False)
    # Why a moderator hid, deleted or rejected it: shown to its author.
    status_reason = models.TextField("处理原因", blank=True)

    class Meta:
        verbose_name = "帖子"
        verbose_name_plural = "帖子"
        indexes = [
            models.Index(
                fields=["board", "-pinned", "-last_activity", "-id"],
                condition=Q(parent__isnull=True),
                name="post_board_listing",
            ),
            models.Index(fields=["thread", "path"], name="post_thread_path"),
            models.Index(fields=["author", "-created"], name="post_author_created"),
            models.Index(fields=["month_day"], condition=Q(parent__isnull=True), name="post_root_month_day"),
            # Newest threads, site-wide and per board (feeds).
            models.Index(fields=["-created", "-id"], condition=Q(parent__isnull=True), name="post_root_newest"),
            models.Index(fields=["board", "-created", "-id"], condition=Q(parent__isnull=True), name="post_board_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("post", args=[self.pk])

    @property
    def is_root(self) -> bool:
        return self.parent_id is None

    @property
    def is_article(self) -> bool:
        """A thread's first post in an author's column: shown as an article."""
        return self.is_root and self.board.is_column

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.PUBLIC

    def ancestor_ids(self) -> list[int]:
        return ancestor_ids(self.path)


def ancestor_ids(path: str) -> list[int]:
    """The ids of the posts above the one whose tree path this is, from the thread's first post down."""
    return [int(path[i : i + PATH_STEP]) for i in range(0, len(path) - PATH_STEP, PATH_STEP)]


class Vote(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField()
    created = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_vote_per_user"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_is_up_or_down"),
        ]
