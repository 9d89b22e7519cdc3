from django.conf import settings
from django.db import models

from luntan.zh.normalize import squash
from luntan.zh.script import to_simplified


def rule_key(pattern: str) -> str:
    """What the matcher actually looks for: case, width, separators and script
    folded, so 發票代開 and 发票 代开 are the same rule."""
    return squash(to_simplified(pattern))


class KeywordRule(models.Model):
    """One word of the keyword filter (敏感词). Written only through
    moderation.rules, which bumps `KeywordRuleSet.version` with every change."""

    class Action(models.TextChoices):  # the values of luntan.zh.keywords.Action
        BLOCK = "block", "屏蔽"
        REVIEW = "review", "审核"
        REPLACE = "replace", "替换"
        ALLOW = "allow", "放行"

    pattern = models.CharField("关键词", max_length=100)
    # rule_key(pattern): one rule per word, however it was typed.
    key = models.CharField(max_length=100, unique=True, editable=False)
    action = models.CharField("处理", max_length=10, choices=Action.choices)
    replacement = models.CharField("替换为", max_length=20, blank=True, help_text="仅“替换”用；留空即换成同样多个＊")
    category = models.CharField("类别", max_length=50, blank=True, help_text="如 广告、辱骂；被屏蔽时告诉发帖人")
    created = models.DateTimeField("添加时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="添加人"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "关键词规则"
        verbose_name_plural = "关键词规则"

    def __str__(self) -> str:
        return f"{self.pattern}（{self.get_action_display()}）"


class KeywordRuleSet(models.Model):
    """The rules' version: one row, bumped in the transaction of every rule
    change. Every process compares it with the version its compiled matcher
    was built from (moderation.screening)."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "关键词规则版本"
        verbose_name_plural = "关键词规则版本"


class ReviewItem(models.Model):
    """A held post waiting in the review queue, and what became of it."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "通过"
        REJECT = "reject", "拒绝"

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="review_items", verbose_name="帖子")
    # Why it was held: the categories of the review rules that fired.
    reasons = models.JSONField("原因", default=list)
    created = models.DateTimeField("送审时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="审核人"
    )
    decision = models.CharField("结果", max_length=10, choices=Decision.choices, null=True, blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    reason = models.TextField("审核说明", blank=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = "待审帖子"
        verbose_name_plural = "审核队列"
        indexes = [
            models.Index(fields=["created", "id"], condition=models.Q(decision__isnull=True), name="review_pending"),
        ]

    def __str__(self) -> str:
        return f"#{self.post_id}：{'、'.join(self.reasons)}"


class ModerationLog(models.Model):
    """Every moderation act: who, what, when, why. Written only by moderation.log."""

    class Action(models.TextChoices):
        HIDE = "hide", "隐藏"
        RESTORE = "restore", "恢复"
        DELETE = "delete", "删除"
        LOCK = "lock", "锁定"
        UNLOCK = "unlock", "解锁"
        PIN = "pin", "置顶"
        UNPIN = "unpin", "取消置顶"
        FEATURE = "feature", "加精"
        UNFEATURE = "unfeature", "取消加精"
        MOVE = "move", "移动"
        EDIT_TITLE = "edit_title", "改标题"
        APPROVE = "approve", "审核通过"
        REJECT = "reject", "审核拒绝"
        BAN = "ban", "封禁"
        UNBAN = "unban", "解封"
        APPOINT = "appoint", "任命版主"
        DISMISS = "dismiss", "撤销版主"
        RESOLVE_REPORT = "resolve_report", "处理举报"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="操作人")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    # The board it happened on (null: site-wide, e.g. a site ban).
    board = models.ForeignKey("forum.Board", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="版面")
    post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="帖子")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="对象"
    )
    reason = models.TextField("原因", blank=True)
    # What else a reader of the log needs: old and new title, boards of a move, ban length.
    detail = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "版务日志"
        verbose_name_plural = "版务日志"
        indexes = [
            models.Index(fields=["board", "-created", "-id"], name="modlog_board"),
            models.Index(fields=["-created", "-id"], name="modlog_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.post_id or ''}"


class Ban(models.Model):
    """`user` may not post, reply, vote (or, site-wide, send messages) on
    `board` (null: the whole site) until `until` (null: for good)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bans", verbose_name="用户")
    board = models.ForeignKey("forum.Board", null=True, blank=True, on_delete=models.CASCADE, related_name="bans", verbose_name="版面")
    until = models.DateTimeField("截止", null=True, blank=True)
    reason = models.TextField("原因")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="操作人")
    created = models.DateTimeField("时间", auto_now_add=True)
    lifted_at = models.DateTimeField("解封时间", null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "封禁"
        verbose_name_plural = "封禁"
        indexes = [models.Index(fields=["user", "board"], condition=models.Q(lifted_at__isnull=True), name="ban_active")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.board or '全站'}"


class Report(models.Model):
    """A member's report (举报) of a post or a private message, and its resolution."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports", verbose_name="举报人")
    post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="reports", verbose_name="帖子")
    message = models.ForeignKey(
        "private_messages.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="reports", verbose_name="悄悄话"
    )
    reason = models.TextField("举报理由")
    created = models.DateTimeField("时间", auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="处理人")
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolution = models.TextField("处理结果", blank=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = "举报"
        verbose_name_plural = "举报"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, message__isnull=True) | models.Q(post__isnull=True, message__isnull=False),
                name="report_one_target",
            ),
        ]
        indexes = [models.Index(fields=["created", "id"], condition=models.Q(resolved_at__isnull=True), name="report_open")]

    def __str__(self) -> str:
        return f"举报 #{self.pk}"


class ModerationSettings(models.Model):
    """The operator's moderation settings: one row."""

    new_account_review_posts = models.PositiveIntegerField(
        "新用户前几帖需审核", default=0, help_text="新注册用户的前 N 个帖子先进审核队列；0 为不审核"
    )

    class Meta:
        verbose_name = "版务设置"
        verbose_name_plural = "版务设置"

    def __str__(self) -> str:
        return "版务设置"
