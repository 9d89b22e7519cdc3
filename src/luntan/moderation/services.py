"""Writes for moderation: the keyword rules, the moderators' acts on posts,
the review queue, bans, reports, and the log every act writes.

Every rule change locks and bumps the one version row in its own transaction,
which serialises rule changes and tells every process to rebuild its matcher
(see moderation.screening).

Every act checks that the actor moderates the board (operators: every
board), changes the post and its counters in one transaction, writes a
`ModerationLog` entry (who, what, when, why), keeps the search index current
and tells the member concerned (messages.services.notify).

`actor` is the operator making the change. None means the site's own command
line (`luntan import-keywords` without --actor): whoever runs it already
holds the keys to the site.
"""

import re
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luntan.accounts.models import User
from luntan.errors import Conflict, Invalid, NotAllowed, NotFound, UserError
from luntan.forum import lifecycle
from luntan.forum import services as forum
from luntan.forum.models import Board, Post
from luntan.messages import services as messages
from luntan.messages.models import Message
from luntan.textfields import clean_text

from .models import Ban, KeywordRule, KeywordRuleSet, ModerationLog, ModerationSettings, Report, ReviewItem, rule_key
from .screening import rule_cache
from .selectors import active_ban, is_moderator

_ACTIONS = {action.value: action for action in KeywordRule.Action}
# An import file may name the action in Chinese too.
_ACTIONS.update({action.label: action for action in KeywordRule.Action})


def _check_operator(actor: User | None) -> None:
    if actor is not None and not actor.is_operator:
        raise NotAllowed("只有站务才能修改关键词规则。")


def clean_rule(*, pattern: str, action: str, category: str = "", replacement: str = "", rule: KeywordRule | None = None) -> dict:
    """The rule's fields, validated and with its key; `rule` is the one being
    changed (it does not conflict with itself). Raises Invalid or Conflict."""
    fields = _validated(pattern, action, category, replacement)
    twin = KeywordRule.objects.filter(key=fields["key"]).exclude(pk=rule.pk if rule else None).first()
    if twin is not None:
        raise Conflict(_duplicate(twin, fields["pattern"]), field="pattern")
    return fields


def _validated(pattern: str, action: str, category: str, replacement: str) -> dict:
    """Everything about a rule that needs no database."""
    limit = settings.LUNTAN["KEYWORD_MAX"]
    pattern = clean_text(pattern, field="pattern", label="关键词", limit=limit)
    key = rule_key(pattern)
    if not key:
        raise Invalid("关键词不能为空（只有空格或标点不算）。", field="pattern")
    if len(key) > limit:
        # Folding can lengthen a word (ß to ss); the key is stored in a column of the same size.
        raise Invalid(f"关键词不能超过 {limit} 个字。", field="pattern")
    choice = _ACTIONS.get((action or "").strip().lower())
    if choice is None:
        raise Invalid("处理方式只能是 block（屏蔽）、review（审核）、replace（替换）或 allow（放行）。", field="action")
    replacement = clean_text(
        replacement, field="replacement", label="替换为", limit=settings.LUNTAN["KEYWORD_REPLACEMENT_MAX"]
    )
    if replacement and choice != KeywordRule.Action.REPLACE:
        raise Invalid("只有“替换”规则才能填写替换为。", field="replacement")
    category = clean_text(category, field="category", label="类别", limit=settings.LUNTAN["KEYWORD_CATEGORY_MAX"])
    return {"pattern": pattern, "key": key, "action": choice.value, "category": category, "replacement": replacement}


def _duplicate(twin: KeywordRule, pattern: str) -> str:
    same = "已有" if twin.pattern == pattern else f"「{pattern}」与已有规则"
    return f"{same}「{twin.pattern}」（{twin.get_action_display()}），每个词只能有一条规则。"


def _changing_rules() -> KeywordRuleSet:
    """Lock the version row for this transaction: rule changes run one at a time."""
    ruleset, _ = KeywordRuleSet.objects.select_for_update().get_or_create(pk=1)
    return ruleset


def _rules_changed(ruleset: KeywordRuleSet) -> None:
    ruleset.version += 1
    ruleset.save(update_fields=["version"])
    # This process need not wait for its next version check; other processes
    # see the new version within screening.CHECK_SECONDS.
    rule_cache.forget()
    transaction.on_commit(rule_cache.forget)


def add_rule(*, actor: User | None, pattern: str, action: str, category: str = "", replacement: str = "") -> KeywordRule:
    _check_operator(actor)
    with transaction.atomic():
        ruleset = _changing_rules()
        fields = clean_rule(pattern=pattern, action=action, category=category, replacement=replacement)
        rule = KeywordRule.objects.create(**fields, created_by=actor)
        _rules_changed(ruleset)
    return rule


def update_rule(
    *, actor: User | None, rule: KeywordRule, pattern: str, action: str, category: str = "", replacement: str = ""
) -> KeywordRule:
    _check_operator(actor)
    with transaction.atomic():
        ruleset = _changing_rules()
        fields = clean_rule(pattern=pattern, action=action, category=category, replacement=replacement, rule=rule)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.save(update_fields=list(fields))
        _rules_changed(ruleset)
    return rule


def delete_rule(*, actor: User | None, rule: KeywordRule) -> None:
    _check_operator(actor)
    with transaction.atomic():
        ruleset = _changing_rules()
        KeywordRule.objects.filter(pk=rule.pk).delete()
        _rules_changed(ruleset)


# pattern, or pattern<sep>action<sep>category<sep>replacement with any tail left out
_IMPORT_SEPARATOR = re.compile(r"[\t|,]")


def import_rules(
    *, actor: User | None, lines: Iterable[str], default_action: str = KeywordRule.Action.BLOCK
) -> tuple[int, list[tuple[int, str]]]:
    """Add one rule per line (format: see the import_keywords command); skip
    blank lines and # comments. Bad lines are reported as (line number,
    message) and the good ones kept: all in one transaction, one version bump.
    Returns (rules added, errors)."""
    _check_operator(actor)
    errors: list[tuple[int, str]] = []
    with transaction.atomic():
        ruleset = _changing_rules()
        known = dict(KeywordRule.objects.values_list("key", "pattern"))
        seen: dict[str, int] = {}  # key → line number, for the file's own duplicates
        new_rules = []
        for number, line in enumerate(lines, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pattern, action, category, replacement = (
                [part.strip() for part in _IMPORT_SEPARATOR.split(line, maxsplit=3)] + ["", "", ""]
            )[:4]
            try:
                fields = _validated(pattern, action or default_action, category, replacement)
            except UserError as error:
                errors.append((number, error.message))
                continue
            # Duplicates are settled from one query, not a query per line.
            key = fields["key"]
            if key in seen:
                errors.append((number, f"「{fields['pattern']}」与第 {seen[key]} 行重复。"))
                continue
            if key in known:
                errors.append((number, f"已有「{known[key]}」的规则。"))
                continue
            seen[key] = number
            new_rules.append(KeywordRule(**fields, created_by=actor))
        KeywordRule.objects.bulk_create(new_rules, batch_size=1000)
        if new_rules:
            _rules_changed(ruleset)
    return len(new_rules), errors


# --- the log and the people told ---------------------------------------------------

Act = ModerationLog.Action


def _log(actor: User | None, action: str, *, board: Board | None = None, post: Post | None = None,
         target_user: User | None = None, reason: str = "", **detail) -> ModerationLog:
    return ModerationLog.objects.create(
        actor=actor, action=action, board=board, post=post, target_user=target_user, reason=reason, detail=detail
    )


def _reason(reason: str, *, required: bool) -> str:
    return clean_text(
        reason, field="reason", label="原因", limit=settings.LUNTAN["REASON_MAX"],
        required="请写明原因：作者和版务日志都会看到。" if required else False,
    )


def _check_moderator(actor: User, board: Board) -> None:
    if not is_moderator(actor, board):
        raise NotAllowed("只有本版版主或站务才能这样做。")


def _tell_author(post: Post, actor: User | None, text: str) -> None:
    if post.author_id != actor.pk:
        transaction.on_commit(lambda: messages.notify(user=post.author, text=text, url=post.get_absolute_url()))


# --- acts on posts -----------------------------------------------------------------------

# Acts on a thread as a whole: only on its root.
THREAD_ACTS = {Act.LOCK, Act.UNLOCK, Act.PIN, Act.UNPIN, Act.FEATURE, Act.UNFEATURE, Act.MOVE}
_FLAGS = {
    Act.LOCK: ("locked", True), Act.UNLOCK: ("locked", False),
    Act.PIN: ("pinned", True), Act.UNPIN: ("pinned", False),
    Act.FEATURE: ("featured", True), Act.UNFEATURE: ("featured", False),
}
POST_ACTS = (Act.HIDE, Act.RESTORE, Act.DELETE, Act.EDIT_TITLE, *_FLAGS, Act.MOVE)


def moderate(*, actor: User, post: Post, action: str, reason: str = "", board: Board | None = None,
             title: str | None = None) -> Post:
    """Hide, restore, delete, lock, unlock, pin, unpin, feature, unfeature,
    move (to `board`) or retitle (to `title`) a post; returns it as it is now."""
    if action not in POST_ACTS:
        raise Invalid(f"不认识的操作：{action}。", field="action")
    _check_moderator(actor, post.board)
    if post.status == Post.Status.DRAFT:
        raise NotFound("帖子不存在或已被删除。")  # a draft is its author's alone
    if action in THREAD_ACTS and not post.is_root:
        raise Invalid("这个操作只能用于主题帖。", field="action")
    if action == Act.MOVE:
        return _move(actor, post, board, _reason(reason, required=False))
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("board", "author").get(pk=post.pk)
        if action in _FLAGS:
            field, value = _FLAGS[action]
            Post.objects.filter(pk=post.pk).update(**{field: value})
            setattr(post, field, value)
            _log(actor, action, board=post.board, post=post, reason=_reason(reason, required=False))
        elif action == Act.EDIT_TITLE:
            _retitle(actor, post, title, _reason(reason, required=False))
        else:
            _change_status(actor, post, action, reason)
    return post


def _change_status(actor: User, post: Post, action: str, reason: str) -> None:
    Status = Post.Status
    if action == Act.RESTORE:
        if post.status not in (Status.HIDDEN, Status.DELETED):
            raise Conflict("这个帖子没有被隐藏或删除。")
        reason = _reason(reason, required=False)
        lifecycle.restore(post)
    else:
        allowed = (Status.PUBLIC,) if action == Act.HIDE else (Status.PUBLIC, Status.HIDDEN)
        if post.status not in allowed:
            raise Conflict("这个帖子现在不能这样处理（已隐藏、已删除、待审核或是草稿）。")
        reason = _reason(reason, required=True)
        (lifecycle.hide if action == Act.HIDE else lifecycle.delete)(post, reason=reason)
    _log(actor, action, board=post.board, post=post, target_user=post.author, reason=reason)
    done = {Act.HIDE: "隐藏", Act.DELETE: "删除", Act.RESTORE: "恢复"}[action]
    _tell_author(post, actor, f"你的帖子「{post.title}」已被版务{done}。" + (f"原因：{reason}" if reason else ""))


def _retitle(actor: User, post: Post, title: str | None, reason: str) -> None:
    old, post.title = post.title, forum.clean_title(title or "")
    if post.title == old:
        return
    post.save(update_fields=["title"])
    lifecycle.edited(post)
    _log(actor, Act.EDIT_TITLE, board=post.board, post=post, target_user=post.author, reason=reason,
         old_title=old, new_title=post.title)
    _tell_author(post, actor, f"你的帖子标题已被版务从「{old}」改为「{post.title}」。")


def _move(actor: User, root: Post, board: Board | None, reason: str) -> Post:
    """Move a thread to another forum board. A moderator may send an off-topic
    thread from their board to any board, as on every BBS; it is then that
    board's moderators' to look after."""
    if board is None:
        raise Invalid("请选择要移到的版面。", field="board")
    if board.is_column or root.board.is_column:
        raise Invalid("专栏文章和论坛版面之间不能移动。", field="board")
    if board.pk == root.board_id:
        raise Invalid("帖子已经在这个版面了。", field="board")
    with transaction.atomic():
        root = Post.objects.select_for_update().select_related("board", "author").get(pk=root.pk)
        source = root.board
        lifecycle.move(root, board=board)
        _log(actor, Act.MOVE, board=source, post=root, target_user=root.author, reason=reason,
             source=source.slug, target=board.slug)
        _tell_author(root, actor, f"你的帖子「{root.title}」已被版务从「{source.name}」移到「{board.name}」。")
    return root


# --- the review queue ---------------------------------------------------------------------


def decide_review(*, actor: User, item: ReviewItem, decision: str, reason: str = "") -> ReviewItem:
    """Approve a held post (it becomes public, counted and findable) or reject
    it (it stays hidden from others; its author sees the reason)."""
    if decision not in ReviewItem.Decision.values:
        raise Invalid("审核结果只能是 approve（通过）或 reject（拒绝）。", field="decision")
    _check_moderator(actor, item.post.board)
    reason = _reason(reason, required=decision == ReviewItem.Decision.REJECT)
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
        _log(actor, Act.APPROVE if decision == ReviewItem.Decision.APPROVE else Act.REJECT,
             board=post.board, post=post, target_user=post.author, reason=reason)
        _tell_author(post, actor, told)
    return item


# --- bans -----------------------------------------------------------------------------------------


def ban(*, actor: User, user: User, board: Board | None = None, days: int | None = None, reason: str) -> Ban:
    """Keep `user` from posting, replying and voting on `board` (a moderator's
    ban) or anywhere, messages included (board None: operators only), for
    `days` or for good (None)."""
    if board is None:
        if not actor.is_operator:
            raise NotAllowed("只有站务才能全站封禁。")
    else:
        _check_moderator(actor, board)
    if user.pk == actor.pk:
        raise Invalid("不能封禁自己。", field="username")
    if user.is_operator or (board is not None and is_moderator(user, board)):
        raise NotAllowed("不能封禁站务或本版版主。")
    if days is not None and not 1 <= days <= 3650:
        raise Invalid("封禁天数应在 1 到 3650 之间；永久封禁请不填天数。", field="days")
    reason = _reason(reason, required=True)
    until = timezone.now() + timedelta(days=days) if days else None
    with transaction.atomic():
        current = active_ban(user, board)
        if current is not None and current.board_id == (board.pk if board else None):
            raise Conflict(f"{user.username} 已在封禁中；要改期限，请先解除。")
        entry = Ban.objects.create(user=user, board=board, until=until, reason=reason, created_by=actor)
        _log(actor, Act.BAN, board=board, target_user=user, reason=reason, days=days)
        where = f"「{board.name}」" if board else "全站"
        length = f"{days} 天" if days else "永久"
        transaction.on_commit(lambda: messages.notify(
            user=user, text=f"你已被禁止在{where}发言（{length}）。原因：{reason}",
            url=board.get_absolute_url() if board else "",
        ))
    return entry


def lift_ban(*, actor: User, ban: Ban, reason: str = "") -> Ban:
    if ban.board_id is None:
        if not actor.is_operator:
            raise NotAllowed("只有站务才能解除全站封禁。")
    else:
        _check_moderator(actor, ban.board)
    with transaction.atomic():
        lifted = Ban.objects.filter(pk=ban.pk, lifted_at__isnull=True).update(lifted_at=timezone.now())
        if not lifted:
            raise Conflict("这个封禁已经解除了。")
        ban.refresh_from_db()
        _log(actor, Act.UNBAN, board=ban.board, target_user=ban.user, reason=_reason(reason, required=False))
        transaction.on_commit(lambda: messages.notify(user=ban.user, text="你的封禁已解除。"))
    return ban


# --- moderators ------------------------------------------------------------------------------------


def _check_appointer(actor: User | None) -> None:
    if actor is not None and not actor.is_operator:
        raise NotAllowed("只有站务才能任免版主。")


def appoint_moderator(*, actor: User | None, board: Board, user: User) -> None:
    """Make `user` a moderator (版主) of `board`: operators only (actor None:
    the site's own command line, e.g. the demo)."""
    _check_appointer(actor)
    if board.is_column:
        raise Invalid("专栏没有版主。")
    if not user.is_active:
        raise NotFound("用户不存在。")
    with transaction.atomic():
        if board.moderators.filter(pk=user.pk).exists():
            return
        board.moderators.add(user)
        _log(actor, Act.APPOINT, board=board, target_user=user)
        transaction.on_commit(lambda: messages.notify(
            user=user, text=f"你已被任命为「{board.name}」的版主。", url=board.get_absolute_url()
        ))


def dismiss_moderator(*, actor: User | None, board: Board, user: User) -> None:
    _check_appointer(actor)
    with transaction.atomic():
        if not board.moderators.filter(pk=user.pk).exists():
            raise NotFound(f"{user.username} 不是「{board.name}」的版主。")
        board.moderators.remove(user)
        _log(actor, Act.DISMISS, board=board, target_user=user)


# --- reports ------------------------------------------------------------------------------------------


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
        _check_moderator(actor, report.post.board)
    elif not actor.is_operator:
        raise NotAllowed("只有站务才能处理悄悄话的举报。")
    resolution = _reason(resolution, required=True)
    with transaction.atomic():
        done = Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
            resolved_by=actor, resolved_at=timezone.now(), resolution=resolution
        )
        if not done:
            raise Conflict("这个举报已经处理过了。")
        report.refresh_from_db()
        _log(actor, Act.RESOLVE_REPORT, board=report.post.board if report.post_id else None, post=report.post,
             reason=resolution, report=report.pk)
        what = f"帖子「{report.post.title}」" if report.post_id else "一条悄悄话"
        url = report.post.get_absolute_url() if report.post_id else ""
        transaction.on_commit(lambda: messages.notify(
            user=report.reporter, text=f"你对{what}的举报已处理：{resolution}", url=url
        ))
    return report


# --- settings --------------------------------------------------------------------------------------------


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
