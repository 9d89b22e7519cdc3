"""What every moderation act leaves behind: a `ModerationLog` row (who, what,
when, why) and, after the transaction commits, a notice to the member
concerned (messages.services.notify). The reason rule lives here too, so
every act asks for a reason the same way.

`actor` None is the site's own command line (see moderation.rules).
"""

from django.conf import settings
from django.db import transaction

from luntan.accounts.models import User
from luntan.forum.models import Board, Post
from luntan.messages import services as messages
from luntan.textfields import clean_text

from .models import ModerationLog

Act = ModerationLog.Action


def record(actor: User | None, action: str, *, board: Board | None = None, post: Post | None = None,
           target_user: User | None = None, reason: str = "", **detail) -> ModerationLog:
    return ModerationLog.objects.create(
        actor=actor, action=action, board=board, post=post, target_user=target_user, reason=reason, detail=detail
    )


def clean_reason(reason: str, *, required: bool) -> str:
    """A moderator's reason: the author and the log both read it."""
    return clean_text(
        reason, field="reason", label="原因", limit=settings.LUNTAN["REASON_MAX"],
        required="请写明原因：作者和版务日志都会看到。" if required else False,
    )


def tell(user: User, text: str, url: str = "") -> None:
    """Send `user` a notice once the act's transaction has committed."""
    transaction.on_commit(lambda: messages.notify(user=user, text=text, url=url))


def tell_author(post: Post, actor: User | None, text: str) -> None:
    """Tell a post's author what a moderator did to it, unless they did it themselves."""
    if post.author_id != actor.pk:
        transaction.on_commit(lambda: messages.notify(user=post.author, text=text, url=post.get_absolute_url()))
