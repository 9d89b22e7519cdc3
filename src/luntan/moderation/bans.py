"""Bans (封禁): keeping a member from posting on one board or anywhere, and
lifting it."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from luntan.accounts.models import User
from luntan.errors import Conflict, Invalid, NotAllowed
from luntan.forum.models import Board

from . import log
from .log import Act
from .models import Ban
from .selectors import active_ban, check_moderator, is_moderator


def ban(*, actor: User, user: User, board: Board | None = None, days: int | None = None, reason: str) -> Ban:
    """Keep `user` from posting, replying and voting on `board` (a moderator's
    ban) or anywhere, messages included (board None: operators only), for
    `days` or for good (None)."""
    if board is None:
        if not actor.is_operator:
            raise NotAllowed("只有站务才能全站封禁。")
    else:
        check_moderator(actor, board)
    if user.pk == actor.pk:
        raise Invalid("不能封禁自己。", field="username")
    if user.is_operator or (board is not None and is_moderator(user, board)):
        raise NotAllowed("不能封禁站务或本版版主。")
    if days is not None and not 1 <= days <= 3650:
        raise Invalid("封禁天数应在 1 到 3650 之间；永久封禁请不填天数。", field="days")
    reason = log.clean_reason(reason, required=True)
    until = timezone.now() + timedelta(days=days) if days else None
    with transaction.atomic():
        current = active_ban(user, board)
        if current is not None and current.board_id == (board.pk if board else None):
            raise Conflict(f"{user.username} 已在封禁中；要改期限，请先解除。")
        entry = Ban.objects.create(user=user, board=board, until=until, reason=reason, created_by=actor)
        log.record(actor, Act.BAN, board=board, target_user=user, reason=reason, days=days)
        where = f"「{board.name}」" if board else "全站"
        length = f"{days} 天" if days else "永久"
        log.tell(user, f"你已被禁止在{where}发言（{length}）。原因：{reason}", board.get_absolute_url() if board else "")
    return entry


def lift_ban(*, actor: User, ban: Ban, reason: str = "") -> Ban:
    if ban.board_id is None:
        if not actor.is_operator:
            raise NotAllowed("只有站务才能解除全站封禁。")
    else:
        check_moderator(actor, ban.board)
    with transaction.atomic():
        lifted = Ban.objects.filter(pk=ban.pk, lifted_at__isnull=True).update(lifted_at=timezone.now())
        if not lifted:
            raise Conflict("这个封禁已经解除了。")
        ban.refresh_from_db()
        log.record(actor, Act.UNBAN, board=ban.board, target_user=ban.user,
                   reason=log.clean_reason(reason, required=False))
        log.tell(ban.user, "你的封禁已解除。")
    return ban
