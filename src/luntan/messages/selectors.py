from django.db.models import Q, QuerySet

from luntan.accounts.models import User
from luntan.errors import NotFound

from .models import Block, Message, Notice


def inbox(user: User) -> QuerySet[Message]:
    return Message.objects.filter(recipient=user).select_related("sender").order_by("-created")


def sent(user: User) -> QuerySet[Message]:
    return Message.objects.filter(sender=user).select_related("recipient").order_by("-created")


def unread_count(user: User) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def message_for(user: User, message_id: int) -> Message:
    """A message its sender or recipient may read; anyone else gets a 404."""
    message = (
        Message.objects.select_related("sender", "recipient")
        .filter(Q(recipient=user) | Q(sender=user), pk=message_id)
        .first()
    )
    if message is None:
        raise NotFound("悄悄话不存在。")
    return message


def is_blocked(user: User, other: User) -> bool:
    return Block.objects.filter(user=user, blocked=other).exists()


def blocked_users(user: User) -> list[User]:
    return [b.blocked for b in Block.objects.filter(user=user).select_related("blocked")]


def notices(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user).order_by("-created", "-id")


def unread_notice_count(user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()
