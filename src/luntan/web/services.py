"""Writes to the site's own pages: about, contact, advertising, terms."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from luntan.errors import Invalid
from luntan.textfields import clean_text

from .models import SitePage


def save_site_page(*, slug: str, title: str, body: str, position: int = 0) -> SitePage:
    """Create the page `slug`, or replace the title, body (Markdown) and position it has."""
    slug = (slug or "").strip()
    try:
        validate_slug(slug)
    except ValidationError:
        raise Invalid("页面地址只能用字母、数字、连字符和下划线。", field="slug") from None
    title = clean_text(title, field="title", label="标题", limit=settings.LUNTAN["PAGE_TITLE_MAX"], required=True)
    body = clean_text(body, field="body", label="内容", limit=settings.LUNTAN["BODY_MAX"], required=True, multiline=True)
    page, _ = SitePage.objects.update_or_create(
        slug=slug, defaults={"title": title, "body": body, "position": position}
    )
    return page
