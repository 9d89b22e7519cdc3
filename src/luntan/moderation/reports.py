"""Reports (举报): a member reports a post or a message they received; a
moderator (an operator, for messages) records what was done."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luntan.accounts.models import User
from luntan.errors import Conflict, Invalid, NotAllowed, NotFound
from luntan.forum.models import Post
from luntan.messages.models import Message
from luntan.textfields import clean_text

from . import log
from .log import Act
from .models import Report
from .selectors import check_moderator

NO_POST = "帖子不存在或已被删除。"
NO_MESSAGE = "悄悄话不存在。"


def report(*, reporter: User, reason: str, post_id: int | None = None, message_id: int | None = None) -> Report:
    """Report (举报) a post one can read, or a private message one received.

    A post or message the reporter may not see (hidden, held, a draft, in a
    hidden thread; someone else's message) is refused exactly as one that
    does not exist, before anything else is looked at: the answer must not
    tell whether it is there."""
    if (post_id is None) == (message_id is None):
        raise Invalid("请指明举报的帖子或悄悄话（二选一）。")
    post = message = None
    if post_id is not None:
        post = Post.objects.filter(pk=post_id).select_related("thread", "board").first()
        if post is None or post.status != Post.Status.PUBLIC or post.thread.status != Post.Status.PUBLIC:
            raise NotFound(NO_POST, field="post")
    else:
        message = Message.objects.filter(pk=message_id, recipient=reporter).first()
        if message is None:
            raise NotFound(NO_MESSAGE, field="message")
    reason = clean_text(
        reason, field="reason", label="举报理由", limit=settings.LUNTAN["REASON_MAX"], required="请写明举报理由。"
    )
    if post is not None and post.author_id == reporter.pk:
        raise Invalid("不能举报自己的帖子。")
    open_reports = Report.objects.filter(reporter=reporter, post=post, message=message, resolved_at__isnull=True)
    if open_reports.exists():
        raise Conflict("你已经举报过了，版务正在处理。")
    return Report.objects.create(reporter=reporter, post=post, message=message, reason=reason)


def resolve_report(*, actor: User, report: Report, resolution: str) -> Report:
    """Record what was done about a report; the reporter is told."""
    if report.post_id is not None:
        check_moderator(actor, report.post.board)
    elif not actor.is_operator:
        raise NotAllowed("只有站务才能处理悄悄话的举报。")
    resolution = log.clean_reason(resolution, required=True)
    with transaction.atomic():
        done = Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
            resolved_by=actor, resolved_at=timezone.now(), resolution=resolution
        )
        if not done:
            raise Conflict("这个举报已经处理过了。")
        report.refresh_from_db()
        log.record(actor, Act.RESOLVE_REPORT, board=report.post.board if report.post_id else None, post=report.post,
                   reason=resolution, report=report.pk)
        what = f"帖子「{report.post.title}」" if report.post_id else "一条悄悄话"
        url = report.post.get_absolute_url() if report.post_id else ""
        log.tell(report.reporter, f"你对{what}的举报已处理：{resolution}", url)
    return report
