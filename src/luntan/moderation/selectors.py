"""Reads for moderation: keyword rules, who may moderate where, bans, and
the queues and log the moderation pages and API show."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from luntan.errors import NotAllowed, NotFound
from luntan.zh.keywords import Action, Rule

from .models import Ban, KeywordRule, KeywordRuleSet, ModerationLog, ModerationSettings, Report, ReviewItem

NEWCOMER = "新用户"  # the review reason of a new account's first posts
EDITED_WHILE_HELD = "送审后修改"  # why a held post still waits when its edited text triggers no rule


def rule_version() -> int:
    """The rules' current version: one indexed single-row read."""
    return KeywordRuleSet.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def matcher_rules() -> list[Rule]:
    """Every rule, as the matcher takes them."""
    return [
        Rule(pattern, Action(action), category, replacement, id)
        for id, pattern, action, category, replacement in KeywordRule.objects.order_by("id").values_list(
            "id", "pattern", "action", "category", "replacement"
        )
    ]


def keyword_rules() -> QuerySet[KeywordRule]:
    return KeywordRule.objects.order_by("id")


# --- who moderates where ----------------------------------------------------------


def is_moderator(user, board) -> bool:
    """Operators moderate everywhere; a board's moderators (版主) their board.
    Columns have no moderators: operators look after them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_operator:
        return True
    return not board.is_column and board.moderators.filter(pk=user.pk).exists()


def check_moderator(user, board) -> None:
    """Refuse an act on `board` to anyone who does not moderate it."""
    if not is_moderator(user, board):
        raise NotAllowed("只有本版版主或站务才能这样做。")


def moderated_board_ids(user) -> list[int] | None:
    """The boards `user` moderates; None means every board (an operator)."""
    if user.is_operator:
        return None
    return list(user.moderated_boards.values_list("id", flat=True))


def is_staff_anywhere(user) -> bool:
    """Whether the moderation pages have anything for `user`."""
    return user.is_authenticated and user.is_active and (user.is_operator or user.moderated_boards.exists())


def _on_boards(queryset: QuerySet, user, field: str) -> QuerySet:
    boards = moderated_board_ids(user)
    return queryset if boards is None else queryset.filter(**{f"{field}__in": boards})


# --- bans ---------------------------------------------------------------------------


def active_ban(user, board=None) -> Ban | None:
    """The ban that keeps `user` from posting on `board` now (a site ban counts
    everywhere; with board None, only a site ban)."""
    if not getattr(user, "is_authenticated", False):
        return None
    where = Q(board__isnull=True) | Q(board=board) if board is not None else Q(board__isnull=True)
    now = timezone.now()
    return (
        Ban.objects.filter(where, user=user, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .select_related("board")
        .order_by("board_id", "-created")  # a site ban (board null) first
        .first()
    )


def ban_message(ban: Ban) -> str:
    where = f"在「{ban.board.name}」" if ban.board_id else "在本站"
    until = f"，到 {timezone.localtime(ban.until):%Y-%m-%d %H:%M} 为止" if ban.until else ""
    return f"你已被禁止{where}发言{until}。原因：{ban.reason}"


def bans(user, board=None) -> QuerySet[Ban]:
    """Bans in force that `user` may see and lift: of `board`, or all of theirs."""
    now = timezone.now()
    queryset = Ban.objects.filter(lifted_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gt=now))
    if board is not None:
        if not is_moderator(user, board):
            return queryset.none()
        queryset = queryset.filter(board=board)
    elif not user.is_operator:
        queryset = queryset.filter(board__in=moderated_board_ids(user))
    return queryset.select_related("user", "board", "created_by")


# --- review of new accounts ---------------------------------------------------------


def newcomer_review(author) -> list[str]:
    """[NEWCOMER] while a new account's posts still go to review: until N of
    its posts are public (N set by the operator; 0, the default, is off).
    Operators and moderators are trusted."""
    first = ModerationSettings.objects.values_list("new_account_review_posts", flat=True).first() or 0
    if not first or author.is_operator or author.moderated_boards.exists():
        return []
    from luntan.forum.models import Post

    public = Post.objects.filter(author=author, status=Post.Status.PUBLIC)[:first].count()
    return [NEWCOMER] if public < first else []


# --- queues and the log ---------------------------------------------------------------


def review_queue(user) -> QuerySet[ReviewItem]:
    """Held posts waiting for `user`'s decision, oldest first."""
    pending = ReviewItem.objects.filter(decision__isnull=True, post__status="held")
    return _on_boards(pending, user, "post__board").select_related("post", "post__author", "post__board")


def open_reports(user) -> QuerySet[Report]:
    """Reports waiting for `user`: of posts on their boards; operators also see private messages."""
    reports = Report.objects.filter(resolved_at__isnull=True)
    if not user.is_operator:
        reports = reports.filter(post__board__in=moderated_board_ids(user))
    return reports.select_related("reporter", "post", "post__board", "post__author", "message", "message__sender")


def moderation_log(user, board=None) -> QuerySet[ModerationLog]:
    """The log entries `user` may read: of the boards they moderate (operators: all)."""
    entries = ModerationLog.objects.all() if board is None else ModerationLog.objects.filter(board=board)
    if not user.is_operator:
        entries = entries.filter(board__in=moderated_board_ids(user))
    return entries.select_related("actor", "board", "post", "target_user")


# --- one object each, for the moderation endpoints (NotFound when there is none) ---------------


def keyword_rule(rule_id: int) -> KeywordRule:
    rule = KeywordRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound("关键词规则不存在。")
    return rule


def review_item(user, item_id: int) -> ReviewItem:
    """A review item on a board `user` moderates, decided or not; else NotFound."""
    item = ReviewItem.objects.select_related("post__author", "post__board", "decided_by").filter(pk=item_id).first()
    if item is None or not is_moderator(user, item.post.board):
        raise NotFound("审核项不存在。")
    return item


def report_detail(report_id: int) -> Report:
    """A report with what its page and the API show of it (the caller checks who asks)."""
    report = (
        Report.objects.select_related("reporter", "post__board", "post__author", "message__sender", "resolved_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound("举报不存在。")
    return report


def report_for(user, report_id: int) -> Report:
    """A report `user` may handle: operators any, moderators those on their boards' posts."""
    report = report_detail(report_id)
    if not (user.is_operator or (report.post_id is not None and is_moderator(user, report.post.board))):
        raise NotFound("举报不存在。")
    return report


def ban_detail(ban_id: int) -> Ban:
    ban = Ban.objects.select_related("user", "board", "created_by").filter(pk=ban_id).first()
    if ban is None:
        raise NotFound("封禁不存在。")
    return ban
