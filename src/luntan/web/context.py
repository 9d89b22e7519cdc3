from django.conf import settings
from django.http import HttpRequest

from luntan.messages.selectors import unread_count, unread_notice_count
from luntan.moderation.selectors import is_staff_anywhere

from .models import SitePage


def site(request: HttpRequest) -> dict:
    """What the header and footer of every page need."""
    user = getattr(request, "user", None)
    return {
        "site_name": settings.LUNTAN["SITE_NAME"],
        "unread_messages": (lambda: unread_count(user)) if user and user.is_authenticated else 0,
        "unread_notices": (lambda: unread_notice_count(user)) if user and user.is_authenticated else 0,
        "is_staff_anywhere": (lambda: is_staff_anywhere(user)) if user and user.is_authenticated else False,
        "site_pages": lambda: list(SitePage.objects.only("slug", "title")),
    }
