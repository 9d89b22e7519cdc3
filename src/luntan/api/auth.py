"""Who is calling: `Authorization: Bearer <token>` (accounts.services.issue_token).
The token itself is kept on the request as `api_token`, so that a member's
list of tokens can say which one is asking."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from luntan.accounts.services import token_for_key


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = token_for_key(token)
        if found is None:
            return None
        request.api_token = found
        request.user = found.user
        return found.user


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
