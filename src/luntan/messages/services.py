"""Writes to private messages (悄悄话), blocks and notices (通知)."""

from django.conf import settings
from django.utils import timezone

from luntan import ratelimit
from luntan.accounts.models import User
from luntan.errors import Invalid, NotAllowed, NotFound, TooLarge
from luntan.markup import render_markdown
from luntan.moderation.screening import screen_text
from luntan.moderation.selectors import active_ban, ban_message
from luntan.textfields import clean_text

from .models import Block, Message, Notice


def send(*, sender: User, recipient: User, body: str) -> Message:
    ratelimit.hit("message", user=sender)
    if recipient.pk == sender.pk:
        raise Invalid("不能给自己发悄悄话。", field="to")
    if not recipient.is_active:
        raise NotFound("收件人不存在。", field="to")
    body = clean_text(
        body, field="body", label="悄悄话", limit=settings.LUNTAN["MESSAGE_MAX"], required="悄悄话内容不能为空。",
        multiline=True, too_long=TooLarge,
    )
    if ban := active_ban(sender):
        raise NotAllowed(ban_message(ban))
    if Block.objects.filter(user=recipient, blocked=sender).exists():
        raise NotAllowed(f"{recipient.username} 不接收你的悄悄话。", field="to")
    body = screen_text(text=body, field="body")
    return Message.objects.create(sender=sender, recipient=recipient, body=body, body_html=render_markdown(body, limit=settings.LUNTAN["MESSAGE_MAX"]))


def mark_read(*, user: User, message: Message) -> None:
    if message.recipient_id == user.pk and message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)


def block(*, user: User, blocked: User) -> None:
    if blocked.pk == user.pk:
        raise Invalid("不能屏蔽自己。")
    Block.objects.get_or_create(user=user, blocked=blocked)


def unblock(*, user: User, blocked: User) -> None:
    Block.objects.filter(user=user, blocked=blocked).delete()


def notify(*, user: User, text: str, url: str = "") -> Notice:
    """Tell a member something the site did (a moderator's decision, a report's outcome)."""
    return Notice.objects.create(user=user, text=text, url=url)


def mark_notices_read(*, user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
