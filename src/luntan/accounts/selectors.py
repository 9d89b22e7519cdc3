"""Reads about members that pages and the API share."""

from django.db.models.functions import Coalesce

from luntan.errors import NotFound

from .models import ApiToken, User


def member_named(username: str, *, missing: str, field: str | None = None) -> User:
    """The active member called `username` (surrounding spaces ignored); else
    NotFound with the caller's `missing` message, for `field`."""
    name = (username or "").strip()
    member = User.objects.filter(username=name, is_active=True).first() if name else None
    if member is None:
        raise NotFound(missing, field=field)
    return member


def api_tokens_of(user: User) -> list[ApiToken]:
    """`user`'s live API tokens, the most recently used first."""
    return list(ApiToken.objects.live().filter(user=user).order_by(Coalesce("last_used", "created").desc(), "-pk"))
