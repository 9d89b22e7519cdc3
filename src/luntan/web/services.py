"""Writes to the site's own pages: about, contact, advertising, terms."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from luntan.errors import Invalid

from .models import SitePage

TITLE_MAX = SitePage._meta.get_field("title").max_length


def save_site_page(*, slug: str, title: str, body: str, position: int = 0) -> SitePage:
    """Create the page `slug`, or replace the title, body (Markdown) and position it has."""
    slug, title, body = (slug or "").strip(), (title or "").strip(), (body or "").strip()
    try:
        validate_slug(slug)
    except ValidationError:
        raise Invalid("页面地址只能用字母、数字、连字符和下划线。", field="slug") from None
    if not title:
        raise Invalid("标题不能为空。", field="title")
    if len(title) > TITLE_MAX:
        raise Invalid(f"标题不能超过 {TITLE_MAX} 个字（现在 {len(title)} 个）。", field="title")
    if not body:
        raise Invalid("内容不能为空。", field="body")
    page, _ = SitePage.objects.update_or_create(
        slug=slug, defaults={"title": title, "body": body, "position": position}
    )
    return page
