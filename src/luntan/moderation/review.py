"""The review queue's decisions, and how many first posts of a new account
wait in it."""

from django.db import transaction
from django.utils import timezone

from luntan.accounts.models import User
from luntan.errors import Conflict, Invalid, NotAllowed
from luntan.forum import lifecycle
from luntan.forum.models import Post

from . import log
from .log import Act
from .models import ModerationSettings, ReviewItem
from .selectors import check_moderator


def decide_review(*, actor: User, item: ReviewItem, decision: str, reason: str = "") -> ReviewItem:
    """Approve a held post (it becomes public, counted and findable) or reject
    it (it stays hidden from others; its author sees the reason)."""
    if decision not in ReviewItem.Decision.values:
        raise Invalid("审核结果只能是 approve（通过）或 reject（拒绝）。", field="decision")
    check_moderator(actor, item.post.board)
    reason = log.clean_reason(reason, required=decision == ReviewItem.Decision.REJECT)
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        post = Post.objects.select_for_update().select_related("board", "author").get(pk=item.post_id)
        if item.decision or post.status != Post.Status.HELD:
            raise Conflict("这个帖子已经审核过了。")
        if decision == ReviewItem.Decision.APPROVE:
            lifecycle.approve(post)
            told = f"你的帖子「{post.title}」已通过审核。"
        else:
            lifecycle.reject(post, reason=reason)
            told = f"你的帖子「{post.title}」未通过审核。原因：{reason}"
        item.decision, item.decided_by, item.decided_at, item.reason = decision, actor, timezone.now(), reason
        item.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
        log.record(actor, Act.APPROVE if decision == ReviewItem.Decision.APPROVE else Act.REJECT,
                   board=post.board, post=post, target_user=post.author, reason=reason)
        log.tell_author(post, actor, told)
    return item


def set_newcomer_review(*, actor: User | None, posts: int) -> ModerationSettings:
    """How many first posts of a new account wait for review (0: none). Operators only."""
    if actor is not None and not actor.is_operator:
        raise NotAllowed("只有站务才能修改版务设置。")
    if not 0 <= posts <= 100:
        raise Invalid("新用户审核帖数应在 0 到 100 之间。", field="new_account_review_posts")
    with transaction.atomic():
        row = ModerationSettings.objects.select_for_update().first() or ModerationSettings()
        row.new_account_review_posts = posts
        row.save()
    return row
