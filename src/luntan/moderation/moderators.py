"""Appointing and dismissing a board's moderators (版主): operators only."""

from django.db import transaction

from luntan.accounts.models import User
from luntan.errors import Invalid, NotAllowed, NotFound
from luntan.forum.models import Board

from . import log
from .log import Act


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
        log.record(actor, Act.APPOINT, board=board, target_user=user)
        log.tell(user, f"你已被任命为「{board.name}」的版主。", board.get_absolute_url())


def dismiss_moderator(*, actor: User | None, board: Board, user: User) -> None:
    _check_appointer(actor)
    with transaction.atomic():
        if not board.moderators.filter(pk=user.pk).exists():
            raise NotFound(f"{user.username} 不是「{board.name}」的版主。")
        board.moderators.remove(user)
        log.record(actor, Act.DISMISS, board=board, target_user=user)


def _check_appointer(actor: User | None) -> None:
    if actor is not None and not actor.is_operator:
        raise NotAllowed("只有站务才能任免版主。")
