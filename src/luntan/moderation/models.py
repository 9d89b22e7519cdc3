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
    moderation.services, which bumps `KeywordRuleSet.version` with every change."""

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
