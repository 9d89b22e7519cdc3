"""Who is calling: `Authorization: Bearer <token>` (accounts.services.issue_token)."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from luntan.accounts.services import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


bearer = BearerToken()


def guest(request: HttpRequest) -> AnonymousUser | None:
    """Lets a caller without an Authorization header in as a guest.

    Used after `bearer` on reads that anyone may make but whose answer depends
    on who asks (an author sees their own held post). A header with a bad
    token is not waved through as a guest: it gets the 401 it deserves.
    """
    if request.headers.get("Authorization"):
        return None
    return AnonymousUser()


# Endpoints for members only, and endpoints for anyone.
MEMBERS = [bearer]
ANYONE = [bearer, guest]
